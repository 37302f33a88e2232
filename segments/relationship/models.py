"""A segment's relationship plan (the second source document): for each topic a team decides
on, a short list of items; touchpoints sit at a stage of the customer's lifecycle (Osterwalder's
channel phases) and may name the Channels note they happen through."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canvas_app.models import Note

from ..undo import Undoable


class Topic(models.TextChoices):
    PERSONALISATION = "personalisation", _("Personalisation")
    TOUCHPOINTS = "touchpoints", _("Channels and touchpoints")
    FEEDBACK = "feedback", _("Feedback and data")
    SUPPORT = "support", _("Support")
    RETENTION = "retention", _("Retention and loyalty")
    COMPLAINTS = "complaints", _("Complaint handling")
    PRIVACY = "privacy", _("Data privacy and security")


class Stage(models.TextChoices):
    AWARENESS = "awareness", _("Awareness")
    EVALUATION = "evaluation", _("Evaluation")
    PURCHASE = "purchase", _("Purchase")
    DELIVERY = "delivery", _("Delivery")
    AFTER_SALES = "after_sales", _("After-sales")


#: What each topic asks the team (the empty state of its list).
QUESTIONS = {
    Topic.PERSONALISATION: _("How do we adapt the offer and the conversation to each customer of this segment?"),
    Topic.TOUCHPOINTS: _("Where do we meet these customers at each stage, from hearing of us to after the sale?"),
    Topic.FEEDBACK: _("How do we listen: what do we ask, measure and learn from them?"),
    Topic.SUPPORT: _("What help do they get, through which channel, and how fast?"),
    Topic.RETENTION: _("What keeps them with us and makes them come back?"),
    Topic.COMPLAINTS: _("When something goes wrong, how do they tell us and how do we put it right?"),
    Topic.PRIVACY: _("What data of theirs do we keep, why, and how do we protect it?"),
}


class RelationshipItem(Undoable):
    segment = models.ForeignKey("segments.Segment", on_delete=models.CASCADE, related_name="relationship_items")
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    #: Touchpoints only: the lifecycle stage.
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, blank=True)
    text = models.CharField(_("text"), max_length=300)
    #: Touchpoints only: the Channels note of the board it happens through.
    channel = models.ForeignKey(
        Note, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("channel on the board")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("relationship plan item")
        verbose_name_plural = _("relationship plan items")
        ordering = ["topic", "stage", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text

    def changed_canvas(self) -> int:
        return self.segment.note.canvas_id
