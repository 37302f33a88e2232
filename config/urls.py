from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("canvas_app.urls")),
    path("", include("segments.urls")),
    path("", include("segments.prioritisation.urls")),
    # Ours first: the throttled log-in and bounded password forms replace Django's.
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler500 = "canvas_app.views.errors.server_error"
