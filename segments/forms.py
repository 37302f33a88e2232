"""Forms of the segment pages. Each form owns its validation: a rejected form changes nothing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from canvas_app.models import Block, Canvas, Note

from canvas_app.concurrent import ConcurrentEditForm
from .models import ADDRESSES, CustomerType, Persona, ProfileItem, ProfileKind, Segment, ValueItem, ValueKind

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
