"""Editing a record that teammates edit at the same time, without losing anyone's change.

A ConcurrentEditForm carries the version of the record it was based on and a signed
snapshot of the values it showed (its base). On submit each field is merged three ways,
between the base, what the user sent (mine) and what is stored now (theirs):

- a field the user left as it was keeps what is stored: a teammate may have changed it;
- a field only the user changed takes the user's value;
- a field both changed, to different values, is a conflict. Nothing is saved; the form
  shows both values, the user's in the box and theirs beside it, and asks which to keep.

The write itself only happens if the row still has the version the merge read
(VersionedModel.save_if_unchanged); otherwise the view merges again with the newer row."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from .models import VersionedModel
from .models.changes import jsonable

#: Sent by the radio buttons of a conflict: keep the stored value instead of mine.
KEEP_THEIRS = "theirs"
#: A snapshot is a few kB at most (the longest record's fields, compressed).
BASE_MAX_LENGTH = 60_000
#: How many times a save merges again after a teammate wrote in between.
SAVE_ATTEMPTS = 3

CONFLICTS_ERROR = _(
    "Nothing was saved: someone else saved changes while you were editing. Where you both changed a field, "
    "both versions are shown: choose which to keep, then save again."
)
CONFLICT_ERROR = _("Someone else changed this while you were editing it: choose below which version to keep.")


class ConflictBoundField(BoundField):
    @property
    def conflict(self) -> str:
        """What a teammate stored in this field meanwhile, as a reader sees it ("" when
        there is no conflict)."""
        if self.name not in self.form.theirs:
            return ""
        value = self.form.theirs[self.name]
        if isinstance(value, (list, tuple)):  # the chosen objects of a many-to-many field
            value = ", ".join(self.field.label_from_instance(choice) for choice in value)
        if value in (None, ""):
            return str(_("(empty)"))
        choices = dict(getattr(self.field, "choices", None) or ())
        return str(choices.get(value, value))

    @property
    def keep_name(self) -> str:
        return f"{self.html_name}-keep"


class ConcurrentEditForm(forms.ModelForm):
    """A ModelForm over a VersionedModel that never overwrites a change it did not show."""

    bound_field_class = ConflictBoundField

    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False, widget=forms.HiddenInput)
    base = forms.CharField(max_length=BASE_MAX_LENGTH, required=False, widget=forms.HiddenInput)

    #: Salt of the snapshot's signature: a snapshot of one kind of form is no other's.
    base_salt = "lienzo.concurrent"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theirs: dict[str, object] = {}  # in conflict: field name -> stored value
        self.kept_theirs: list[str] = []  # fields a teammate changed that this edit kept
        self.fields["version"].initial = self.instance.version
        # Taken when rendered: a subclass may still set initial values after this.
        self.fields["base"].initial = self._snapshot

    def merged_fields(self) -> list[str]:
        return [name for name in self.fields if name not in ("version", "base")]

    def stored(self, name: str):
        return self.get_initial_for_field(self.fields[name], name)

    def _snapshot(self) -> str:
        values = {name: jsonable(self.stored(name)) for name in self.merged_fields()}
        return signing.dumps(values, salt=self.base_salt, compress=True)

    def _base(self) -> dict | None:
        try:
            base = signing.loads(self.data.get(self.add_prefix("base"), ""), salt=self.base_salt)
        except signing.BadSignature:
            return None
        return base if isinstance(base, dict) else None

    def clean(self):
        data = super().clean()
        if self.instance._state.adding:
            return data  # a new record: nobody else has seen it
        base = self._base()
        # Like a note edit, a post that names no version asks for no check.
        stale = data.get("version") not in (None, self.instance.version)
        for name in self.merged_fields():
            if name not in data:
                continue  # rejected: its own error says why
            field, mine = self.fields[name], self[name].data
            stored = self.stored(name)
            if self.data.get(self[name].keep_name) == KEEP_THEIRS:
                del data[name]
                continue
            if not field.has_changed(stored, mine):
                continue  # nothing to merge
            if base is None or name not in base:
                # No base to tell who changed what: a stale version says someone did.
                theirs_changed = mine_changed = stale
            else:
                theirs_changed = field.has_changed(stored, base[name])
                mine_changed = _differs(field, base[name], mine)
            if not theirs_changed:
                continue  # only mine changed it
            if not mine_changed:
                del data[name]  # only theirs did: keep it
                self.kept_theirs.append(name)
                continue
            self.theirs[name] = stored
            self.add_error(name, CONFLICT_ERROR)
        if self.theirs:
            self.add_error(None, CONFLICTS_ERROR)
            self._rebase()
        return data

    def _rebase(self) -> None:
        """Base the re-shown form on what is stored now, so that saving it again keeps
        the values in the boxes (unless a field says to keep theirs)."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(self.instance.version)
        self.data[self.add_prefix("base")] = self._snapshot()

    def kept_labels(self) -> list[str]:
        return [str(self.fields[name].label) for name in self.kept_theirs]

    def save_merged(self, *, by, **extra) -> bool:
        """Write the merged fields (and `extra` attributes), as a change by `by`, unless the
        row changed since this form read it; False when it did."""
        for name, value in extra.items():
            setattr(self.instance, name, value)
        merged = set(self.merged_fields()) & set(self.cleaned_data)
        model_fields = [f.name for f in self.instance._meta.concrete_fields if f.name in merged]
        # The many-to-many fields the merge left in cleaned_data, in the same change.
        before = {name: jsonable(self.stored(name)) for name in model_fields}  # as this form read them
        return self.instance.save_if_unchanged(
            fields=[*model_fields, *extra], by=by, then=self._save_m2m, before=before
        )


def _differs(field: forms.Field, base, mine) -> bool:
    try:
        return field.has_changed(field.to_python(base), mine)
    except ValidationError:
        return True


def merge_and_save(
    load: Callable[[], VersionedModel],
    make_form: Callable[[VersionedModel], ConcurrentEditForm],
    save: Callable[[ConcurrentEditForm], bool],
    *,
    stored: VersionedModel | None = None,
) -> ConcurrentEditForm:
    """Bind the posted form to the stored record and save it, merging again (up to
    SAVE_ATTEMPTS times) when a teammate writes between the read and the write. The form
    comes back invalid when it has errors or conflicts, and then nothing was saved.
    `stored` is the record as the caller has just read it (else the first `load()`).
    `save(form)` writes all of the form or nothing (one recorded change, or its own
    transaction around several) and says whether it did."""
    for attempt in range(SAVE_ATTEMPTS):
        form = make_form(stored if attempt == 0 and stored is not None else load())
        if not form.is_valid():
            return form
        if save(form):
            return form
    form = make_form(load())
    if form.is_valid():
        form.add_error(None, _("Too many people saved this at the same moment: nothing was saved, try again."))
    return form
