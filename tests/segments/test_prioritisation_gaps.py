"""What the ranking leaves out, said out loud: criteria nobody has scored, each member's
unscored criteria, and (on the members page) the scores a role change stops counting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canvas_app.models import Role
from tests.conftest import membership_of
from tests.markup import element, has_element
from tests.segments.factories import make_criterion, make_segment, score


def ranking_url(canvas) -> str:
    return reverse("prioritisation:ranking", args=[canvas.pk])


def members_url(canvas) -> str:
    return reverse("canvas_app:members", args=[canvas.pk])


def role_url(canvas, user) -> str:
    return reverse("canvas_app:member_role", args=[canvas.pk, membership_of(canvas, user).pk])


def cells(html, segment) -> list[str]:
    row = element(html, f"rank-{segment.pk}")
    return [cell.text for cell in row.descendants if cell.tag in ("td", "th")]


def messages_on(client, url) -> str:
    return element(client.get(url).content, "messages").text


@pytest.fixture
def scored(canvas, owner, editor):
    """The owner (olga) and the editor (eduardo) score; the viewer does not.

    - Cafeterías: both scored Tamaño and Encaje.
    - Oficinas: both scored Tamaño, only olga scored Encaje.
    - Hogares: nobody scored it.
    Then the owner added Alcance, which nobody has scored.
    """
    cafes = make_segment(canvas, "Cafeterías")
    oficinas = make_segment(canvas, "Oficinas")
    hogares = make_segment(canvas, "Hogares")
    size = make_criterion(canvas, "Tamaño", weight=3)
    fit = make_criterion(canvas, "Encaje", weight=1, axis="ability")
    for segment, criterion, reviewer, value in [
        (cafes, size, owner, 5), (cafes, size, editor, 3), (cafes, fit, owner, 2), (cafes, fit, editor, 2),
        (oficinas, size, owner, 1), (oficinas, size, editor, 4), (oficinas, fit, owner, 5),
    ]:  # fmt: skip
        score(segment, criterion, reviewer, value)
    make_criterion(canvas, "Alcance", weight=2)
    return cafes, oficinas, hogares


class TestRanking:
    def test_it_names_the_criterion_nobody_scored_and_what_each_member_left_out(self, client, viewer, scored):
        canvas = scored[0].note.canvas
        client.force_login(viewer)
        html = client.get(ranking_url(canvas)).content
        items = [li.text for li in element(html, "missing-scores").find_all("li")]
        assert items == [
            "Nobody has scored “Alcance” yet: no segment's score includes it.",
            "eduardo has not scored: “Tamaño” (1 of 3 segments), “Encaje” (2 of 3 segments), “Alcance” (no segment).",
            "olga has not scored: “Tamaño” (1 of 3 segments), “Encaje” (1 of 3 segments), “Alcance” (no segment).",
        ]

    def test_each_row_says_what_its_score_leaves_out_and_how_many_scores_it_lacks(self, client, viewer, scored):
        cafes, oficinas, hogares = scored
        client.force_login(viewer)
        html = client.get(ranking_url(cafes.note.canvas)).content
        # Cafeterías: (3 × 4 + 1 × 2) / 4 = 3.5 on the two criteria scored; it lacks Alcance twice.
        assert cells(html, cafes)[2:4] == ["3.50 leaves out “Alcance”, not scored yet", "2 of 2 2 scores missing"]
        # Oficinas: (3 × 2.5 + 5) / 4 = 3.125; it lacks eduardo's Encaje and both Alcance.
        assert cells(html, oficinas)[2:4] == ["3.13 leaves out “Alcance”, not scored yet", "2 of 2 3 scores missing"]
        # Hogares: three criteria by two members.
        assert cells(html, hogares)[2:4] == ["not scored yet", "0 of 2 6 scores missing"]
        assert element(html, f"rank-{cafes.pk}").find_all("a", href="#missing-scores")

    def test_a_score_on_the_new_criterion_takes_it_off_the_list(self, client, owner, editor, scored):
        cafes, oficinas, hogares = scored
        reach = cafes.note.canvas.criteria.get(name="Alcance")
        score(oficinas, reach, editor, 4)
        client.force_login(owner)
        html = client.get(ranking_url(cafes.note.canvas)).content
        items = [li.text for li in element(html, "missing-scores").find_all("li")]
        assert not [item for item in items if item.startswith("Nobody")]
        assert "“Alcance” (2 of 3 segments)" in items[0]  # eduardo's
        assert cells(html, oficinas)[2] == "3.42"  # (3 × 2.5 + 5 + 2 × 4) / 6 = 20.5 / 6, nothing left out
        assert cells(html, cafes)[2] == "3.50 leaves out “Alcance”, not scored yet"

    def test_nothing_is_said_when_everyone_scored_everything(self, client, owner, editor, canvas):
        cafes = make_segment(canvas, "Cafeterías")
        size = make_criterion(canvas, "Tamaño")
        score(cafes, size, owner, 4)
        score(cafes, size, editor, 2)
        client.force_login(owner)
        html = client.get(ranking_url(canvas)).content
        assert not has_element(html, "missing-scores")
        assert cells(html, cafes)[2:4] == ["3.00", "2 of 2"]

    def test_a_viewer_is_not_asked_and_an_editor_who_scored_nothing_is_said_so(self, client, owner, viewer, scored):
        canvas = scored[0].note.canvas
        client.force_login(owner)
        assert "vera" not in element(client.get(ranking_url(canvas)).content, "missing-scores").text
        membership = membership_of(canvas, viewer)
        membership.role = Role.EDITOR
        membership.save()
        items = [li.text for li in element(client.get(ranking_url(canvas)).content, "missing-scores").find_all("li")]
        assert items[-1] == "vera has not scored anything yet."

    def test_a_demoted_member_leaves_the_list_and_the_count(self, client, owner, editor, scored):
        cafes, oficinas, hogares = scored
        client.force_login(owner)
        client.post(role_url(cafes.note.canvas, editor), {"role": Role.VIEWER})
        html = client.get(ranking_url(cafes.note.canvas)).content
        assert "eduardo" not in element(html, "missing-scores").text
        assert cells(html, oficinas)[3] == "1 of 1 1 score missing"  # olga's Alcance


class TestMembersPage:
    def test_the_owner_is_warned_next_to_the_role_of_each_member_whose_scores_count(self, client, owner, editor, viewer, scored):
        canvas = scored[0].note.canvas
        score(scored[0], canvas.criteria.get(name="Tamaño"), viewer, 1)  # a viewer's score does not count anyway
        client.force_login(owner)
        html = client.get(members_url(canvas)).content
        editor_row = membership_of(canvas, editor).pk
        assert element(html, f"role-{editor_row}-notes").text == (
            "As a viewer, their 3 scores will no longer count in the ranking."
        )
        assert element(html, f"role-{editor_row}").attrs["aria-describedby"] == f"role-{editor_row}-notes"
        owner_row = membership_of(canvas, owner).pk
        assert element(html, f"role-{owner_row}-notes").text == (
            "As a viewer, their 4 scores will no longer count in the ranking."
        )
        viewer_row = membership_of(canvas, viewer).pk
        assert not has_element(html, f"role-{viewer_row}-notes")
        assert "aria-describedby" not in element(html, f"role-{viewer_row}").attrs

    def test_one_score_and_no_score(self, client, owner, editor, canvas):
        cafes = make_segment(canvas, "Cafeterías")
        score(cafes, make_criterion(canvas, "Tamaño"), editor, 4)
        client.force_login(owner)
        html = client.get(members_url(canvas)).content
        assert element(html, f"role-{membership_of(canvas, editor).pk}-notes").text == (
            "As a viewer, their 1 score will no longer count in the ranking."
        )
        assert not has_element(html, f"role-{membership_of(canvas, owner).pk}-notes")

    def test_scores_of_a_deleted_segment_are_not_counted(self, client, owner, editor, scored):
        cafes = scored[0]
        cafes.note.delete_softly(by=owner)
        client.force_login(owner)
        html = client.get(members_url(cafes.note.canvas)).content
        assert element(html, f"role-{membership_of(cafes.note.canvas, editor).pk}-notes").text == (
            "As a viewer, their 1 score will no longer count in the ranking."
        )

    def test_members_who_are_not_owners_see_no_warning(self, client, editor, scored):
        client.force_login(editor)
        assert "will no longer count" not in client.get(members_url(scored[0].note.canvas)).content.decode()

    def test_after_demoting_the_owner_is_told_and_told_again_when_the_role_comes_back(
        self, client, owner, editor, scored
    ):
        canvas = scored[0].note.canvas
        client.force_login(owner)
        response = client.post(role_url(canvas, editor), {"role": Role.VIEWER})
        assert messages_on(client, response["Location"]) == (
            "Role changed. eduardo's 3 scores no longer count in the ranking: viewers do not score. "
            "They count again if eduardo may edit again."
        )
        response = client.post(role_url(canvas, editor), {"role": Role.EDITOR})
        assert messages_on(client, response["Location"]) == (
            "Role changed. eduardo's 3 earlier scores count in the ranking again."
        )
        response = client.post(role_url(canvas, editor), {"role": Role.OWNER})
        assert messages_on(client, response["Location"]) == "Role changed."
