from django.urls import path, register_converter

from .views import board, canvases, comments, evidence, export, history, landing, members, sharing, versions
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
    # Logged out: the landing page; logged in: the dashboard.
    path("", landing.home, name="dashboard"),
    path("canvases/new/", canvases.canvas_create, name="canvas_create"),
    path("canvases/import/", canvases.canvas_import, name="canvas_import"),
    path("canvases/<int:pk>/", board.board, name="board"),
    path("canvases/<int:pk>/edit/", canvases.canvas_edit, name="canvas_edit"),
    path("canvases/<int:pk>/duplicate/", canvases.canvas_duplicate, name="canvas_duplicate"),
    path("canvases/<int:pk>/delete/", canvases.canvas_delete, name="canvas_delete"),
    path("canvases/<int:pk>/pdf/", export.canvas_pdf, name="canvas_pdf"),
    path("canvases/<int:pk>/export.<slug:kind>", export.canvas_document_file, name="canvas_document"),
    path("canvases/<int:pk>/exports/<uuid:export_id>/", export.export, name="export"),
    path("canvases/<int:pk>/exports/<uuid:export_id>/file/", export.export_download, name="export_file"),
    path("canvases/<int:pk>/changes/", board.board_changes, name="board_changes"),
    path("canvases/<int:pk>/activity/", history.canvas_activity, name="activity"),
    path("canvases/<int:pk>/versions/", versions.versions, name="versions"),
    path("canvases/<int:pk>/versions/compare/", versions.versions_compare, name="versions_compare"),
    path("canvases/<int:pk>/versions/<int:snapshot_id>/", versions.version, name="version"),
    path("canvases/<int:pk>/versions/<int:snapshot_id>/restore/", versions.version_restore, name="version_restore"),
    path("canvases/<int:pk>/versions/<int:snapshot_id>/copy/", versions.version_copy, name="version_copy"),
    path("canvases/<int:pk>/undo/", history.board_undo, name="board_undo"),
    path("canvases/<int:pk>/redo/", history.board_redo, name="board_redo"),
    path("canvases/<int:pk>/members/", members.members, name="members"),
    path("canvases/<int:pk>/members/<int:member_id>/role/", members.member_role, name="member_role"),
    path("canvases/<int:pk>/members/<int:member_id>/remove/", members.member_remove, name="member_remove"),
    path(
        "canvases/<int:pk>/invitations/<int:invitation_id>/revoke/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
    path("canvases/<int:pk>/share-links/", sharing.share_link_create, name="share_link_create"),
    path("canvases/<int:pk>/share-links/<int:link_id>/revoke/", sharing.share_link_revoke, name="share_link_revoke"),
    path("canvases/<int:pk>/blocks/<block:block>/notes/", board.note_add, name="note_add"),
    path("canvases/<int:pk>/notes/<int:note_id>/", board.note_detail, name="note_detail"),
    path("canvases/<int:pk>/notes/<int:note_id>/actions/", board.note_actions, name="note_actions"),
    path("canvases/<int:pk>/notes/<int:note_id>/edit/", board.note_edit, name="note_edit"),
    path("canvases/<int:pk>/notes/<int:note_id>/delete/", board.note_delete, name="note_delete"),
    path("canvases/<int:pk>/notes/<int:note_id>/restore/", board.note_restore, name="note_restore"),
    path("canvases/<int:pk>/notes/<int:note_id>/move/", board.note_move, name="note_move"),
    path("canvases/<int:pk>/notes/<int:note_id>/history/", history.note_history, name="note_history"),
    path("canvases/<int:pk>/notes/<int:note_id>/evidence/", evidence.note_evidence, name="note_evidence"),
    path("canvases/<int:pk>/notes/<int:note_id>/comments/", comments.note_comments, name="note_comments"),
    path("canvases/<int:pk>/comments/<int:comment_id>/resolve/", comments.comment_resolve, name="comment_resolve"),
    path("canvases/<int:pk>/comments/<int:comment_id>/reopen/", comments.comment_reopen, name="comment_reopen"),
    # Whoever holds an emailed invitation and logs in joins the canvas.
    path("invitations/<invitation_token:token>/", members.invitation_accept, name="invitation_accept"),
    # Public, read-only: whoever holds a live link, with or without an account.
    path("s/<share_token:token>/", sharing.share_board, name="share_board"),
    path("s/<share_token:token>/pdf/", export.share_pdf, name="share_pdf"),
    path("s/<share_token:token>/exports/<uuid:export_id>/", export.share_export, name="share_export"),
    path("s/<share_token:token>/exports/<uuid:export_id>/file/", export.share_export_file, name="share_export_file"),
]
