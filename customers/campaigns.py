"""Tactical segmentation, as the seed lists it: for each group a suggested campaign (retention,
win-back, up-selling, cross-selling, or acquisition of look-alikes from the Champions'
profile) with a short playbook the team may rewrite, and the campaigns a team plans on a group."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .rfm import BY_ID, GROUPS, Campaign

PLAYBOOKS = {
    Campaign.RETENTION: _(
        "Keep them close: thank them, give early access and a loyalty reward, ask for reviews and referrals. "
        "Do not discount what they already buy at full price."
    ),
    Campaign.WIN_BACK: _(
        "Win them back before they forget you: a personal message, ask why they left, a time-limited offer on "
        "what they used to buy. Stop after two or three tries."
    ),
    Campaign.UP_SELL: _(
        "Raise the ticket or the frequency: suggest the bigger pack or the subscription, a reward for the next "
        "order, reminders timed to their usual gap between purchases."
    ),
    Campaign.CROSS_SELL: _(
        "Make the second purchase easy: a welcome series, the products most often bought together with their first "
        "one, a small incentive to try a second category."
    ),
    Campaign.ACQUISITION: _(
        "Find more customers like your Champions: target people with their profile (the attributes and products "
        "of the Champions group), in the channels they came through, with a referral programme."
    ),
}


@dataclass(frozen=True)
class Suggestion:
    group: str
    name: str
    kind: str
    kind_name: str
    playbook: str
    edited: bool


def suggestions(overrides: dict | None) -> list[Suggestion]:
    """Each group's campaign and playbook: the team's own where it wrote one, else the default
    (in the reader's language); and acquisition, from the Champions' profile."""
    overrides = overrides or {}
    result = []
    for group in GROUPS:
        own = overrides.get(group.id) or {}
        kind = own.get("kind") or group.campaign
        result.append(
            Suggestion(
                group=group.id, name=str(group.name), kind=kind, kind_name=str(Campaign(kind).label),
                playbook=own.get("playbook") or str(PLAYBOOKS[kind]), edited=bool(own),
            )
        )  # fmt: skip
    return result


def default_kind(group_id: str) -> str:
    group = BY_ID.get(group_id)
    return group.campaign if group else Campaign.RETENTION
