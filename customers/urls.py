"""Customer data of a canvas (namespace "customers")."""

from django.urls import path

from . import campaign_views as campaigns
from . import views as customers

app_name = "customers"

urlpatterns = [
    path("canvases/<int:pk>/customers/", customers.overview, name="overview"),
    path("canvases/<int:pk>/customers/upload/", customers.upload, name="upload"),
    path("canvases/<int:pk>/customers/jobs/<uuid:job_id>/", customers.job, name="job"),
    path("canvases/<int:pk>/customers/jobs/<uuid:job_id>/confirm/", customers.job_confirm, name="job_confirm"),
    path("canvases/<int:pk>/customers/jobs/<uuid:job_id>/cancel/", customers.job_cancel, name="job_cancel"),
    path("canvases/<int:pk>/customers/choices/", customers.choices, name="choices"),
    path("canvases/<int:pk>/customers/grid/", customers.grid, name="grid"),
    path("canvases/<int:pk>/customers/promote/", customers.promote, name="promote"),
    path("canvases/<int:pk>/customers/report.pdf", customers.report, name="report"),
    path("canvases/<int:pk>/customers/customers.csv", customers.export, name="export"),
    path("canvases/<int:pk>/customers/delete/", customers.delete, name="delete"),
    path("canvases/<int:pk>/customers/campaigns/", campaigns.campaigns, name="campaigns"),
    path("canvases/<int:pk>/customers/campaigns/playbooks/<slug:group>/", campaigns.playbook, name="playbook"),
    path("canvases/<int:pk>/customers/campaigns/<int:campaign_id>/", campaigns.campaign_edit, name="campaign_edit"),
    path(
        "canvases/<int:pk>/customers/campaigns/<int:campaign_id>/delete/", campaigns.campaign_delete, name="campaign_delete"
    ),
    path(
        "canvases/<int:pk>/customers/campaigns/<int:campaign_id>/customers.csv",
        campaigns.campaign_export,
        name="campaign_export",
    ),
]
