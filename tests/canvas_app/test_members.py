"""Who may use a canvas: owners change their roles and remove them (and invite people:
test_invitations.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canvas_app.models import Membership, Role
from tests.conftest import db_state, make_canvas, make_invitation, make_share_link, membership_of
from tests.markup import element, find_all, has_element

LAST_OWNER = "A canvas needs at least one owner: make someone else owner first."


def members_url(canvas) -> str:
    return reverse("canvas_app:members", args=[canvas.pk])


def role_url(membership) -> str:
    return reverse("canvas_app:member_role", args=[membership.canvas_id, membership.pk])


def remove_url(membership) -> str:
    return reverse("canvas_app:member_remove", args=[membership.canvas_id, membership.pk])


def roles(canvas) -> dict[str, str]:
    return dict(canvas.memberships.values_list("user__username", "role"))


def messages_on(client, url) -> str:
    return element(client.get(url).content, "messages").text


# The members page ---------------------------------------------------------------------------


class TestMembers:
    """The page itself; inviting from it is in test_invitations.py."""

    def test_it_accepts_only_get_and_post(self, client, owner, canvas):
        client.force_login(owner)
        assert client.put(members_url(canvas)).status_code == 405

    def test_it_requires_login(self, client, canvas):
        response = client.get(members_url(canvas))
        assert response["Location"] == f"{reverse('login')}?next={members_url(canvas)}"

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, canvas):
        client.force_login(outsider)
        assert client.get(members_url(canvas)).status_code == 404

    @pytest.mark.parametrize("member", ["viewer", "editor"])
    def test_members_see_who_is_in_but_cannot_invite(self, client, canvas, owner, member, request):
        make_invitation(canvas, owner, email="nadie@example.com")
        client.force_login(request.getfixturevalue(member))
        response = client.get(members_url(canvas))
        assert response.status_code == 200
        rows = [
            row.text
            for row in find_all(response.content, "tr")
            if row.attrs.get("id", "").startswith("member-")
        ]
        assert len(rows) == 3
        assert not find_all(response.content, "form", **{"class": "stacked-form"})
        assert not find_all(response.content, "select", name="role")
        # The addresses owners typed are theirs to see.
        assert not has_element(response.content, "invitations")
        assert "nadie@example.com" not in response.content.decode()

    def test_the_owner_sees_the_forms(self, client, owner, canvas):
        client.force_login(owner)
        response = client.get(members_url(canvas))
        assert (
            len(find_all(response.content, "select", name="role")) == 3 + 1
        )  # one per member, one to invite
        assert element(response.content, "id_email").attrs["type"] == "email"
        assert element(response.content, "invitations").text.endswith("No pending invitations.")


# Changing a role -----------------------------------------------------------------------------


class TestRole:
    def test_it_requires_post(self, client, owner, editor, canvas):
        client.force_login(owner)
        assert client.get(role_url(membership_of(canvas, editor))).status_code == 405

    def test_it_requires_login(self, client, editor, canvas):
        before = db_state()
        response = client.post(role_url(membership_of(canvas, editor)), {"role": Role.OWNER})
        assert response["Location"].startswith(reverse("login"))
        assert db_state() == before

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, editor, canvas):
        client.force_login(outsider)
        before = db_state()
        assert (
            client.post(role_url(membership_of(canvas, editor)), {"role": Role.OWNER}).status_code
            == 404
        )
        assert db_state() == before

    @pytest.mark.parametrize("member", ["viewer", "editor"])
    def test_only_owners_change_roles(self, client, canvas, member, request):
        user = request.getfixturevalue(member)
        client.force_login(user)
        before = db_state()
        assert (
            client.post(role_url(membership_of(canvas, user)), {"role": Role.OWNER}).status_code
            == 403
        )
        assert db_state() == before

    def test_the_owner_changes_a_role(self, client, owner, editor, canvas):
        client.force_login(owner)
        response = client.post(role_url(membership_of(canvas, editor)), {"role": Role.VIEWER})
        assert response.status_code == 302
        assert response["Location"] == members_url(canvas)
        assert roles(canvas)["eduardo"] == Role.VIEWER
        assert messages_on(client, response["Location"]) == "Role changed."

    def test_an_unknown_role_changes_nothing(self, client, owner, editor, canvas):
        client.force_login(owner)
        before = db_state()
        response = client.post(role_url(membership_of(canvas, editor)), {"role": "boss"})
        assert (
            messages_on(client, response["Location"]) == "Choose a role: owner, editor or viewer."
        )
        assert db_state() == before

    def test_the_last_owner_cannot_step_down(self, client, owner, canvas):
        client.force_login(owner)
        before = db_state()
        response = client.post(role_url(membership_of(canvas, owner)), {"role": Role.EDITOR})
        assert response.status_code == 302
        assert messages_on(client, response["Location"]) == LAST_OWNER
        assert db_state() == before

    def test_an_owner_may_step_down_when_another_owner_remains(self, client, owner, editor, canvas):
        Membership.objects.filter(canvas=canvas, user=editor).update(role=Role.OWNER)
        client.force_login(owner)
        client.post(role_url(membership_of(canvas, owner)), {"role": Role.EDITOR})
        assert roles(canvas) == {"olga": Role.EDITOR, "eduardo": Role.OWNER, "vera": Role.VIEWER}

    def test_a_membership_of_another_canvas_is_a_404(self, client, owner, outsider, canvas):
        other = make_canvas(outsider, "Ajeno")
        client.force_login(owner)
        before = db_state()
        url = reverse("canvas_app:member_role", args=[canvas.pk, membership_of(other, outsider).pk])
        assert client.post(url, {"role": Role.VIEWER}).status_code == 404
        assert db_state() == before


# Removing ------------------------------------------------------------------------------------


class TestRemove:
    def test_it_requires_post(self, client, owner, viewer, canvas):
        client.force_login(owner)
        before = db_state()
        assert client.get(remove_url(membership_of(canvas, viewer))).status_code == 405
        assert db_state() == before

    def test_it_requires_login(self, client, viewer, canvas):
        before = db_state()
        assert client.post(remove_url(membership_of(canvas, viewer)))["Location"].startswith(
            reverse("login")
        )
        assert db_state() == before

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, viewer, canvas):
        client.force_login(outsider)
        before = db_state()
        assert client.post(remove_url(membership_of(canvas, viewer))).status_code == 404
        assert db_state() == before

    @pytest.mark.parametrize("member", ["viewer", "editor"])
    def test_only_owners_remove_members(self, client, canvas, viewer, member, request):
        client.force_login(request.getfixturevalue(member))
        before = db_state()
        assert client.post(remove_url(membership_of(canvas, viewer))).status_code == 403
        assert db_state() == before

    def test_the_owner_removes_a_member(self, client, owner, viewer, canvas):
        client.force_login(owner)
        response = client.post(remove_url(membership_of(canvas, viewer)))
        assert response.status_code == 302
        assert response["Location"] == members_url(canvas)
        assert roles(canvas) == {"olga": Role.OWNER, "eduardo": Role.EDITOR}
        assert (
            messages_on(client, response["Location"]) == "vera no longer has access to this canvas."
        )
        client.force_login(viewer)
        assert client.get(reverse("canvas_app:board", args=[canvas.pk])).status_code == 404

    def test_the_last_owner_cannot_be_removed(self, client, owner, canvas):
        client.force_login(owner)
        before = db_state()
        response = client.post(remove_url(membership_of(canvas, owner)))
        assert response.status_code == 302
        assert response["Location"] == members_url(canvas)
        assert messages_on(client, response["Location"]) == LAST_OWNER
        assert db_state() == before

    def test_an_owner_who_leaves_goes_to_the_dashboard(self, client, owner, editor, canvas):
        Membership.objects.filter(canvas=canvas, user=editor).update(role=Role.OWNER)
        client.force_login(owner)
        response = client.post(remove_url(membership_of(canvas, owner)))
        assert response["Location"] == reverse("canvas_app:dashboard")
        assert "olga" not in roles(canvas)

    def test_a_membership_of_another_canvas_is_a_404(self, client, owner, outsider, canvas):
        other = make_canvas(outsider, "Ajeno")
        client.force_login(owner)
        before = db_state()
        url = reverse(
            "canvas_app:member_remove", args=[canvas.pk, membership_of(other, outsider).pk]
        )
        assert client.post(url).status_code == 404
        assert db_state() == before


# What an owner handed out --------------------------------------------------------------------


class TestOwnersWhoStepDown:
    """An owner's share links and pending invitations stop working when they stop being an
    owner (removed, or given another role); the other owners' stay."""

    @pytest.fixture
    def grants(self, owner, editor, canvas):
        Membership.objects.filter(canvas=canvas, user=editor).update(role=Role.OWNER)
        theirs = [make_share_link(canvas, editor), make_invitation(canvas, editor, email="a@example.com")[0]]
        mine = [make_share_link(canvas, owner), make_invitation(canvas, owner, email="b@example.com")[0]]
        return theirs, mine

    @staticmethod
    def alive(objects) -> list[bool]:
        for obj in objects:
            obj.refresh_from_db()
        return [obj.revoked_at is None for obj in objects]

    def test_demoting_an_owner_revokes_what_they_handed_out(self, client, owner, editor, canvas, grants):
        theirs, mine = grants
        client.force_login(owner)
        response = client.post(role_url(membership_of(canvas, editor)), {"role": Role.EDITOR})
        assert (self.alive(theirs), self.alive(mine)) == ([False, False], [True, True])
        assert "2 share links and invitations they made were revoked" in messages_on(client, response["Location"])

    def test_removing_an_owner_revokes_what_they_handed_out(self, client, owner, editor, canvas, grants):
        theirs, mine = grants
        client.force_login(owner)
        client.post(remove_url(membership_of(canvas, editor)))
        assert (self.alive(theirs), self.alive(mine)) == ([False, False], [True, True])
        assert client.get(reverse("canvas_app:share_board", args=[theirs[0].token])).status_code == 404

    def test_an_editor_who_stays_an_editor_keeps_nothing_to_revoke(self, client, owner, editor, canvas):
        link = make_share_link(canvas, owner)
        client.force_login(owner)
        response = client.post(role_url(membership_of(canvas, editor)), {"role": Role.VIEWER})
        assert self.alive([link]) == [True]
        assert "revoked" not in messages_on(client, response["Location"])
