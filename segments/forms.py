"""Forms of the segment pages. Each form owns its validation: a rejected form changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from canvas_app.models import Block, Canvas, Note

from canvas_app.concurrent import ConcurrentEditForm
from canvas_app.money import Currency, money, number
from .models import (
    ADDRESSES,
    LINKABLE_BLOCKS,
    CustomerType,
    Persona,
    ProfileItem,
    ProfileKind,
    Segment,
    SegmentColour,
    ValueItem,
    ValueKind,
)

NAME_ERRORS = {
    "required": _("Give the segment a name: its note cannot be empty."),
    "max_length": _("A name holds at most %(limit_value)d characters; this one has %(show_value)d."),
}
NOT_NEGATIVE = _("This cannot be negative.")

#: The fields of each customer type's fieldset on the segment page.
B2C_FIELDS = ["age_min", "age_max", "gender", "marital_status", "life_stage", "interests", "needs"]
B2B_FIELDS = ["industry", "company_size", "company_revenue", "previous_purchases", "replaces"]
MARKET_FIELDS = [
    "estimated_size", "growth_rate", "revenue_potential", "cost_to_serve", "willingness_to_pay", "gives_up",
]  # fmt: skip


def _small_textareas(*names: str, rows: int = 2) -> dict:
    return {name: forms.Textarea(attrs={"rows": rows}) for name in names}


class SegmentForm(ConcurrentEditForm):
    """What describes a segment. The name is its note's text, so it follows the notes' rule."""

    name = forms.CharField(label=_("Name"), max_length=Note.TEXT_MAX_LENGTH, error_messages=NAME_ERRORS)

    class Meta:
        model = Segment
        fields = [
            "description", "market_kind", "customer_type", "basis",
            *B2C_FIELDS, *B2B_FIELDS, "location", *MARKET_FIELDS,
        ]  # fmt: skip
        widgets = {
            "customer_type": forms.RadioSelect,
            **_small_textareas("description", rows=3),
            **_small_textareas("interests", "needs", "previous_purchases", "replaces", "gives_up"),
        }
        error_messages = {
            "estimated_size": {"min_value": NOT_NEGATIVE},
            "revenue_potential": {"min_value": NOT_NEGATIVE},
            "cost_to_serve": {"min_value": NOT_NEGATIVE},
            "age_min": {"min_value": NOT_NEGATIVE},
            "age_max": {"min_value": NOT_NEGATIVE},
            "growth_rate": {"min_value": _("A segment cannot shrink by more than 100%% a year.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].initial = self.instance.note.text
        self.order_fields(["name"])
        self.fields["customer_type"].choices = CustomerType.choices  # no empty choice for radios
        self._write_out_figures()

    def _write_out_figures(self) -> None:
        """A number field holds bare digits: beside it, the saved figure as the language
        writes it (1.800.000 €, €1,800,000) and the canvas' currency; whole amounts show
        without ".00"."""
        currency = self.instance.note.canvas.currency
        for name in ("revenue_potential", "cost_to_serve"):
            value = self.initial.get(name)
            if value is None:
                self.fields[name].help_text = _("In %(currency)s.") % {"currency": Currency(currency).label}
                continue
            if value == value.to_integral_value():
                self.initial[name] = value.quantize(Decimal(1))
            self.fields[name].help_text = _("Saved: %(figure)s.") % {"figure": money(value, currency)}
        if self.initial.get("estimated_size") is not None:
            figure = number(self.initial["estimated_size"])
            self.fields["estimated_size"].help_text = _("Saved: %(figure)s.") % {"figure": figure}

    def clean(self):
        data = super().clean()
        if "age_min" in self.errors or "age_max" in self.errors:
            return data
        # A field the merge left to a teammate's value is not in data: the stored one counts.
        age_min = data.get("age_min", self.instance.age_min)
        age_max = data.get("age_max", self.instance.age_max)
        if age_min is not None and age_max is not None and age_min > age_max:
            self.add_error("age_max", _("The age range ends before it starts: “to” must be at least “from”."))
        return data

    def b2c_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in B2C_FIELDS]

    def b2b_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in B2B_FIELDS]

    def market_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in MARKET_FIELDS]


class NoteSegmentsForm(forms.Form):
    """The segments a note serves: any of its canvas' segments, nothing else."""

    segments = forms.ModelMultipleChoiceField(
        label=_("Segments this note serves"),
        queryset=Segment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose among this canvas' segments."),
            "invalid_pk_value": _("Choose among this canvas' segments."),
        },
    )

    # What the form showed checked: only the boxes the user changed since are applied, so a
    # teammate's links made meanwhile are neither undone nor re-made (a set merge: no conflict).
    was_serving = forms.ModelMultipleChoiceField(
        queryset=Segment.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )
    # Says was_serving was sent (it is empty when no box was checked).
    shown = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)

    def __init__(self, *args, canvas: Canvas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"].queryset = Segment.objects.of_canvas(canvas)
        self.fields["segments"].label_from_instance = lambda segment: segment.name
        # Any segment of the canvas: one whose note left the board since is no error.
        self.fields["was_serving"].queryset = Segment.objects.filter(note__canvas=canvas)
        self.fields["was_serving"].error_messages["invalid_choice"] = _("Choose among this canvas' segments.")
        self.fields["was_serving"].error_messages["invalid_pk_value"] = _("Choose among this canvas' segments.")
        self.initial.setdefault("was_serving", self.initial.get("segments", []))

    def changes(self, on_board: list[Segment]) -> tuple[set[Segment], set[Segment]]:
        """The segments to link and to unlink: what the user checked and unchecked. Without
        what the form showed, the checked boxes are the whole set among `on_board`."""
        chosen = set(self.cleaned_data["segments"])
        if not self.cleaned_data.get("shown"):
            return chosen, {segment for segment in on_board if segment not in chosen}
        was = set(self.cleaned_data["was_serving"])
        return chosen - was, (was - chosen) & set(on_board)


NOT_A_SEGMENT = _("Choose among this canvas' segments.")


class SegmentToggleForm(forms.Form):
    """One click of the board's segment picker: the note starts serving one segment (`link`)
    or stops serving it (`unlink`). Saying which, rather than "toggle", keeps a click based on
    what the page showed from undoing a teammate's link made meanwhile."""

    link = forms.ModelChoiceField(queryset=Segment.objects.none(), required=False)
    unlink = forms.ModelChoiceField(queryset=Segment.objects.none(), required=False)

    def __init__(self, *args, canvas: Canvas, **kwargs):
        super().__init__(*args, **kwargs)
        # A note starts serving a segment on the board; it may stop serving any of the canvas.
        self.fields["link"].queryset = Segment.objects.of_canvas(canvas)
        self.fields["unlink"].queryset = Segment.objects.filter(note__canvas=canvas)
        for name in ("link", "unlink"):
            self.fields[name].error_messages["invalid_choice"] = NOT_A_SEGMENT

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("link")) == bool(data.get("unlink")):
            raise forms.ValidationError(_("Choose one segment to add or to remove."), code="one_segment")
        return data

    def changes(self) -> tuple[set[Segment], set[Segment]]:
        link, unlink = self.cleaned_data.get("link"), self.cleaned_data.get("unlink")
        return ({link} if link else set()), ({unlink} if unlink else set())

    def first_error(self) -> str:
        return next(iter(error for errors in self.errors.values() for error in errors), "")


class SegmentNotesForm(forms.Form):
    """The notes of the other blocks that serve a segment, chosen on the segment's page.

    Like NoteSegmentsForm, only the boxes the user changed since the page showed them are
    applied: a teammate's links made meanwhile are neither undone nor re-made."""

    notes = forms.ModelMultipleChoiceField(
        label=_("Notes that serve this segment"),
        queryset=Note.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose among the notes of this canvas' board."),
            "invalid_pk_value": _("Choose among the notes of this canvas' board."),
        },
    )
    was_serving = forms.ModelMultipleChoiceField(
        queryset=Note.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )
    shown = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)

    def __init__(self, *args, segment: Segment, **kwargs):
        super().__init__(*args, **kwargs)
        on_board = Note.objects.filter(canvas_id=segment.canvas_id, block__in=LINKABLE_BLOCKS)
        self.fields["notes"].queryset = on_board
        # A note that left the board (deleted, or moved to Customer Segments) is no error.
        self.fields["was_serving"].queryset = Note.all_objects.filter(canvas_id=segment.canvas_id)
        for error in ("invalid_choice", "invalid_pk_value"):
            self.fields["was_serving"].error_messages[error] = self.fields["notes"].error_messages[error]
        self.initial.setdefault("was_serving", self.initial.get("notes", []))

    def changes(self, on_board: list[Note]) -> tuple[set[Note], set[Note]]:
        chosen = set(self.cleaned_data["notes"])
        if not self.cleaned_data.get("shown"):
            return chosen, {note for note in on_board if note not in chosen}
        was = set(self.cleaned_data["was_serving"])
        return chosen - was, (was - chosen) & set(on_board)


class SegmentColourForm(forms.ModelForm):
    class Meta:
        model = Segment
        fields = ["colour"]
        widgets = {"colour": forms.RadioSelect}
        error_messages = {
            "colour": {
                "invalid_choice": _("Choose one of the palette's colours."),
                "required": _("Choose one of the palette's colours."),
                "invalid": _("Choose one of the palette's colours."),
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colour"].choices = SegmentColour.choices  # no empty choice for radios


#: Quotation marks people type around a quote: the pages add their own.
QUOTE_MARKS = "\"'“”„«»‘’‚‹›"


class PersonaForm(ConcurrentEditForm):
    def clean_quote(self) -> str:
        return self.cleaned_data["quote"].strip().strip(QUOTE_MARKS).strip()

    class Meta:
        model = Persona
        fields = ["name", "age", "occupation", "bio", "goals", "pains", "motivations", "jobs", "channels", "quote"]
        widgets = _small_textareas("bio", "goals", "pains", "motivations", "jobs", "channels")
        error_messages = {
            "name": {"required": _("Give the persona a name.")},
            "age": {"min_value": NOT_NEGATIVE, "max_value": _("An age is at most %(limit_value)s.")},
        }


IMPORTANCE_ERROR = _("Importance goes from 1 (nice to have) to 3 (essential).")
KIND_ERROR = _("Choose a job, a pain or a gain.")


class ProfileItemForm(ConcurrentEditForm):
    """A job, pain or gain of the customer profile, with its importance (1 to 3). The kind is
    chosen when the item is added and never changes: value-map items point to it."""

    class Meta:
        model = ProfileItem
        fields = ["kind", "text", "importance"]
        widgets = {"kind": forms.HiddenInput}
        error_messages = {
            "kind": {code: KIND_ERROR for code in ("invalid_choice", "required")},
            "text": {"required": _("Describe it in a few words.")},
            "importance": {code: IMPORTANCE_ERROR for code in ("min_value", "max_value", "invalid", "required")},
        }

    IMPORTANCE_CHOICES = [(1, _("1 · nice to have")), (2, _("2 · important")), (3, _("3 · essential"))]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kind"]
        # A select offers 1-3 only; a tampered value still meets the field's validators.
        self.fields["importance"].widget = forms.Select(choices=self.IMPORTANCE_CHOICES)
        if kind := profile_kind(self.kind):
            self.fields["text"].label = kind.label

    @property
    def kind(self) -> str:
        return self.instance.kind if self.instance.pk else (self["kind"].value() or "")


class ValueItemForm(ConcurrentEditForm):
    """A product or service, pain reliever or gain creator of the value map.

    It may only address profile items of its own segment of the kind it addresses (a reliever
    relieves pains), and only products link to Value Propositions notes of the same canvas.
    The kind is chosen when the item is added and never changes."""

    class Meta:
        model = ValueItem
        fields = ["kind", "text", "addresses", "notes"]
        widgets = {
            "kind": forms.HiddenInput,
            "addresses": forms.CheckboxSelectMultiple,
            "notes": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "kind": {
                "invalid_choice": _("Choose a product or service, a pain reliever or a gain creator."),
                "required": _("Choose a product or service, a pain reliever or a gain creator."),
            },
            "text": {"required": _("Describe it in a few words.")},
        }

    ADDRESSES_LABELS = {
        ValueKind.PRODUCT: _("Jobs it helps with"),
        ValueKind.RELIEVER: _("Pains it relieves"),
        ValueKind.CREATOR: _("Gains it creates"),
    }
    ADDRESSES_ERRORS = {
        ValueKind.PRODUCT: _("A product or service can only serve this segment's jobs."),
        ValueKind.RELIEVER: _("A pain reliever can only relieve this segment's pains."),
        ValueKind.CREATOR: _("A gain creator can only create this segment's gains."),
    }
    NOTES_ERROR = _("Link only to Value Propositions notes of this canvas.")

    def __init__(self, *args, segment: Segment, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kind"]
        kind = value_kind(self.kind)
        if kind is not None:
            self.fields["text"].label = kind.label
        addresses = self.fields["addresses"]
        if kind is None:
            addresses.queryset = ProfileItem.objects.none()
        else:
            addresses.queryset = segment.profile_items.filter(kind=ADDRESSES[kind])
            addresses.label = self.ADDRESSES_LABELS[kind]
            addresses.error_messages["invalid_choice"] = self.ADDRESSES_ERRORS[kind]
            addresses.error_messages["invalid_pk_value"] = self.ADDRESSES_ERRORS[kind]
        addresses.label_from_instance = lambda item: item.text
        if kind == ValueKind.PRODUCT:
            notes = self.fields["notes"]
            notes.queryset = Note.objects.filter(
                canvas_id=segment.canvas_id, block=Block.VALUE_PROPOSITIONS
            ).order_by("position")
            notes.label = _("Value propositions on the board")
            notes.label_from_instance = lambda note: note.text
            notes.error_messages["invalid_choice"] = self.NOTES_ERROR
            notes.error_messages["invalid_pk_value"] = self.NOTES_ERROR
        else:
            del self.fields["notes"]

    @property
    def kind(self) -> str:
        return self.instance.kind if self.instance.pk else (self["kind"].value() or "")


def profile_kind(value: str) -> ProfileKind | None:
    return ProfileKind(value) if value in ProfileKind.values else None


def value_kind(value: str) -> ValueKind | None:
    return ValueKind(value) if value in ValueKind.values else None
