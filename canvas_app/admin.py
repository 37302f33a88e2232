from django.contrib import admin

from .models import Canvas, Invitation, Membership, Note, ShareLink


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Canvas)
class CanvasAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "updated_at", "created_by"]
    list_filter = ["language"]
    search_fields = ["title", "description"]
    inlines = [MembershipInline]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "canvas", "block", "position", "colour", "deleted_at"]
    list_filter = ["block", "colour"]
    search_fields = ["text", "canvas__title"]
    list_select_related = ["canvas"]

    def get_queryset(self, request):
        # Admins also see notes waiting for an undo.
        return Note.all_objects.select_related("canvas")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["canvas", "user", "role"]
    list_filter = ["role"]
    search_fields = ["canvas__title", "user__username", "user__email"]
    autocomplete_fields = ["canvas", "user"]


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    # The token stays out of lists and forms: it is the key to the canvas.
    list_display = ["canvas", "created_by", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["canvas__title", "created_by__username"]
    list_select_related = ["canvas", "created_by"]
    autocomplete_fields = ["canvas"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "canvas", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "accepted_at", "revoked_at"]
    search_fields = ["email", "canvas__title", "invited_by__username"]
    list_select_related = ["canvas", "invited_by"]
    readonly_fields = ["token_hash", "invited_by", "created_at", "accepted_at", "accepted_by"]

    def has_add_permission(self, request) -> bool:
        # An invitation is only worth its emailed token, which only the members page makes.
        return False
