"""Forms of customer data: the upload, the columns of an upload, the team's choices
(as-of date, bins, churn window, horizon) and the grid of groups."""

from __future__ import annotations

import os

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import CustomerData, PlannedCampaign
from .reading import DATE_FORMATS, PURCHASES, SEPARATORS, SUMMARIES, Layout
from .rfm import GROUPS, SCORES, Campaign

EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx")


class UploadForm(forms.Form):
    source = forms.ChoiceField(
        label=gettext_lazy("The file holds"),
        choices=[
            (PURCHASES, gettext_lazy("One line per purchase (customer, date, amount...)")),
            (SUMMARIES, gettext_lazy("One line per customer (last purchase, number of orders, total spend), for data too large to upload")),
        ],
        initial=PURCHASES, widget=forms.RadioSelect, required=False,
    )  # fmt: skip
    file = forms.FileField(
        label=gettext_lazy("File"),
        max_length=200,
        help_text=gettext_lazy("CSV, TSV or TXT (any separator, UTF-8 or Latin-1) or an Excel workbook (.xlsx)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.FILE_UPLOAD_MAX_BODY
        self.fields["file"].widget.attrs.update({
            "accept": ",".join(EXTENSIONS),
            "data-max-bytes": str(limit),
            "data-too-large": _("The file is larger than %(size)s: upload per-customer summaries instead.") % {"size": filesizeformat(limit)},
        })  # fmt: skip

    def clean_source(self) -> str:
        return self.cleaned_data.get("source") or PURCHASES

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if os.path.splitext(upload.name or "")[1].lower() not in EXTENSIONS:
            raise forms.ValidationError(_("Upload a CSV, TSV, TXT or .xlsx file."))
        if not upload.size:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > settings.FILE_UPLOAD_MAX_BODY:
            raise forms.ValidationError(
                _("The file is larger than %(size)s: upload per-customer summaries instead.")
                % {"size": filesizeformat(settings.FILE_UPLOAD_MAX_BODY)}
            )
        return upload


class LayoutForm(forms.Form):
    """How to read the upload and which column is what."""

    separator = forms.ChoiceField(label=gettext_lazy("Separator"), choices=list(SEPARATORS.items()))
    header = forms.BooleanField(label=gettext_lazy("The first line holds the column names"), required=False)
    decimal_comma = forms.BooleanField(label=gettext_lazy("Amounts use a decimal comma (1.234,50)"), required=False)
    date_format = forms.ChoiceField(label=gettext_lazy("Date format"), choices=list(DATE_FORMATS.items()))

    def __init__(self, *args, layout: Layout, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = layout
        columns = [("", "—")] + [(column, self.column_label(column)) for column in layout.columns]
        required, optional = layout.roles
        self.roles = required + optional
        for role in self.roles:
            self.fields[role] = forms.ChoiceField(
                label=layout.label(role), choices=columns, required=role in required, initial=layout.mapping.get(role, "")
            )
        self.fields["attributes"] = forms.MultipleChoiceField(
            label=gettext_lazy("Other columns to keep as customer attributes"),
            choices=columns[1:], required=False, widget=forms.CheckboxSelectMultiple,
            help_text=gettext_lazy("City, channel, age band...: summarised per group."),
        )  # fmt: skip
        for name in ("separator", "header", "decimal_comma", "date_format"):
            self.fields[name].initial = getattr(layout, name)

    def column_label(self, column: str) -> str:
        return column if self.layout.header else _("Column %(number)s") % {"number": column}

    @property
    def layout_fields(self):
        return [self[name] for name in ("separator", "header", "decimal_comma", "date_format")]

    @property
    def role_fields(self):
        return [self[role] for role in self.roles]

    def clean(self):
        data = super().clean()
        used: dict[str, str] = {}
        for role in self.roles:
            column = data.get(role)
            if not column:
                continue
            if column in used:
                self.add_error(role, _("This column is already the %(role)s.") % {"role": self.layout.label(used[column])})
            used[column] = role
        clash = set(data.get("attributes") or []) & set(used)
        if clash:
            self.add_error("attributes", _("A column mapped above cannot also be an attribute."))
        return data

    def apply(self, layout: Layout) -> Layout:
        data = self.cleaned_data
        layout.separator, layout.header = data["separator"], data["header"]
        layout.decimal_comma, layout.date_format = data["decimal_comma"], data["date_format"]
        layout.date_ambiguous = False
        layout.mapping = {role: data[role] for role in self.roles if data.get(role)}
        return layout


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CustomerData
        fields = ["as_of", "binning", "churn_window", "horizon_days"]
        labels = {
            "as_of": gettext_lazy("As-of date"),
            "binning": gettext_lazy("Scores"),
        }
        help_texts = {
            "as_of": gettext_lazy("Purchases after it are ignored. Empty: the latest date in the data."),
        }
        widgets = {"as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "binning": forms.RadioSelect}

    churn_window = forms.FloatField(
        label=gettext_lazy("Churn window (days)"), required=False, min_value=1, max_value=3650,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=gettext_lazy(
            "A customer is churned past this many days without buying. Empty: the 80th percentile of the gaps between purchases."
        ),
    )  # fmt: skip
    horizon_days = forms.IntegerField(label=gettext_lazy("Forecast horizon (days)"), min_value=1, max_value=3650)


def cell_name(r: int, f: int) -> str:
    return f"cell_{r}{f}"


GRID_CELLS = [(r, f) for r in sorted(SCORES, reverse=True) for f in SCORES]
GROUP_CHOICES = [("", "—")] + [(group.id, group.name) for group in GROUPS]


class PlaybookForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Campaign"), choices=Campaign.choices)
    playbook = forms.CharField(
        label=gettext_lazy("Playbook"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Empty: the suggested playbook."), required=False,
    )  # fmt: skip


class CampaignForm(forms.ModelForm):
    class Meta:
        model = PlannedCampaign
        fields = ["name", "group", "kind", "goal", "starts_on", "ends_on", "notes"]
        widgets = {
            "group": forms.Select(choices=[(group.id, group.name) for group in GROUPS]),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"goal": gettext_lazy("What success looks like, e.g. one in five of them buys again within 60 days.")}

    def clean_group(self):
        group = self.cleaned_data["group"]
        if group not in {choice.id for choice in GROUPS}:
            raise forms.ValidationError(_("Choose one of the groups."))
        return group

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return data
