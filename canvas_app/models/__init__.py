"""The Business Model Canvas: canvases, who may use them, the notes in their nine blocks,
and the record of every change to what they hold."""

from .canvas import (
    BLOCK_QUESTIONS,
    STORY_ORDER,
    AddingTooFastError,
    Block,
    Canvas,
    CanvasFullError,
    CanvasLimitError,
    CanvasQuerySet,
    Colour,
    LastOwnerError,
    Membership,
    RelationshipType,
    Role,
)
from .changes import Action, Change, recording
from .comments import Comment
from .content import CanvasContent, VersionedModel
from .exports import Export, ExportLimitError
from .notes import LEARNING_CARD, TEST_CARD, Evidence, Note, NoteGoneError, validated_share
from .snapshots import Snapshot
from .sharing import Invitation, InvitationClosedError, ShareLink, new_share_token

__all__ = [
    "BLOCK_QUESTIONS",
    "LEARNING_CARD",
    "TEST_CARD",
    "STORY_ORDER",
    "Action",
    "AddingTooFastError",
    "Block",
    "Canvas",
    "CanvasContent",
    "CanvasFullError",
    "CanvasLimitError",
    "CanvasQuerySet",
    "Change",
    "Colour",
    "Comment",
    "Evidence",
    "Export",
    "ExportLimitError",
    "Invitation",
    "InvitationClosedError",
    "LastOwnerError",
    "Membership",
    "Note",
    "NoteGoneError",
    "RelationshipType",
    "Role",
    "ShareLink",
    "Snapshot",
    "VersionedModel",
    "new_share_token",
    "recording",
    "validated_share",
]
