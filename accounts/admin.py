from django.contrib import admin

from .forms import AdminLoginForm
from .models import EmailRequest, FailedLogin

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


@admin.register(EmailRequest)
class EmailRequestAdmin(admin.ModelAdmin):
    """To see who is asking for account emails, and to lift a limit by deleting its requests."""

    list_display = ["at", "kind", "recipient", "address"]
    list_filter = ["kind"]
    search_fields = ["recipient", "address"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
