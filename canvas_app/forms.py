from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .concurrent import ConcurrentEditForm
from .models import LEARNING_CARD, TEST_CARD, Block, Canvas, Colour, Evidence, Invitation, Note, RelationshipType, Role, ShareLink
from .money import default_currency


# The one rule for languages, said where the canvas' language is chosen.
LANGUAGE_RULE = _(
    "What the canvas gives to others speaks its language: the PDF, the names of the default "
    "prioritisation criteria and the invitations to new members (unless they chose a language "
    "for their account). Lienzo's own screens follow each person's choice in the menu at the top."
)


class CanvasForm(forms.ModelForm):
    guided = forms.TypedChoiceField(
        label=_("Empty blocks"),
        choices=[
            (False, _("Blank canvas: each empty block shows its question")),
            (True, _("Guided canvas: each empty block also shows two short examples")),
        ],
        coerce=lambda value: value in (True, "True"),
        initial=False,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "start-choice"}),
        error_messages={"invalid_choice": _("Choose a blank or a guided canvas.")},
    )

    class Meta:
        model = Canvas
        fields = ["title", "description", "language", "currency", "guided"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "title": {
                "required": _("Give the canvas a title."),
                "max_length": _("A title holds at most %(limit_value)d characters."),
            },
            "description": {
                "max_length": _("A description holds at most %(limit_value)d characters."),
            },
            "currency": {"invalid_choice": _("Choose one of the currencies offered.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out, a new canvas counts in its language's usual currency.
        self.fields["currency"].required = False
        self.fields["language"].help_text = LANGUAGE_RULE
        if not self.instance.pk:
            # A new canvas: the way to start comes first, it is what a first visit decides.
            self.fields["guided"].label = _("How to start")
            self.order_fields(["guided"])

    def clean_currency(self) -> str:
        return self.cleaned_data.get("currency") or (
            self.instance.currency if self.instance.pk else default_currency(self.cleaned_data.get("language", ""))
        )

    def clean_guided(self) -> bool:
        # Left out, a canvas stays as it is (a new one: blank).
        guided = self.cleaned_data.get("guided")
        return self.instance.guided if guided is None else guided


class NoteForm(ConcurrentEditForm):
    """Text and colour of a note (and the relationship type of a Customer Relationships note).
    Text is trimmed; blank or over-long text saves nothing. An edit merges with what others
    saved meanwhile (ConcurrentEditForm); a field the post leaves out keeps its value."""

    base_salt = "lienzo.concurrent.note"

    class Meta:
        model = Note
        fields = ["text", "colour", "relationship_type", "status"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "colour": forms.RadioSelect,
        }
        error_messages = {
            "text": {
                "required": _("Write something: a note cannot be empty."),
                "max_length": _(
                    "A note holds at most %(limit_value)d characters; this one has %(show_value)d."
                ),
            },
        }

    def __init__(self, data=None, *args, initial_colour: str = Colour.YELLOW, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault("auto_id", f"edit-{instance.pk}-%s")
            if data is not None:
                data = _keep_left_out(data, instance)
        super().__init__(data, *args, **kwargs)
        self.initial_colour = initial_colour
        self.fields["colour"].required = False
        self.fields["colour"].choices = Colour.choices
        self.fields["status"].required = False
        if self.instance.has_relationship_type:
            self.fields["relationship_type"].choices = [("", _("Not set")), *RelationshipType.choices]
        else:
            del self.fields["relationship_type"]

    def clean_status(self) -> str:
        return self.cleaned_data.get("status") or (self.instance.status if self.instance.pk else Evidence.IDEA)

    def clean_colour(self) -> str:
        return self.cleaned_data.get("colour") or (self.instance.colour if self.instance.pk else self.initial_colour)

    def save_merged(self, *, by, **extra) -> bool:
        return super().save_merged(by=by, updated_at=timezone.now(), **extra)


def _keep_left_out(data, instance: Note):
    """The posted data, with the colour and relationship type the note has where the post
    left them out: leaving a field out is not asking to change it (an empty relationship
    type, "Not set", is)."""
    data = data.copy()
    if not data.get("colour"):
        data["colour"] = instance.colour
    if "relationship_type" not in data:
        data["relationship_type"] = instance.relationship_type
    if not data.get("status"):
        data["status"] = instance.status
    return data


class NoteMoveForm(forms.Form):
    """Either a step within the block (`direction`) or a place in a block (`block`, `position`)."""

    direction = forms.ChoiceField(
        choices=[("up", _("up")), ("down", _("down"))], required=False
    )
    block = forms.ChoiceField(choices=Block.choices, required=False)
    position = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("direction") and not data.get("block"):
            raise forms.ValidationError(_("Choose where to move the note."))
        return data


class InvitationForm(forms.Form):
    """Whom to invite, by email address. Nothing here looks for accounts: the answer must be
    the same whether or not the address has one, or the form would tell which addresses do.
    So someone who is a member already may be invited too (accepting keeps their role)."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter the email address of the person to invite."),
            "max_length": _("An email address holds at most %(limit_value)d characters."),
        },
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)

    def __init__(self, *args, canvas: Canvas, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.canvas = canvas
        self.user = user
        self.retry_after = 0  # seconds, when the inviter reached Invitation.MAX_PER_HOUR

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        self.retry_after = Invitation.wait_before_inviting(self.user)
        if self.retry_after:
            minutes = -(-self.retry_after // 60)
            raise forms.ValidationError(
                ngettext(
                    "You have sent %(limit)d invitations within an hour, the most there can be. "
                    "Try again in %(minutes)d minute.",
                    "You have sent %(limit)d invitations within an hour, the most there can be. "
                    "Try again in %(minutes)d minutes.",
                    minutes,
                ),
                code="throttled",
                params={"limit": Invitation.MAX_PER_HOUR, "minutes": minutes},
            )
        if self.canvas.invitations.pending().filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("%(email)s already has a pending invitation to this canvas."),
                code="pending",
                params={"email": email},
            )
        return email


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


_DAYS_RANGE = _("Choose from 1 to 365 days, or leave the field empty for no expiry.")


class ShareLinkForm(forms.Form):
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        required=False,
        min_value=1,
        max_value=ShareLink.MAX_DAYS,
        help_text=_("Optional. Empty: the link works until you revoke it."),
        error_messages={"min_value": _DAYS_RANGE, "max_value": _DAYS_RANGE, "invalid": _DAYS_RANGE},
    )


class NoteEvidenceForm(ConcurrentEditForm):
    """A note's evidence: its status, its test card and its learning card."""

    base_salt = "lienzo.concurrent.note-evidence"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the cards' lines end in "…" already
        super().__init__(*args, **kwargs)

    class Meta:
        model = Note
        fields = ["status", *TEST_CARD, *LEARNING_CARD]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in (*TEST_CARD, *LEARNING_CARD)}

    def save_merged(self, *, by, **extra) -> bool:
        return super().save_merged(by=by, updated_at=timezone.now(), **extra)
