from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Block, Canvas, Colour, Note, RelationshipType, Role


class CanvasForm(forms.ModelForm):
    class Meta:
        model = Canvas
        fields = ["title", "description", "language"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "title": {
                "required": _("Give the canvas a title."),
                "max_length": _("A title holds at most %(limit_value)d characters."),
            },
            "description": {
                "max_length": _("A description holds at most %(limit_value)d characters."),
            },
        }


class NoteForm(forms.ModelForm):
    """Text and colour of a note. Text is trimmed; blank or over-long text saves nothing."""

    class Meta:
        model = Note
        fields = ["text", "colour", "relationship_type"]
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

    # The version the edit is based on: a newer note is not overwritten silently.
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["colour"].required = False
        self.fields["colour"].choices = Colour.choices
        if self.instance.has_relationship_type:
            self.fields["relationship_type"].choices = [("", _("Not set")), *RelationshipType.choices]
        else:
            del self.fields["relationship_type"]

    def clean_colour(self) -> str:
        return self.cleaned_data.get("colour") or (self.instance.colour if self.instance.pk else Colour.YELLOW)


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


class MemberAddForm(forms.Form):
    user = forms.CharField(
        label=_("Username or email"),
        max_length=254,
        error_messages={"required": _("Enter the username or email of a Lienzo user.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)

    def __init__(self, *args, canvas: Canvas, **kwargs):
        super().__init__(*args, **kwargs)
        self.canvas = canvas

    def clean_user(self):
        identifier = self.cleaned_data["user"].strip()
        users = get_user_model().objects.filter(
            Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True
        )
        matches = list(users[:2])
        if len(matches) != 1:
            raise forms.ValidationError(_("No Lienzo user has that username or email."))
        user = matches[0]
        if self.canvas.memberships.filter(user=user).exists():
            raise forms.ValidationError(_("%(user)s is already a member of this canvas."), params={"user": user.username})
        return user


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
