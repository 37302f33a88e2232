from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views

urlpatterns = [
    path("", include("canvas_app.urls")),
    path("", include("segments.urls")),
    path("", include("segments.prioritisation.urls")),
    path("", include("segments.gallery.urls")),
    path("", include("customers.urls")),
    # Ours first: the throttled log-in and bounded password forms replace Django's.
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # Django's language switcher, which also keeps a logged-in person's choice.
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler500 = "canvas_app.views.errors.server_error"
