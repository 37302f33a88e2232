"""The forms of prioritisation: each member's score sheet, the owner's criteria, the primary
segment and the smallest useful segment."""

from __future__ import annotations

import re

from django import forms
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canvas_app.models import Canvas

from ..models import Criterion, PrioritySettings, Segment

SCORE_CHOICES = [("", "–"), *((str(value), str(value)) for value in range(1, 6))]
_CELL_NAME = re.compile(r"^score-(\d+)-(\d+)$")


def cell_name(segment_id: int, criterion_id: int) -> str:
    return f"score-{segment_id}-{criterion_id}"


class ScoreSheetForm(forms.Form):
    """One reviewer's scores: a field per segment and criterion, named `score-<segment>-<criterion>`.

    A post may carry any of the cells (htmx sends one, a plain submit the whole table): a
    cell it leaves out keeps its saved score, an empty one clears it."""

    def __init__(
        self,
        data=None,
        *,
        segments: list[Segment],
        criteria: list[Criterion],
        saved: dict[tuple[int, int], int],
    ):
        self.cells: dict[str, tuple[Segment, Criterion]] = {}
        fields = {}
        for segment in segments:
            for criterion in criteria:
                name = cell_name(segment.pk, criterion.pk)
                self.cells[name] = (segment, criterion)
                fields[name] = forms.TypedChoiceField(
                    label=_("Score of %(segment)s on %(criterion)s")
                    % {"segment": segment.name, "criterion": criterion.name},
                    choices=SCORE_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=saved.get((segment.pk, criterion.pk)),
                    error_messages={"invalid_choice": _("A score is a whole number from 1 to 5, or empty.")},
                )
        self.posted: list[str] = []
        self.unknown: list[str] = []
        if data is not None:
            self.posted = [name for name in data if name in fields]
            self.unknown = [name for name in data if _CELL_NAME.match(name) and name not in fields]
            merged = {name: "" if f.initial is None else str(f.initial) for name, f in fields.items()}
            merged.update({name: data.get(name) for name in self.posted})
            data = merged
        super().__init__(data, auto_id="%s")
        self.fields.update(fields)

    def clean(self):
        data = super().clean()
        if self.unknown:
            raise forms.ValidationError(
                _("Some scores are for a segment or criterion that is not on this canvas (any more): reload the page. Nothing was saved.")
            )
        return data

    def changes(self) -> dict[tuple[int, int], int | None]:
        """The cells whose value differs from the saved one."""
        found = {}
        for name in self.posted:
            segment, criterion = self.cells[name]
            value = self.cleaned_data[name]
            if value != self.fields[name].initial:
                found[(segment.pk, criterion.pk)] = value
        return found

    def reviewed(self) -> set[int]:
        """Segments whose scores this post saved: a row with a score in it, or one it changed."""
        changed = self.changes()
        return {
            self.cells[name][0].pk
            for name in self.posted
            if self.cleaned_data[name] is not None or (self.cells[name][0].pk, self.cells[name][1].pk) in changed
        }

    def rows(self) -> list[tuple[Segment, list[forms.BoundField]]]:
        rows: dict[int, tuple[Segment, list[forms.BoundField]]] = {}
        for name, (segment, _criterion) in self.cells.items():
            rows.setdefault(segment.pk, (segment, []))[1].append(self[name])
        return list(rows.values())


class CriterionForm(forms.ModelForm):
    weight = forms.IntegerField(
        label=gettext_lazy("Weight"),
        min_value=1,
        max_value=10,
        help_text=gettext_lazy("From 1 to 10: how much it counts."),
        error_messages={
            "required": gettext_lazy("Give the criterion a weight from 1 to 10."),
            "invalid": gettext_lazy("A weight is a whole number from 1 to 10."),
            "min_value": gettext_lazy("A weight is a whole number from 1 to 10."),
            "max_value": gettext_lazy("A weight is a whole number from 1 to 10."),
        },
    )

    class Meta:
        model = Criterion
        fields = ["name", "weight", "axis"]
        error_messages = {
            "name": {
                "required": gettext_lazy("Give the criterion a name."),
                "max_length": gettext_lazy("A name holds at most %(limit_value)d characters."),
            },
            "axis": {"invalid_choice": gettext_lazy("Choose the axis it counts towards.")},
        }

    def __init__(self, *args, canvas: Canvas, **kwargs):
        super().__init__(*args, **kwargs)
        self.canvas = canvas
        self.fields["weight"].widget.attrs.update({"min": 1, "max": 10})

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        others = self.canvas.criteria.filter(name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise self._taken(name)
        return name

    def _taken(self, name: str) -> forms.ValidationError:
        return forms.ValidationError(_("There is already a criterion called “%(name)s”."), params={"name": name})

    def save_new(self, *, by) -> Criterion | None:
        """Add the criterion at the end of the list, as a change by `by`. None, with the error
        on the name, when someone added one by that name since this form was checked."""
        data = self.cleaned_data
        try:
            return Criterion.create(self.canvas, by=by, name=data["name"], weight=data["weight"], axis=data["axis"])
        except IntegrityError:
            self.add_error("name", self._taken(data["name"]))
            return None

    def save_changes(self, *, by) -> bool:
        """Save the edit, as a change by `by`; False, with the error on the name, when someone
        gave another criterion that name since this form was checked."""
        try:
            self.instance.save_changes(by=by, fields=["name", "weight", "axis"])
        except IntegrityError:
            self.add_error("name", self._taken(self.cleaned_data["name"]))
            return False
        return True


class PrimarySegmentForm(forms.Form):
    segment = forms.TypedChoiceField(
        label=gettext_lazy("Primary segment"),
        help_text=gettext_lazy("The segment to serve first."),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose one of this canvas' segments.")},
    )

    def __init__(self, *args, segments: list[Segment], **kwargs):
        super().__init__(*args, **kwargs)
        self.segments = {segment.pk: segment for segment in segments}
        self.fields["segment"].choices = [
            ("", _("None chosen yet")),
            *((str(segment.pk), segment.name) for segment in segments),
        ]

    def chosen(self) -> Segment | None:
        segment_id = self.cleaned_data["segment"]
        return None if segment_id is None else self.segments[segment_id]


class ThresholdForm(forms.ModelForm):
    min_segment_size = forms.IntegerField(
        label=gettext_lazy("Smallest useful segment (customers)"),
        help_text=gettext_lazy("A segment estimated below this size gets a warning; 0 turns the warning off."),
        min_value=0,
        max_value=10**12,
        error_messages={
            "required": gettext_lazy("Enter a number of customers: 0 or more."),
            "invalid": gettext_lazy("Enter a number of customers: 0 or more."),
            "min_value": gettext_lazy("Enter a number of customers: 0 or more."),
            "max_value": gettext_lazy("That is more customers than the world has."),
        },
    )

    class Meta:
        model = PrioritySettings
        fields = ["min_segment_size"]
