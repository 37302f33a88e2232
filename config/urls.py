from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from canvas_app import views as canvas_views

urlpatterns = [
    path("", include("canvas_app.urls")),
    path("", include("segments.urls")),
    path("", include("segments.urls_prioritisation")),
    path("accounts/signup/", canvas_views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
