"""Customer data pages (namespace "customers"): the groups, the upload and its columns, the
progress of a job, the team's choices, the grid, the customers CSV, and deleting it all.

Members see the figures; owners and editors upload, choose and download customer rows.
Nothing here is reachable through a share link."""

from __future__ import annotations

import os
import tempfile

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from canvas_app.access import canvas_view
from canvas_app.exports import member_urls, request_export
from canvas_app.models import Canvas, CanvasFullError, Export, Role
from canvas_app.uploads import accepts_files

from . import charts, promotion, reading, services, tasks
from .forms import GRID_CELLS, GROUP_CHOICES, LayoutForm, SettingsForm, UploadForm, cell_name
from .models import CustomerData, Job, PromotedGroup
from .overview import COLUMNS, group_rows, job_error
from .report import report_basis
from .rfm import GROUP_IDS, grid_errors, grid_from_json, grid_to_json

EDIT = {"need": Role.VIEWER, "change": Role.EDITOR}


def _data(canvas: Canvas) -> CustomerData | None:
    return CustomerData.objects.filter(canvas=canvas).first()


def _context(canvas: Canvas, **extra) -> dict:
    role = Role(canvas.user_role)
    return {"canvas": canvas, "can_edit": role.allows(Role.EDITOR), **extra}


@canvas_view()
def overview(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    return _overview(request, canvas)


def _overview(request, canvas, *, upload_form=None, settings_form=None, status=200) -> TemplateResponse:
    data = _data(canvas)
    context = _context(canvas, data=data, upload_form=upload_form or UploadForm())
    open_job = Job.objects.filter(canvas=canvas).first()
    context["open_job"] = open_job if open_job and open_job.is_open else None
    if data is not None and data.summary:
        summary = data.summary
        sort = request.GET.get("sort", "")
        context.update(
            summary=summary,
            rows=group_rows(summary, sort=sort),
            sort=sort,
            columns=COLUMNS,
            report_sizes=REPORT_SIZES,
            heat_map=charts.heat_map(summary["cells"], grid_from_json(data.grid)),
            settings_form=settings_form or SettingsForm(instance=data),
        )
        context["bars"], context["bars_width"], context["bars_height"] = charts.group_bars(summary["groups"])
        context["bar_label"] = charts.BAR_LABEL
        context["promoted"] = {
            promoted.group: promoted.segment
            for promoted in PromotedGroup.objects.filter(canvas=canvas).select_related("segment__note")
        }
    return TemplateResponse(request, "customers/overview.html", context, status=status)


@canvas_view(need=Role.EDITOR, methods=["POST"])
@accepts_files
def upload(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = services.start_import(
                canvas, form.cleaned_data["file"], by=request.user, source=form.cleaned_data["source"]
            )
        except reading.UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            return HttpResponseRedirect(reverse("customers:job", args=[canvas.pk, job.pk]), status=303)
    return _overview(request, canvas, upload_form=form, status=400)


def _job(canvas: Canvas, job_id) -> Job:
    return get_object_or_404(Job, canvas=canvas, pk=job_id)


@canvas_view(need=Role.EDITOR, methods=["GET", "POST"])
def job(request: HttpRequest, canvas: Canvas, job_id) -> HttpResponse:
    """An upload's preview and columns, then its progress, its bad lines, its end."""
    job = _job(canvas, job_id)
    if job.status == Job.Status.DONE and not request.htmx:
        return HttpResponseRedirect(reverse("customers:overview", args=[canvas.pk]))
    form = None
    if job.status == Job.Status.UPLOADED:
        layout = job.get_layout()
        if request.method == "POST":
            form = LayoutForm(request.POST, layout=layout)
            if form.is_valid():
                if "preview" in request.POST or _reread_needed(layout, form):
                    job.layout = _reread(job, form.apply(layout)).as_json()
                    job.save(update_fields=["layout"])
                    return HttpResponseRedirect(reverse("customers:job", args=[canvas.pk, job.pk]), status=303)
                job.layout = form.apply(layout).as_json()
                job.attributes = form.cleaned_data["attributes"]
                job.status = Job.Status.READING
                job.save(update_fields=["layout", "attributes", "status"])
                tasks.read_upload.enqueue(str(job.pk))
                return HttpResponseRedirect(reverse("customers:job", args=[canvas.pk, job.pk]), status=303)
        else:
            form = LayoutForm(layout=layout, initial={"attributes": job.attributes})
    elif request.method == "POST":
        raise Http404
    context = _context(canvas, job=job, form=form, error=job_error(job), estimated=services.estimated_rows(job))
    template = "customers/job.html#status" if request.htmx else "customers/job.html"
    status = 400 if form is not None and form.is_bound else 200
    response = TemplateResponse(request, template, context, status=status)
    if request.htmx and job.status == Job.Status.DONE:
        response["HX-Redirect"] = reverse("customers:overview", args=[canvas.pk])
    return response


def _reread_needed(layout: reading.Layout, form: LayoutForm) -> bool:
    return form.cleaned_data["separator"] != layout.separator or form.cleaned_data["header"] != layout.header


def _reread(job: Job, layout: reading.Layout) -> reading.Layout:
    """The preview again, with the separator and header the person chose."""
    with job.upload.open("rb") as handle:
        head = services.head_of(handle, job.upload.name)
    fresh = reading.guess_layout(head, separator=layout.separator, header=layout.header, source=layout.source)
    fresh.decimal_comma, fresh.date_format = layout.decimal_comma, layout.date_format
    return fresh


@canvas_view(need=Role.EDITOR, methods=["POST"])
def job_confirm(request: HttpRequest, canvas: Canvas, job_id) -> HttpResponse:
    job = _job(canvas, job_id)
    if job.status == Job.Status.CHECKED:
        job.report(status=Job.Status.COMPUTING, percent=0)
        tasks.compute.enqueue(str(job.pk))
    return HttpResponseRedirect(reverse("customers:job", args=[canvas.pk, job.pk]), status=303)


@canvas_view(need=Role.EDITOR, methods=["POST"])
def job_cancel(request: HttpRequest, canvas: Canvas, job_id) -> HttpResponse:
    job = _job(canvas, job_id)
    if job.status in (Job.Status.UPLOADED, Job.Status.CHECKED):
        services.cancel(job)
    return HttpResponseRedirect(reverse("customers:overview", args=[canvas.pk]), status=303)


@canvas_view(need=Role.EDITOR, methods=["POST"])
def choices(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    data = _data(canvas)
    if data is None:
        raise Http404
    form = SettingsForm(request.POST, instance=data)
    if not form.is_valid():
        return _overview(request, canvas, settings_form=form, status=400)
    form.save()
    return _recompute(request, canvas, data)


def _recompute(request: HttpRequest, canvas: Canvas, data: CustomerData) -> HttpResponse:
    job = services.recompute(data, by=request.user)
    tasks.compute.enqueue(str(job.pk))
    return HttpResponseRedirect(reverse("customers:job", args=[canvas.pk, job.pk]), status=303)


@canvas_view(**EDIT, methods=["GET", "POST"])
def grid(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    data = _data(canvas)
    if data is None:
        raise Http404
    current = grid_from_json(data.grid)
    errors: dict = {}
    chosen = {cell: [current.get(cell, "")] for cell in GRID_CELLS}
    if request.method == "POST":
        if "reset" in request.POST:
            chosen = {cell: [group] for cell, group in grid_from_json({}).items()}
        else:
            chosen = {cell: request.POST.getlist(cell_name(*cell)) for cell in GRID_CELLS}
        errors = grid_errors(chosen)
        if not errors:
            data.grid = grid_to_json({cell: groups[0] for cell, groups in chosen.items()})
            data.save(update_fields=["grid"])
            return _recompute(request, canvas, data)
    rows = [
        [
            {"r": r, "f": f, "name": cell_name(r, f), "value": (chosen.get((r, f)) or [""])[0], "error": errors.get((r, f))}
            for f in (1, 2, 3, 4, 5)
        ]
        for r in (5, 4, 3, 2, 1)
    ]
    context = _context(canvas, data=data, rows=rows, choices=GROUP_CHOICES, errors=errors)
    return TemplateResponse(request, "customers/grid.html", context, status=400 if errors else 200)


REPORT_SIZES = [("a4", gettext_lazy("A4 landscape")), ("letter", gettext_lazy("Letter landscape"))]


@canvas_view(methods=["GET", "POST"])
def report(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    """The customer data report (figures only) as a PDF made by the task worker: GET offers
    the paper, POST asks for it. Any member may take it."""
    data = _data(canvas)
    if data is None or not data.summary:
        raise Http404
    if request.method != "POST":
        context = {"canvas": canvas, "pdf_url": request.path, "sizes": REPORT_SIZES, "customer_report": True}
        return TemplateResponse(request, "canvas_app/export.html", context)
    size = request.POST.get("size", "").strip().lower()
    return request_export(
        request, canvas, kind=Export.Kind.CUSTOMER_REPORT, size=size if size in dict(REPORT_SIZES) else "a4",
        basis=report_basis(data), enqueue=tasks.render_customer_report.enqueue, urls=member_urls(canvas),
    )  # fmt: skip


@canvas_view(need=Role.EDITOR, methods=["POST"])
def promote(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    """Make the chosen groups segments of the canvas."""
    data = _data(canvas)
    if data is None or not data.summary:
        raise Http404
    groups = [group for group in request.POST.getlist("groups") if group in GROUP_IDS]
    if not groups:
        messages.error(request, _("Choose at least one group to add to the canvas."))
    else:
        try:
            added = promotion.promote(canvas, data, groups, by=request.user)
        except CanvasFullError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d segment added to the canvas.", "%(count)d segments added to the canvas.", len(added)
                ) % {"count": len(added)},
            )
    return HttpResponseRedirect(reverse("customers:overview", args=[canvas.pk]) + "#groups-title", status=303)


@canvas_view(need=Role.EDITOR)
def export(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    """The customers (of one group, or all) as CSV, for an email tool."""
    group = request.GET.get("group") or None
    if group is not None and group not in GROUP_IDS:
        raise Http404
    return customers_csv(canvas, [group] if group else None, name=group or "")


def customers_csv(canvas: Canvas, groups: list[str] | None, *, name: str) -> HttpResponse:
    data = _data(canvas)
    if data is None or not data.customers:
        raise Http404
    handle = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)
    handle.close()
    try:
        services.export_customers(data, handle.name, groups=groups)
        response = FileResponse(open(handle.name, "rb"), content_type="text/csv; charset=utf-8")
    finally:
        os.unlink(handle.name)  # the open file stays readable until the response is sent
    parts = [slugify(canvas.title) or "canvas", "customers", slugify(name)]
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename="-".join(part for part in parts if part) + ".csv"
    )
    return response


@canvas_view(need=Role.EDITOR, methods=["GET", "POST"])
def delete(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    data = _data(canvas)
    if request.method == "POST":
        services.delete_data(canvas)
        return HttpResponseRedirect(reverse("customers:overview", args=[canvas.pk]), status=303)
    if data is None:
        raise Http404
    return TemplateResponse(request, "customers/delete.html", _context(canvas, data=data))

