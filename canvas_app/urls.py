from django.urls import path, register_converter

from . import views
from .models import Block


class BlockConverter:
    regex = "|".join(Block.values)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


class ShareTokenConverter:
    """What secrets.token_urlsafe() makes (share links, invitations); anything else is not
    a link we gave out."""

    regex = "[A-Za-z0-9_-]{16,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(BlockConverter, "block")
register_converter(ShareTokenConverter, "share_token")
register_converter(ShareTokenConverter, "invitation_token")

app_name = "canvas_app"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("canvases/new/", views.canvas_create, name="canvas_create"),
    path("canvases/<int:pk>/", views.board, name="board"),
    path("canvases/<int:pk>/edit/", views.canvas_edit, name="canvas_edit"),
    path("canvases/<int:pk>/duplicate/", views.canvas_duplicate, name="canvas_duplicate"),
    path("canvases/<int:pk>/delete/", views.canvas_delete, name="canvas_delete"),
    path("canvases/<int:pk>/pdf/", views.canvas_pdf, name="canvas_pdf"),
    path("canvases/<int:pk>/changes/", views.board_changes, name="board_changes"),
    path("canvases/<int:pk>/members/", views.members, name="members"),
    path("canvases/<int:pk>/members/<int:member_id>/role/", views.member_role, name="member_role"),
    path("canvases/<int:pk>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "canvases/<int:pk>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("canvases/<int:pk>/share-links/", views.share_link_create, name="share_link_create"),
    path("canvases/<int:pk>/share-links/<int:link_id>/revoke/", views.share_link_revoke, name="share_link_revoke"),
    path("canvases/<int:pk>/blocks/<block:block>/notes/", views.note_add, name="note_add"),
    path("canvases/<int:pk>/notes/<int:note_id>/", views.note_detail, name="note_detail"),
    path("canvases/<int:pk>/notes/<int:note_id>/actions/", views.note_actions, name="note_actions"),
    path("canvases/<int:pk>/notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
    path("canvases/<int:pk>/notes/<int:note_id>/delete/", views.note_delete, name="note_delete"),
    path("canvases/<int:pk>/notes/<int:note_id>/restore/", views.note_restore, name="note_restore"),
    path("canvases/<int:pk>/notes/<int:note_id>/move/", views.note_move, name="note_move"),
    # Whoever holds an emailed invitation and logs in joins the canvas.
    path("invitations/<invitation_token:token>/", views.invitation_accept, name="invitation_accept"),
    # Public, read-only: whoever holds a live link, with or without an account.
    path("s/<share_token:token>/", views.share_board, name="share_board"),
    path("s/<share_token:token>/pdf/", views.share_pdf, name="share_pdf"),
]
