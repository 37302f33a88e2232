"""A user's canvases: the dashboard, and creating, renaming, duplicating and deleting one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from .. import services
from ..access import canvas_view, private
from ..forms import CanvasForm
from ..importer import ImportProblem, import_document, read_file
from ..models import Canvas, Role
from ..money import default_currency
from ..uploads import accepts_files

DASHBOARD_PAGE_SIZE = 12


def _new_canvas_initial(request: HttpRequest) -> dict:
    return {"language": request.LANGUAGE_CODE, "currency": default_currency(request.LANGUAGE_CODE)}


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    canvases = Canvas.objects.for_user(request.user).order_by("-updated_at", "-pk")
    page = Paginator(canvases, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    form = CanvasForm(initial=_new_canvas_initial(request))
    return private(TemplateResponse(request, "canvas_app/dashboard.html", {"page": page, "form": form}))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def canvas_create(request: HttpRequest) -> HttpResponse:
    form = CanvasForm(request.POST or None, initial=_new_canvas_initial(request))
    if request.method == "POST" and form.is_valid():
        canvas = Canvas.create_for(request.user, **form.cleaned_data)
        return redirect("canvas_app:board", canvas.pk)
    return private(
        TemplateResponse(request, "canvas_app/canvas_form.html", {"form": form}, status=400 if form.errors else 200)
    )


@canvas_view(Role.EDITOR, methods=["GET", "POST"])
def canvas_edit(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    form = CanvasForm(request.POST or None, instance=Canvas.objects.get(pk=canvas.pk))
    if request.method == "POST" and form.is_valid():
        canvas.edit_details(by=request.user, **form.cleaned_data)
        messages.success(request, _("Canvas saved."))
        return redirect("canvas_app:board", canvas.pk)
    return TemplateResponse(
        request,
        "canvas_app/canvas_form.html",
        {"form": form, "canvas": canvas},
        status=400 if form.errors else 200,
    )


@canvas_view(Role.EDITOR, methods=["POST"])
def canvas_duplicate(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    title = _("Copy of %(title)s") % {"title": canvas.title}
    copy = services.duplicate_canvas(canvas=canvas, user=request.user, title=title)
    messages.success(request, _("Canvas duplicated with all its notes."))
    return redirect("canvas_app:board", copy.pk)


@canvas_view(Role.OWNER, methods=["GET", "POST"])
def canvas_delete(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    if request.method == "POST":
        title = canvas.title
        canvas.delete()
        messages.success(request, _("Canvas “%(title)s” deleted.") % {"title": title})
        return redirect("canvas_app:dashboard")
    return TemplateResponse(
        request, "canvas_app/canvas_delete.html", {"canvas": canvas, "note_count": canvas.notes.count()}
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Canvas file"), max_length=200,
        help_text=gettext_lazy("JSON exported from Lienzo, or Markdown: # Title, ## Block headings (English or Spanish), - notes."),
    )  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            self.document, self.skipped = read_file(upload.read(), upload.name or "")
        except ImportProblem as problem:
            raise forms.ValidationError(str(problem)) from problem
        return upload


IMPORT_MAX_BYTES = 2 * 1024 * 1024


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@accepts_files
def canvas_import(request: HttpRequest) -> HttpResponse:
    """A new canvas from a JSON or Markdown file; a bad file gets its message and creates nothing."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            canvas = import_document(form.document, owner=request.user)
        except ImportProblem as problem:
            form.add_error("file", str(problem))
        else:
            if form.skipped:
                messages.warning(
                    request, _("Headings that are not blocks were skipped: %(headings)s.") % {"headings": ", ".join(form.skipped)}
                )
            messages.success(request, _("Canvas imported."))
            return redirect("canvas_app:board", canvas.pk)
    status = 400 if form.errors else 200
    return private(TemplateResponse(request, "canvas_app/canvas_import.html", {"form": form}, status=status))
