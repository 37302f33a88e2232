"""Criteria, scores, the ranking and its matrix (namespace "prioritisation")."""

from django.urls import path

from . import views as prioritisation

app_name = "prioritisation"

urlpatterns = [
    path("canvases/<int:pk>/prioritisation/", prioritisation.ranking, name="ranking"),
    path("canvases/<int:pk>/prioritisation/report.pdf", prioritisation.report, name="report"),
    path("canvases/<int:pk>/prioritisation/primary/", prioritisation.primary, name="primary"),
    path("canvases/<int:pk>/prioritisation/threshold/", prioritisation.threshold, name="threshold"),
    path("canvases/<int:pk>/prioritisation/scores/", prioritisation.scores, name="scores"),
    path("canvases/<int:pk>/prioritisation/criteria/", prioritisation.criteria, name="criteria"),
    path(
        "canvases/<int:pk>/prioritisation/criteria/<int:criterion_id>/",
        prioritisation.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "canvases/<int:pk>/prioritisation/criteria/<int:criterion_id>/delete/",
        prioritisation.criterion_delete,
        name="criterion_delete",
    ),
]
