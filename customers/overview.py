"""What the customer-data pages say, in the reader's language: the groups table (sortable),
and why a job stopped or a line was left out."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Job
from .rfm import GROUPS, Campaign
from .staging import BAD_AMOUNT, BAD_DATE, BAD_ORDERS, MISSING_ID

REASONS = {
    MISSING_ID: _("no customer id"),
    BAD_DATE: _("the date could not be read"),
    BAD_AMOUNT: _("the amount could not be read"),
    BAD_ORDERS: _("the number of orders is not a whole number of at least 1"),
}
ERRORS = {
    "no_rows": _("No line of the file has a customer id, a date and an amount that could be read: check the columns, the date format and the decimal separator."),
    "no_customers": _("No purchase falls on or before the as-of date."),
    "unreadable": _("The file could not be read with these settings: check the separator and that it is a text or .xlsx file."),
    "error": _("Something went wrong while computing: the previous data is unchanged. Try again, or tell us."),
}  # fmt: skip
STAGES = {
    "read": _("Reading the file"),
    "aggregate": _("Computing customers, scores and forecasts"),
    "store": _("Saving the results"),
}

#: Sortable columns of the groups table: (key in the summary, what the header says).
COLUMNS = (
    ("customers", _("Customers")),
    ("customer_share", _("Share of customers")),
    ("revenue", _("Revenue")),
    ("revenue_share", _("Share of revenue")),
    ("recency", _("Average recency (days)")),
    ("frequency", _("Average frequency (orders)")),
    ("monetary", _("Average spend")),
    ("order_value", _("Average order value")),
    ("churn_rate", _("Churn rate")),
    ("p_alive", _("Probability alive")),
    ("expected_purchases", _("Expected purchases (horizon)")),
    ("clv", _("12-month value per customer")),
)


@dataclass
class GroupRow:
    id: str
    name: str
    campaign: str
    figures: dict


def group_rows(summary: dict, *, sort: str = "") -> list[GroupRow]:
    rows = [
        GroupRow(id=group.id, name=str(group.name), campaign=str(Campaign(group.campaign).label), figures=summary["groups"][group.id])
        for group in GROUPS
        if group.id in summary["groups"]
    ]
    key, _sep, direction = sort.partition(":")
    if key in dict(COLUMNS):
        rows.sort(key=lambda row: row.figures.get(key) or 0, reverse=direction != "asc")
    return rows


def job_error(job: Job) -> str:
    return str(ERRORS.get(job.error, ERRORS["error"])) if job.status == Job.Status.FAILED else ""


def reason(code: str) -> str:
    return str(REASONS.get(code, code))
