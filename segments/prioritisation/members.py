"""What the members page says about scores. Only members who may edit score, so an owner
who changes a role hears what it does to the ranking: before (next to the role) and after."""

from __future__ import annotations

from django.utils.translation import ngettext

from canvas_app.models import Canvas, Membership

from .ranking import SCORING_ROLES, scores_given


def describe_members(sender, *, canvas: Canvas, memberships: list[Membership], **kwargs) -> None:
    """One query whatever the number of members."""
    given = scores_given(canvas)
    for membership in memberships:
        count = given.get(membership.user_id, 0)
        if count and membership.role in SCORING_ROLES:
            membership.role_notes.append(
                ngettext(
                    "As a viewer, their %(count)d score will no longer count in the ranking.",
                    "As a viewer, their %(count)d scores will no longer count in the ranking.",
                    count,
                )
                % {"count": count}
            )


def role_changed(sender, *, canvas: Canvas, membership: Membership, old_role: str, **kwargs) -> str | None:
    scored_before, scores_now = old_role in SCORING_ROLES, membership.role in SCORING_ROLES
    if scored_before == scores_now:
        return None
    count = scores_given(canvas).get(membership.user_id, 0)
    if not count:
        return None
    names = {"count": count, "name": membership.user.username}
    if scored_before:
        return ngettext(
            "%(name)s's %(count)d score no longer counts in the ranking: viewers do not score. "
            "It counts again if %(name)s may edit again.",
            "%(name)s's %(count)d scores no longer count in the ranking: viewers do not score. "
            "They count again if %(name)s may edit again.",
            count,
        ) % names
    return ngettext(
        "%(name)s's %(count)d earlier score counts in the ranking again.",
        "%(name)s's %(count)d earlier scores count in the ranking again.",
        count,
    ) % names
