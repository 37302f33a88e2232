"""The relationship plan's item form: the topic is chosen when the item is added and never
changes; a touchpoint has a lifecycle stage and may name a Channels note of the same canvas."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from canvas_app.concurrent import ConcurrentEditForm
from canvas_app.models import Block, Note

from .models import RelationshipItem, Stage, Topic


class RelationshipItemForm(ConcurrentEditForm):
    class Meta:
        model = RelationshipItem
        fields = ["topic", "text", "stage", "channel"]
        widgets = {"topic": forms.HiddenInput}
        error_messages = {
            "topic": {code: _("Choose one of the plan's topics.") for code in ("invalid_choice", "required")},
            "text": {"required": _("Describe it in a few words.")},
            "stage": {"invalid_choice": _("Choose one of the stages.")},
        }

    CHANNEL_ERROR = _("Choose a Channels note of this canvas.")

    def __init__(self, *args, segment, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["topic"]
        if self.topic == Topic.TOUCHPOINTS:
            self.fields["stage"].required = True
            self.fields["stage"].choices = list(Stage.choices)
            self.fields["text"].label = _("Touchpoint")
            channel = self.fields["channel"]
            live = Q(deleted_at__isnull=True) | Q(pk=self.instance.channel_id or 0)
            channel.queryset = Note.objects.filter(live, canvas_id=segment.canvas_id, block=Block.CHANNELS).order_by("position")
            channel.label_from_instance = lambda note: note.text
            channel.empty_label = _("None on the board")
            channel.error_messages["invalid_choice"] = self.CHANNEL_ERROR
        else:
            del self.fields["stage"]
            del self.fields["channel"]
            self.fields["text"].label = _("Item")

    @property
    def topic(self) -> str:
        return self.instance.topic if self.instance.pk else (self["topic"].value() or "")


class LinkRelationshipForm(forms.Form):
    """Link one more Customer Relationships note of the board to the segment."""

    note = forms.ModelChoiceField(queryset=Note.objects.none(), label=_("Relationship on the board"))

    def __init__(self, *args, segment, **kwargs):
        super().__init__(*args, **kwargs)
        linked = segment.linked_notes.values_list("pk", flat=True)
        self.fields["note"].queryset = Note.objects.filter(
            canvas_id=segment.canvas_id, block=Block.CUSTOMER_RELATIONSHIPS, deleted_at__isnull=True
        ).exclude(pk__in=linked).order_by("position")
        self.fields["note"].label_from_instance = lambda note: note.text
        self.fields["note"].error_messages["invalid_choice"] = _("Choose a Customer Relationships note of this canvas.")


def topic_of(value: str) -> Topic | None:
    return Topic(value) if value in Topic.values else None
