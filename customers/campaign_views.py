"""Campaign pages of customer data (namespace "customers"): each group's suggested campaign
and playbook, the campaigns the team plans, and a campaign's customers as CSV."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from canvas_app.access import canvas_view
from canvas_app.models import Canvas, Role

from .campaigns import PLAYBOOKS, default_kind, suggestions
from .forms import CampaignForm, PlaybookForm
from .models import CustomerData, PlannedCampaign
from .rfm import BY_ID, Campaign
from .views import EDIT, customers_csv


def _page(request: HttpRequest, canvas: Canvas, *, form=None, playbook_forms=None, status=200) -> TemplateResponse:
    data = CustomerData.objects.filter(canvas=canvas).first()
    role = Role(canvas.user_role)
    items = suggestions(data.playbooks if data else None)
    groups = (data.summary or {}).get("groups", {}) if data else {}
    playbook_forms = playbook_forms or {}
    context = {
        "canvas": canvas,
        "data": data,
        "can_edit": role.allows(Role.EDITOR),
        "suggestions": [
            (item, groups.get(item.group), playbook_forms.get(item.group) or PlaybookForm(
                initial={"kind": item.kind, "playbook": item.playbook if item.edited else ""}, prefix=item.group,
            ))
            for item in items
        ],  # fmt: skip
        "champions": groups.get("champions"),
        "acquisition": PLAYBOOKS[Campaign.ACQUISITION],
        "campaigns": list(PlannedCampaign.objects.filter(canvas=canvas)),
        "form": form or CampaignForm(initial={"group": "champions", "kind": default_kind("champions")}),
    }
    return TemplateResponse(request, "customers/campaigns.html", context, status=status)


@canvas_view(**EDIT, methods=["GET", "POST"])
def campaigns(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    """The suggestions, the planned campaigns and (POST) a new one."""
    if request.method == "POST":
        form = CampaignForm(request.POST, instance=PlannedCampaign(canvas=canvas, created_by=request.user))
        if form.is_valid():
            campaign = form.save()
            return HttpResponseRedirect(reverse("customers:campaigns", args=[canvas.pk]) + f"#campaign-{campaign.pk}", status=303)
        return _page(request, canvas, form=form, status=400)
    return _page(request, canvas)


@canvas_view(need=Role.EDITOR, methods=["POST"])
def playbook(request: HttpRequest, canvas: Canvas, group: str) -> HttpResponse:
    data = CustomerData.objects.filter(canvas=canvas).first()
    if data is None or group not in BY_ID:
        raise Http404
    form = PlaybookForm(request.POST, prefix=group)
    if not form.is_valid():
        return _page(request, canvas, playbook_forms={group: form}, status=400)
    own = {"kind": form.cleaned_data["kind"], "playbook": form.cleaned_data["playbook"].strip()}
    if own["kind"] == default_kind(group) and not own["playbook"]:
        data.playbooks.pop(group, None)  # back to the suggestion
    else:
        data.playbooks[group] = own
    data.save(update_fields=["playbooks"])
    return HttpResponseRedirect(reverse("customers:campaigns", args=[canvas.pk]) + f"#playbook-{group}", status=303)


def _campaign(canvas: Canvas, campaign_id: int) -> PlannedCampaign:
    return get_object_or_404(PlannedCampaign, canvas=canvas, pk=campaign_id)


@canvas_view(**EDIT, methods=["GET", "POST"])
def campaign_edit(request: HttpRequest, canvas: Canvas, campaign_id: int) -> HttpResponse:
    campaign = _campaign(canvas, campaign_id)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        return HttpResponseRedirect(reverse("customers:campaigns", args=[canvas.pk]) + f"#campaign-{campaign.pk}", status=303)
    context = {"canvas": canvas, "campaign": campaign, "form": form, "can_edit": Role(canvas.user_role).allows(Role.EDITOR)}
    return TemplateResponse(request, "customers/campaign_edit.html", context, status=400 if form.is_bound else 200)


@canvas_view(need=Role.EDITOR, methods=["POST"])
def campaign_delete(request: HttpRequest, canvas: Canvas, campaign_id: int) -> HttpResponse:
    _campaign(canvas, campaign_id).delete()
    return HttpResponseRedirect(reverse("customers:campaigns", args=[canvas.pk]), status=303)


@canvas_view(need=Role.EDITOR)
def campaign_export(request: HttpRequest, canvas: Canvas, campaign_id: int) -> HttpResponse:
    """The customers a campaign targets (its group's), for an email tool."""
    campaign = _campaign(canvas, campaign_id)
    return customers_csv(canvas, [campaign.group], name=campaign.name)
