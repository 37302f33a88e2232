"""A note's evidence: its status (idea to validated), its test card and its learning card.
Readers see them; editors change them, merged with a teammate's edit like any note edit."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ..access import canvas_view, get_note_of_canvas
from ..concurrent import merge_and_save
from ..forms import NoteEvidenceForm
from ..models import LEARNING_CARD, TEST_CARD, Canvas, Role


@canvas_view(Role.VIEWER, change=Role.EDITOR, methods=["GET", "POST"])
def note_evidence(request: HttpRequest, canvas: Canvas, note_id: int) -> HttpResponse:
    note = get_note_of_canvas(canvas, note_id)
    can_edit = Role(canvas.user_role).allows(Role.EDITOR)
    form = NoteEvidenceForm(instance=note) if can_edit else None
    status = 200
    if request.method == "POST":
        form = merge_and_save(
            lambda: get_note_of_canvas(canvas, note_id),
            lambda stored: NoteEvidenceForm(request.POST, instance=stored),
            lambda form: form.save_merged(by=request.user),
            stored=note,
        )
        if form.is_valid():
            messages.success(request, _("The note's evidence is saved."))
            return HttpResponseRedirect(reverse("canvas_app:note_evidence", args=[canvas.pk, note.pk]))
        note, status = get_note_of_canvas(canvas, note_id), 409 if form.theirs else 400
    context = {
        "canvas": canvas,
        "note": note,
        "form": form,
        "test_card": [(note._meta.get_field(name).verbose_name, getattr(note, name)) for name in TEST_CARD],
        "learning_card": [(note._meta.get_field(name).verbose_name, getattr(note, name)) for name in LEARNING_CARD],
        "test_fields": [form[name] for name in TEST_CARD] if form else [],
        "learning_fields": [form[name] for name in LEARNING_CARD] if form else [],
    }
    return TemplateResponse(request, "canvas_app/note_evidence.html", context, status=status)
