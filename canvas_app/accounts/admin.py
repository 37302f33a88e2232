from django.contrib import admin

from .forms import AdminLoginForm
from .models import FailedLogin

admin.site.login_form = AdminLoginForm


@admin.register(FailedLogin)
class FailedLoginAdmin(admin.ModelAdmin):
    """To see who is being locked out, and to lift a lock by deleting its failures."""

    list_display = ["at", "username", "address"]
    search_fields = ["username", "address"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
