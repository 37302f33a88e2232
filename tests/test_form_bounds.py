"""Every field of every form the app uses is bounded on the server: text by a maximum
length, numbers by a minimum and a maximum, anything else by its choices.

The forms are found, not listed: every form class defined in the apps, the forms of the
account views the URLconf resolves to, and the admin's log-in form. FORMS says how to build
each one; a form without an entry fails, so a new form cannot ship without being checked.
The admin's model forms are left out: only staff see them, and they follow the models,
whose text fields test_every_model_text_field_has_a_max_length checks."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import resolve, reverse

from canvas_app.models import Block
from segments.models import PrioritySettings
from tests.segments.factories import make_criterion, make_segment

#: Our packages and our apps' labels.
APPS = ["accounts", "canvas_app", "segments", "customers"]
APP_LABELS = ["accounts", "canvas_app", "segments", "customers"]
#: Fields bounded by what they may choose from.
CHOICE_FIELDS = (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField)
#: The views of the URLconf that show a form of Django's (perhaps replaced by one of ours).
FORM_URLS = {
    "login": {},
    "password_change": {},
    "password_reset": {},
    "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
}


def _import_app_modules() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def _view_form(name: str, kwargs: dict) -> type:
    view = resolve(reverse(name, kwargs=kwargs)).func
    initkwargs = getattr(view, "view_initkwargs", {})
    for attribute in ("authentication_form", "form_class"):
        form = initkwargs.get(attribute) or getattr(view.view_class, attribute, None)
        if form is not None:
            return form
    raise AssertionError(f"{name} shows no form")


def _abstract(cls: type) -> bool:
    """A ModelForm base without a model (segments.concurrent's): it cannot be built, and
    its fields are checked in each form built on it."""
    return issubclass(cls, forms.ModelForm) and cls._meta.model is None


def used_forms() -> list[type]:
    _import_app_modules()
    defined = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in APPS and not cls.__name__.startswith("_") and not _abstract(cls)
    }
    served = {_view_form(name, kwargs) for name, kwargs in FORM_URLS.items()}
    return sorted(defined | served | {admin.site.login_form}, key=lambda c: f"{c.__module__}.{c.__qualname__}")


# How to build each form -------------------------------------------------------------------


def _segment(w):
    return make_segment(w["canvas"])


def _forms() -> dict[str, Callable[[dict], forms.BaseForm]]:
    from accounts import forms as account_forms
    from canvas_app import forms as canvas_forms
    from canvas_app.views import comments as comment_views
    from canvas_app.views import versions as version_views
    from canvas_app.views import canvases as canvas_views
    from segments import forms as segment_forms
    from customers import forms as customer_forms
    from customers.models import CustomerData
    from customers.reading import Layout
    from segments.prioritisation import forms as prioritisation
    from segments.relationship import forms as relationship_forms

    table = {
        account_forms.SignUpForm: lambda w: account_forms.SignUpForm(),
        account_forms.LoginForm: lambda w: account_forms.LoginForm(),
        account_forms.AdminLoginForm: lambda w: account_forms.AdminLoginForm(),
        account_forms.PasswordChangeForm: lambda w: account_forms.PasswordChangeForm(w["owner"]),
        account_forms.SetPasswordForm: lambda w: account_forms.SetPasswordForm(w["owner"]),
        account_forms.ResendActivationForm: lambda w: account_forms.ResendActivationForm(),
        account_forms.PasswordResetForm: lambda w: account_forms.PasswordResetForm(),
        canvas_forms.CanvasForm: lambda w: canvas_forms.CanvasForm(),
        canvas_views.ImportForm: lambda w: canvas_views.ImportForm(),
        canvas_forms.NoteForm: lambda w: canvas_forms.NoteForm(
            instance=w["canvas"].add_note(block=Block.CUSTOMER_RELATIONSHIPS, text="Comunidad")
        ),
        canvas_forms.NoteEvidenceForm: lambda w: canvas_forms.NoteEvidenceForm(
            instance=w["canvas"].add_note(block=Block.VALUE_PROPOSITIONS, text="Café fresco")
        ),
        canvas_forms.NoteMoveForm: lambda w: canvas_forms.NoteMoveForm(),
        version_views.SnapshotForm: lambda w: version_views.SnapshotForm(),
        comment_views.CommentForm: lambda w: comment_views.CommentForm(),
        canvas_forms.InvitationForm: lambda w: canvas_forms.InvitationForm(canvas=w["canvas"], user=w["owner"]),
        canvas_forms.MemberRoleForm: lambda w: canvas_forms.MemberRoleForm(),
        segment_forms.SegmentForm: lambda w: segment_forms.SegmentForm(instance=_segment(w)),
        segment_forms.NoteSegmentsForm: lambda w: segment_forms.NoteSegmentsForm(canvas=w["canvas"]),
        segment_forms.PersonaForm: lambda w: segment_forms.PersonaForm(),
        segment_forms.SegmentToggleForm: lambda w: segment_forms.SegmentToggleForm(canvas=w["canvas"]),
        segment_forms.SegmentNotesForm: lambda w: segment_forms.SegmentNotesForm(segment=_segment(w)),
        segment_forms.SegmentColourForm: lambda w: segment_forms.SegmentColourForm(instance=_segment(w)),
        segment_forms.ProfileItemForm: lambda w: segment_forms.ProfileItemForm(),
        segment_forms.ValueItemForm: lambda w: segment_forms.ValueItemForm(
            {"kind": "product"}, segment=_segment(w)
        ),
        relationship_forms.RelationshipItemForm: lambda w: relationship_forms.RelationshipItemForm(
            {"topic": "touchpoints"}, segment=_segment(w)
        ),
        relationship_forms.LinkRelationshipForm: lambda w: relationship_forms.LinkRelationshipForm(segment=_segment(w)),
        customer_forms.UploadForm: lambda w: customer_forms.UploadForm(),
        customer_forms.LayoutForm: lambda w: customer_forms.LayoutForm(
            layout=Layout(columns=["cliente", "fecha", "importe", "ciudad"], mapping={"customer": "cliente"})
        ),
        customer_forms.SettingsForm: lambda w: customer_forms.SettingsForm(instance=CustomerData(canvas=w["canvas"])),
        customer_forms.PlaybookForm: lambda w: customer_forms.PlaybookForm(),
        customer_forms.CampaignForm: lambda w: customer_forms.CampaignForm(),
        prioritisation.ScoreSheetForm: lambda w: prioritisation.ScoreSheetForm(
            segments=[_segment(w)], criteria=[make_criterion(w["canvas"], "Tamaño")], saved={}
        ),
        prioritisation.CriterionForm: lambda w: prioritisation.CriterionForm(canvas=w["canvas"]),
        prioritisation.PrimarySegmentForm: lambda w: prioritisation.PrimarySegmentForm(segments=[_segment(w)]),
        prioritisation.ThresholdForm: lambda w: prioritisation.ThresholdForm(
            instance=PrioritySettings.for_canvas(w["canvas"])
        ),
    }
    from django.contrib.auth.forms import PasswordResetForm

    table[PasswordResetForm] = lambda w: PasswordResetForm()
    try:
        from canvas_app.forms import ShareLinkForm
    except ImportError:
        pass
    else:
        table[ShareLinkForm] = lambda w: ShareLinkForm()
    return {f"{cls.__module__}.{cls.__qualname__}": build for cls, build in table.items()}


FORMS = _forms()
USED = used_forms()


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


# The checks --------------------------------------------------------------------------------


def _model_validators(form: forms.BaseForm, name: str) -> list:
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return []
    try:
        field = model._meta.get_field(name)
    except Exception:
        return []
    # Only the validators the field was given: not the database's integer range.
    return [*field.default_validators, *field._validators]


def unbounded(form: forms.BaseForm) -> list[str]:
    problems = []
    for name, field in form.fields.items():
        validators = [*field.validators, *_model_validators(form, name)]
        if isinstance(field, CHOICE_FIELDS):
            continue
        if isinstance(field, forms.CharField):
            if field.max_length is None or not any(isinstance(v, MaxLengthValidator) for v in field.validators):
                problems.append(f"{name}: text without a maximum length")
        elif isinstance(field, forms.IntegerField):  # also DecimalField and FloatField
            digits = getattr(field, "max_digits", None) is not None  # |value| < 10**(digits - places)
            has_min = digits or field.min_value is not None or any(isinstance(v, MinValueValidator) for v in validators)
            has_max = digits or field.max_value is not None or any(isinstance(v, MaxValueValidator) for v in validators)
            if not (has_min and has_max):
                problems.append(f"{name}: a number without {'a minimum' if not has_min else 'a maximum'}")
        elif isinstance(field, forms.DateField):
            continue  # a date or nothing: what does not parse as one is refused
        elif isinstance(field, forms.FileField):
            # The uploads middleware refuses a body past FILE_UPLOAD_MAX_BODY before it is read.
            if field.max_length is None:
                problems.append(f"{name}: a file without a maximum name length")
        else:
            problems.append(f"{name}: a {type(field).__name__}; say here how it is bounded")
    return problems


def test_every_form_the_app_uses_is_found_and_has_an_entry():
    assert len(USED) >= 20
    missing = [_name(cls) for cls in USED if _name(cls) not in FORMS]
    assert not missing, f"forms without an entry in FORMS: {missing}"


@pytest.mark.parametrize("form_class", USED, ids=_name)
def test_every_field_is_bounded(db, owner, canvas, form_class):
    build = FORMS.get(_name(form_class))
    if build is None:
        pytest.fail(f"{_name(form_class)} has no entry in FORMS: say how to build it")
    form = build({"owner": owner, "canvas": canvas})
    assert type(form) is form_class
    assert form.fields
    assert unbounded(form) == []


@pytest.mark.parametrize("form_class", USED, ids=_name)
def test_a_value_past_the_bound_is_refused(db, owner, canvas, form_class):
    """The bounds are enforced by the form, not just shown to the browser."""
    form = FORMS[_name(form_class)]({"owner": owner, "canvas": canvas})
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField):
            with pytest.raises(forms.ValidationError):
                field.clean("a" * (field.max_length + 1))
        elif isinstance(field, forms.IntegerField) and field.max_value is not None:
            with pytest.raises(forms.ValidationError):
                field.clean(str(field.max_value + 1))
        elif isinstance(field, forms.IntegerField) and getattr(field, "max_digits", None):
            with pytest.raises(forms.ValidationError):
                field.clean("9" * (field.max_digits + 1))


def test_every_model_text_field_has_a_max_length():
    unbounded_fields = [
        f"{model.__name__}.{field.name}"
        for app in APP_LABELS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, (models.CharField, models.TextField)) and field.max_length is None
    ]
    assert unbounded_fields == []


def test_a_value_past_a_model_bound_is_refused_by_the_model_form(db, owner, canvas):
    """Bounds that only the model knows (a persona's age) still hold in the form."""
    from segments.forms import PersonaForm

    form = PersonaForm({"name": "Lucía", "age": "121"})
    assert not form.is_valid()
    assert "age" in form.errors
