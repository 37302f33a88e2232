"""Inviting people by email: owners send and revoke invitations from the members page, and
whoever follows the emailed link, logged in, joins the canvas once.

Inviting never tells the owner whether an address has a Lienzo account."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from canvas_app.models import Invitation, InvitationClosedError, Membership, Role
from accounts.tasks import EMAIL_QUEUE
from tests.tasks import run_tasks
from tests.conftest import PASSWORD, db_state, make_canvas, make_invitation, make_user, membership_of
from tests.markup import element, field_error, find_all

NOBODY = "nadie@example.com"  # no account has this address
TAKEN = "oscar@example.com"  # the outsider's address
DUPLICATE = f"{NOBODY} already has a pending invitation to this canvas."


def members_url(canvas) -> str:
    return reverse("canvas_app:members", args=[canvas.pk])


def revoke_url(invitation: Invitation) -> str:
    return reverse("canvas_app:invitation_revoke", args=[invitation.canvas_id, invitation.pk])


def invitation_url(token: str) -> str:
    return reverse("canvas_app:invitation_accept", args=[token])


def board_url(canvas) -> str:
    return reverse("canvas_app:board", args=[canvas.pk])


def link_in(email) -> str:
    return re.search(r"http://testserver(/invitations/\S+/)", email.body).group(1)


def messages_on(client, url) -> str:
    return element(client.get(url).content, "messages").text


def invite(client, canvas, email: str = NOBODY, role: str = Role.EDITOR, **extra):
    return client.post(members_url(canvas), {"email": email, "role": role}, **extra)


def expire(invitation: Invitation) -> Invitation:
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    invitation.refresh_from_db()
    return invitation


def close(invitation: Invitation, how: str, user=None) -> None:
    if how == "revoked":
        invitation.revoke()
    elif how == "expired":
        expire(invitation)
    else:
        invitation.accept(user)


def pending_emails(html: bytes) -> list[str]:
    return [
        row.find_all("th")[0].text
        for row in find_all(html, "tr")
        if row.attrs.get("id", "").startswith("invitation-")
    ]


# Inviting --------------------------------------------------------------------------------------


class TestInvite:
    def test_it_accepts_only_get_and_post(self, client, owner, canvas, mailoutbox):
        client.force_login(owner)
        before = db_state()
        assert client.put(members_url(canvas), {"email": NOBODY}).status_code == 405
        assert client.delete(members_url(canvas)).status_code == 405
        assert db_state() == before
        assert mailoutbox == []

    def test_it_requires_login(self, client, canvas, mailoutbox):
        before = db_state()
        response = invite(client, canvas)
        assert response["Location"] == f"{reverse('login')}?next={members_url(canvas)}"
        assert db_state() == before
        assert mailoutbox == []

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, canvas, mailoutbox):
        client.force_login(outsider)
        before = db_state()
        assert invite(client, canvas).status_code == 404
        assert db_state() == before
        assert mailoutbox == []

    @pytest.mark.parametrize("member", ["viewer", "editor"])
    def test_only_owners_invite(self, client, canvas, member, request, mailoutbox):
        client.force_login(request.getfixturevalue(member))
        before = db_state()
        assert invite(client, canvas, role=Role.OWNER).status_code == 403
        assert db_state() == before
        assert mailoutbox == []

    def test_the_owner_invites_by_email(self, client, owner, canvas, mailoutbox):
        # The email is in the canvas' language (tests/accounts/test_email_language.py).
        canvas.language = "en"
        canvas.save(update_fields=["language"])
        client.force_login(owner)
        response = invite(client, canvas, email="Nadie@Example.com", role=Role.VIEWER)
        assert response.status_code == 302
        assert response["Location"] == members_url(canvas)
        invitation = Invitation.objects.get()
        assert (invitation.canvas, invitation.email, invitation.role) == (canvas, "Nadie@Example.com", Role.VIEWER)
        assert invitation.invited_by == owner
        assert invitation.expires_at - invitation.created_at == timedelta(days=14)
        assert (invitation.accepted_at, invitation.accepted_by, invitation.revoked_at) == (None, None, None)
        assert canvas.memberships.count() == 3  # nobody joins before accepting

        page = client.get(response["Location"])
        assert element(page.content, "messages").text == (
            "Invitation sent to Nadie@Example.com. They join once they accept it."
        )
        assert pending_emails(page.content) == ["Nadie@Example.com"]

        [email] = mailoutbox
        assert email.to == ["Nadie@Example.com"]
        assert email.subject == "olga invites you to “Tostadores Aurora” on Lienzo"
        body = " ".join(email.body.split())
        assert "olga invites you to work on the business model canvas “Tostadores Aurora” in Lienzo, as Viewer." in body
        assert "The link works once, for 14 days." in body
        assert link_in(email).startswith("/invitations/")
        signup = f"http://testserver/accounts/signup/?next={quote(link_in(email), safe='')}"
        assert (
            "No account yet? Create one here, confirm your address, and you come straight back"
            f" to this invitation: {signup} "
        ) in body

    def test_only_a_hash_of_the_token_is_kept(self, client, owner, canvas, mailoutbox):
        client.force_login(owner)
        invite(client, canvas)
        token = link_in(mailoutbox[0]).split("/")[2]
        assert len(token) >= 43
        stored = Invitation.objects.values().get()
        assert token not in [str(value) for value in stored.values()]
        assert Invitation.objects.with_token(token).get().pk == stored["id"]

    def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(
        self, client, owner, outsider, canvas, mailoutbox, monkeypatch
    ):
        """Nothing an owner sees, nor the email, tells whether TAKEN has an account."""
        now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: now)  # the same expiry on both pages
        client.force_login(owner)
        answers, emails = [], []
        for address in (TAKEN, NOBODY):
            response = invite(client, canvas, email=address)
            page = client.get(response["Location"])
            invitation = Invitation.objects.get(email=address)
            answers.append(
                (
                    response.status_code,
                    response["Location"],
                    response.content,
                    page.status_code,
                    normalised(page.content, address, invitation),
                )
            )
            [email] = mailoutbox
            assert email.to == [address]
            token = link_in(email).split("/")[2]  # in the link, and in the sign-up link's next
            emails.append((email.subject, email.body.replace(token, "TOKEN")))
            mailoutbox.clear()
            invitation.revoke()  # so each page lists just its own invitation
        assert answers[0] == answers[1]
        assert answers[0][:2] == (302, members_url(canvas))
        assert "Invitation sent to EMAIL. They join once they accept it." in answers[0][4]
        assert emails[0] == emails[1]

    def test_a_members_address_can_be_invited(self, client, owner, editor, canvas, mailoutbox):
        """Refusing it would tell which address an account has."""
        client.force_login(owner)
        response = invite(client, canvas, email="EDUARDO@example.com", role=Role.VIEWER)
        assert response.status_code == 302
        assert [m.to for m in mailoutbox] == [["EDUARDO@example.com"]]
        assert membership_of(canvas, editor).role == Role.EDITOR

    @pytest.mark.parametrize(
        ("email", "message"),
        [
            ("nadie", "Enter a valid email address."),
            ("nadie@", "Enter a valid email address."),
            ("nadie@example.com\nBcc: otro@example.com", "Enter a valid email address."),
            ("", "Enter the email address of the person to invite."),
            (
                f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 59}.es",  # 255 characters, well formed
                "An email address holds at most 254 characters.",
            ),
        ],
        ids=["no-domain", "empty-domain", "header-injection", "blank", "too-long"],
    )
    def test_a_bad_address_is_shown_next_to_the_field(self, client, owner, canvas, mailoutbox, email, message):
        client.force_login(owner)
        before = db_state()
        response = invite(client, canvas, email=email)
        assert response.status_code == 400
        assert field_error(response.content, "id_email") == message
        assert db_state() == before
        assert mailoutbox == []

    def test_an_unknown_role_is_shown_next_to_the_field(self, client, owner, canvas, mailoutbox):
        client.force_login(owner)
        before = db_state()
        response = invite(client, canvas, role="boss")
        assert response.status_code == 400
        assert (
            field_error(response.content, "id_role")
            == "Select a valid choice. boss is not one of the available choices."
        )
        assert db_state() == before
        assert mailoutbox == []

    @pytest.mark.parametrize("again", [NOBODY, "NADIE@example.COM"])
    def test_an_address_with_a_pending_invitation_is_not_invited_again(
        self, client, owner, canvas, mailoutbox, again
    ):
        client.force_login(owner)
        invite(client, canvas, email=NOBODY)
        mailoutbox.clear()
        before = db_state()
        response = invite(client, canvas, email=again)
        assert response.status_code == 400
        assert field_error(response.content, "id_email") == f"{again} already has a pending invitation to this canvas."
        assert db_state() == before
        assert mailoutbox == []

    @pytest.mark.parametrize("closed", ["revoked", "expired", "accepted"])
    def test_an_address_whose_invitation_closed_can_be_invited_again(
        self, client, owner, outsider, canvas, mailoutbox, closed
    ):
        close(make_invitation(canvas, owner, email=NOBODY)[0], closed, outsider)
        client.force_login(owner)
        assert invite(client, canvas, email=NOBODY).status_code == 302
        assert len(mailoutbox) == 1

    def test_the_same_address_may_be_invited_to_another_canvas(self, client, owner, canvas, mailoutbox):
        other = make_canvas(owner, "Otro lienzo")
        make_invitation(other, owner, email=NOBODY)
        client.force_login(owner)
        assert invite(client, canvas, email=NOBODY).status_code == 302


class TestInvitationLimit:
    @time_machine.travel("2026-12-01 10:00:00+00:00", tick=False)  # the wait read is exact
    def test_the_21st_invitation_within_an_hour_is_refused(self, client, owner, canvas, mailoutbox):
        assert Invitation.MAX_PER_HOUR == 20
        other = make_canvas(owner, "Otro lienzo")  # the limit counts every canvas
        client.force_login(owner)
        for n in range(20):
            response = invite(client, canvas if n % 2 else other, email=f"persona{n}@example.com")
            assert response.status_code == 302, n
        assert len(mailoutbox) == 20
        before = db_state()
        response = invite(client, canvas, email="persona21@example.com")
        assert response.status_code == 429
        assert response["Retry-After"] == "3600"
        assert field_error(response.content, "id_email") == (
            "You have sent 20 invitations within an hour, the most there can be. Try again in 60 minutes."
        )
        assert db_state() == before
        assert len(mailoutbox) == 20

    def test_revoked_invitations_count_too(self, client, owner, canvas, mailoutbox):
        for n in range(20):
            make_invitation(canvas, owner, email=f"persona{n}@example.com")[0].revoke()
        client.force_login(owner)
        assert invite(client, canvas).status_code == 429
        assert mailoutbox == []

    def test_invitations_older_than_an_hour_do_not_count(self, client, owner, canvas, mailoutbox):
        for n in range(20):
            make_invitation(canvas, owner, email=f"persona{n}@example.com")
        oldest = Invitation.objects.order_by("pk").first()
        Invitation.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - timedelta(minutes=61))
        client.force_login(owner)
        assert invite(client, canvas).status_code == 302
        assert len(mailoutbox) == 1

    def test_the_wait_is_until_the_oldest_counted_invitation_is_an_hour_old(self, owner, canvas):
        for n in range(20):
            make_invitation(canvas, owner, email=f"persona{n}@example.com")
        oldest = Invitation.objects.order_by("pk").first()
        Invitation.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - timedelta(minutes=50))
        assert 9 * 60 < Invitation.wait_before_inviting(owner) <= 10 * 60

    def test_other_owners_invitations_do_not_count(self, client, owner, editor, canvas, mailoutbox):
        Membership.objects.filter(canvas=canvas, user=editor).update(role=Role.OWNER)
        for n in range(20):
            make_invitation(canvas, editor, email=f"persona{n}@example.com")
        client.force_login(editor)
        assert invite(client, canvas, email="otra@example.com").status_code == 429  # the other owner's limit is reached
        client.force_login(owner)
        assert invite(client, canvas, email="otra@example.com").status_code == 302
        assert Invitation.objects.get(invited_by=owner).email == "otra@example.com"
        assert [message.to for message in mailoutbox] == [["otra@example.com"]]


# The pending list ------------------------------------------------------------------------------


class TestPendingList:
    def test_the_owner_sees_each_pending_invitation(self, client, owner, editor, outsider, canvas):
        Membership.objects.filter(canvas=canvas, user=editor).update(role=Role.OWNER)
        pending, _token = make_invitation(canvas, editor, email=NOBODY, role=Role.VIEWER)
        make_invitation(canvas, owner, email="revocada@example.com")[0].revoke()
        expire(make_invitation(canvas, owner, email="caducada@example.com")[0])
        make_invitation(canvas, owner, email="aceptada@example.com")[0].accept(outsider)
        make_invitation(make_canvas(owner, "Otro lienzo"), owner, email="otro@example.com")
        client.force_login(owner)
        page = client.get(members_url(canvas)).content
        assert pending_emails(page) == [NOBODY]
        row = element(page, f"invitation-{pending.pk}")
        cells = [cell.text for cell in row.find_all("td")]
        assert cells[:2] == ["Viewer", "eduardo"]
        assert row.find_all("time")[0].attrs["datetime"] == pending.expires_at.isoformat()
        [button] = row.find_all("button")
        assert button.attrs["aria-label"] == f"Revoke the invitation to {NOBODY}"
        assert button.text == "Revoke"
        [form] = row.find_all("form")
        assert form.attrs["action"] == revoke_url(pending)
        assert form.attrs["method"] == "post"


# Revoking --------------------------------------------------------------------------------------


@pytest.fixture
def invitation(canvas, owner) -> tuple[Invitation, str]:
    return make_invitation(canvas, owner, email=NOBODY, role=Role.EDITOR)


class TestRevoke:
    def test_it_requires_post(self, client, owner, invitation):
        client.force_login(owner)
        before = db_state()
        assert client.get(revoke_url(invitation[0])).status_code == 405
        assert db_state() == before

    def test_it_requires_login(self, client, invitation):
        before = db_state()
        assert client.post(revoke_url(invitation[0]))["Location"].startswith(reverse("login"))
        assert db_state() == before

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, invitation):
        client.force_login(outsider)
        before = db_state()
        assert client.post(revoke_url(invitation[0])).status_code == 404
        assert db_state() == before

    @pytest.mark.parametrize("member", ["viewer", "editor"])
    def test_only_owners_revoke(self, client, invitation, member, request):
        client.force_login(request.getfixturevalue(member))
        before = db_state()
        assert client.post(revoke_url(invitation[0])).status_code == 403
        assert db_state() == before

    def test_the_owner_revokes_and_the_link_stops_working(self, client, owner, outsider, canvas, invitation):
        pending, token = invitation
        client.force_login(owner)
        response = client.post(revoke_url(pending))
        assert response["Location"] == f"{members_url(canvas)}#invitations"
        page = client.get(response["Location"]).content
        assert element(page, "messages").text == f"Invitation to {NOBODY} revoked: its link no longer works."
        assert pending_emails(page) == []
        pending.refresh_from_db()
        assert pending.revoked_at is not None
        client.force_login(outsider)
        assert client.get(invitation_url(token)).status_code == 404

    @pytest.mark.parametrize("closed", ["revoked", "expired", "accepted"])
    def test_a_closed_invitation_is_a_404(self, client, owner, outsider, invitation, closed):
        pending, _token = invitation
        close(pending, closed, outsider)
        client.force_login(owner)
        before = db_state()
        assert client.post(revoke_url(pending)).status_code == 404
        assert db_state() == before

    def test_an_invitation_to_another_canvas_is_a_404(self, client, owner, outsider, canvas):
        other, _token = make_invitation(make_canvas(outsider, "Ajeno"), outsider)
        client.force_login(owner)
        before = db_state()
        url = reverse("canvas_app:invitation_revoke", args=[canvas.pk, other.pk])
        assert client.post(url).status_code == 404
        assert db_state() == before


# Accepting -------------------------------------------------------------------------------------


class TestAccept:
    def test_it_accepts_only_get_and_post(self, client, outsider, invitation):
        client.force_login(outsider)
        before = db_state()
        assert client.put(invitation_url(invitation[1])).status_code == 405
        assert db_state() == before

    def test_an_anonymous_visitor_logs_in_and_comes_back(self, client, outsider, invitation):
        url = invitation_url(invitation[1])
        before = db_state()
        response = client.get(url)
        login = f"{reverse('login')}?next={url}"
        links = element(response.content, "main").find_all("a")
        assert [a.attrs["href"] for a in links if a.text == "Log in to accept"] == [login]
        assert client.post(url)["Location"] == login
        assert db_state() == before
        page = client.get(login)
        assert element(page.content, "main").find_all("input", type="hidden", name="next")[0].attrs["value"] == url
        response = client.post(login, {"username": "oscar", "password": PASSWORD, "next": url})
        assert response["Location"] == url
        assert client.get(url).status_code == 200

    def test_the_page_says_what_accepting_does(self, client, outsider, invitation):
        client.force_login(outsider)
        response = client.get(invitation_url(invitation[1]))
        assert response.status_code == 200
        main = element(response.content, "main").text
        assert "olga invites you to the canvas “Tostadores Aurora” as Editor." in main
        [button] = find_all(response.content, "button", type="submit", **{"class": "button--primary"})
        assert button.text == "Accept invitation"
        assert response["Referrer-Policy"] == "strict-origin"
        assert response["X-Robots-Tag"] == "noindex"
        assert "no-store" in response["Cache-Control"]

    def test_the_outsider_accepts_and_joins_with_the_invited_role(self, client, owner, outsider, canvas, mailoutbox):
        client.force_login(owner)
        invite(client, canvas, email=TAKEN, role=Role.VIEWER, follow=True)
        link = link_in(mailoutbox[0])
        client.force_login(outsider)
        response = client.post(link)
        assert response.status_code == 302
        assert response["Location"] == board_url(canvas)
        assert membership_of(canvas, outsider).role == Role.VIEWER
        assert messages_on(client, response["Location"]) == "Welcome to “Tostadores Aurora”: you joined it as Viewer."
        invitation = Invitation.objects.get()
        assert invitation.accepted_by == outsider
        assert invitation.accepted_at is not None

    def test_the_account_need_not_have_the_invited_address(self, client, outsider, canvas, invitation):
        """The token is the secret sent to that address: whoever holds it may accept."""
        assert outsider.email != invitation[0].email
        client.force_login(outsider)
        client.post(invitation_url(invitation[1]))
        assert membership_of(canvas, outsider).role == Role.EDITOR

    def test_the_link_works_once(self, client, outsider, canvas, invitation):
        token = invitation[1]
        paula = make_user("paula")
        client.force_login(outsider)
        client.post(invitation_url(token))
        before = db_state()
        assert client.get(invitation_url(token)).status_code == 404
        assert client.post(invitation_url(token)).status_code == 404
        client.force_login(paula)
        assert client.post(invitation_url(token)).status_code == 404
        assert db_state() == before

    @pytest.mark.parametrize("member", ["owner", "editor", "viewer"])
    def test_a_member_who_accepts_keeps_their_role(self, client, owner, canvas, member, request):
        user = request.getfixturevalue(member)
        role = membership_of(canvas, user).role
        other_role = Role.VIEWER if role == Role.OWNER else Role.OWNER
        pending, token = make_invitation(canvas, owner, email="otra@example.com", role=other_role)
        client.force_login(user)
        page = client.get(invitation_url(token))
        assert f"You are a member of this canvas already, as {Role(role).label}: accepting keeps that role." in (
            element(page.content, "main").text
        )
        response = client.post(invitation_url(token))
        assert response["Location"] == board_url(canvas)
        assert membership_of(canvas, user).role == role
        assert messages_on(client, response["Location"]) == (
            f"You were a member of “Tostadores Aurora” already: your role stays {Role(role).label}."
        )
        pending.refresh_from_db()
        assert pending.accepted_by == user  # used up all the same

    @pytest.mark.parametrize("closed", ["revoked", "expired"])
    def test_a_closed_invitation_is_a_404(self, client, outsider, invitation, closed):
        pending, token = invitation
        close(pending, closed)
        client.force_login(outsider)
        before = db_state()
        for method in (client.get, client.post):
            response = method(invitation_url(token))
            assert response.status_code == 404
            assert "Tostadores Aurora" not in response.content.decode()
        assert db_state() == before

    @pytest.mark.parametrize(
        "token", ["x" * 43, "short", "a" * 65], ids=["unknown", "too-short", "too-long"]
    )
    def test_an_unknown_token_is_a_404(self, client, outsider, invitation, token):
        client.force_login(outsider)
        before = db_state()
        url = f"/invitations/{token}/"
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        assert db_state() == before

    def test_a_deleted_canvas_takes_its_invitations_along(self, owner, canvas, invitation):
        canvas.delete()
        assert not Invitation.objects.exists()


class TestAcceptWithoutAnAccount:
    """Someone the invitation finds without a Lienzo account signs up on the way, and comes
    back to the invitation once their address is confirmed, without the email again."""

    SIGNUP = {
        "username": "nadia",
        "email": NOBODY,
        "password1": "otra-frase-larga-y-segura-42",
        "password2": "otra-frase-larga-y-segura-42",
    }

    @pytest.fixture
    def invited(self, client, owner, canvas, mailoutbox) -> tuple[str, str]:
        """The two links of the invitation email to NOBODY: to accept, and to sign up."""
        client.force_login(owner)
        invite(client, canvas, email=NOBODY, role=Role.VIEWER)
        client.logout()
        [email] = mailoutbox
        mailoutbox.clear()
        signup = re.search(r"http://testserver(/accounts/signup/\S+)", email.body).group(1)
        return link_in(email), signup

    def activation_link(self, mailoutbox) -> str:
        [email] = mailoutbox
        assert email.to == [NOBODY]
        return re.search(r"http://testserver(/accounts/activate/\S+)", email.body).group(1)

    def hidden_next(self, html: bytes) -> str:
        [field] = element(html, "main").find_all("input", type="hidden", name="next")
        return field.attrs["value"]

    def confirm_and_accept(self, client, canvas, mailoutbox, url: str) -> None:
        link = self.activation_link(mailoutbox)
        page = client.get(link)
        assert "Start using Lienzo as nadia." in element(page.content, "main").text
        response = client.post(link, {"next": self.hidden_next(page.content)})
        assert response["Location"] == url
        nadia = get_user_model().objects.get(username="nadia")
        assert nadia.is_active

        page = client.get(url)
        assert page.status_code == 200
        assert element(page.content, "messages").text == "Welcome to Lienzo!"
        main = element(page.content, "main").text
        assert "olga invites you to the canvas “Tostadores Aurora” as Viewer." in main
        response = client.post(url)
        assert response["Location"] == board_url(canvas)
        assert membership_of(canvas, nadia).role == Role.VIEWER
        assert Invitation.objects.get().accepted_by == nadia

    def test_from_the_log_in_page(self, client, canvas, mailoutbox, invited):
        url, _signup = invited
        login = f"{reverse('login')}?next={url}"
        assert client.post(url)["Location"] == login
        links = element(client.get(login).content, "main").find_all("a")
        [signup] = [a.attrs["href"] for a in links if a.text == "Create an account"]
        assert signup == f"{reverse('signup')}?next={url}"
        page = client.get(signup)
        assert self.hidden_next(page.content) == url
        response = client.post(signup, self.SIGNUP | {"next": self.hidden_next(page.content)})
        assert response["Location"] == reverse("signup_done")
        assert not canvas.memberships.filter(user__username="nadia").exists()
        self.confirm_and_accept(client, canvas, mailoutbox, url)

    def test_from_the_sign_up_link_of_the_email(self, client, canvas, mailoutbox, invited):
        url, signup = invited
        page = client.get(signup)
        assert self.hidden_next(page.content) == url
        response = client.post(signup, self.SIGNUP | {"next": self.hidden_next(page.content)})
        assert response["Location"] == reverse("signup_done")
        self.confirm_and_accept(client, canvas, mailoutbox, url)


class TestAcceptModel:
    def test_accepting_twice_raises_and_changes_nothing(self, outsider, editor, canvas, invitation):
        pending, _token = invitation
        membership, joined = pending.accept(outsider)
        assert (membership.user, membership.role, joined) == (outsider, Role.EDITOR, True)
        stale = Invitation.objects.get(pk=pending.pk)
        with pytest.raises(InvitationClosedError):
            stale.accept(editor)
        stale.refresh_from_db()
        assert stale.accepted_by == outsider
        assert membership_of(canvas, editor).role == Role.EDITOR

    def test_a_stale_copy_of_a_revoked_invitation_cannot_be_accepted(self, outsider, canvas, invitation):
        pending, _token = invitation
        stale = Invitation.objects.get(pk=pending.pk)
        pending.revoke()
        with pytest.raises(InvitationClosedError):
            stale.accept(outsider)
        assert not canvas.memberships.filter(user=outsider).exists()


def normalised(html: bytes, email: str, invitation: Invitation) -> str:
    """The page without what differs on every response (CSRF tokens, CSP nonces) or with
    every invitation (its address and its id)."""
    text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]+', r"\1", html.decode())
    text = text.replace(f'id="invitation-{invitation.pk}"', 'id="invitation-ID"')
    text = text.replace(revoke_url(invitation), "REVOKE-URL")
    assert email in text
    return text.replace(email, "EMAIL")


# Owners inviting at the same moment -------------------------------------------------------------


def invite_at_once(canvas, owners_and_emails: list[tuple]) -> list[int]:
    """Each owner submits the form in their own thread, all released together; the statuses."""
    from django.db import connection
    from django.test import Client

    start = threading.Barrier(len(owners_and_emails))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def submit(user, email: str) -> None:
        client = Client()
        client.force_login(user)
        try:
            start.wait()
            statuses.append(client.post(members_url(canvas), {"email": email, "role": Role.EDITOR}).status_code)
        except BaseException as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=pair) for pair in owners_and_emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return sorted(statuses)


@pytest.mark.django_db(transaction=True)
def test_two_owners_inviting_one_address_at_once_make_one_invitation(mailoutbox):
    first, second = make_user("olga"), make_user("omar")
    canvas = make_canvas(first)
    Membership.objects.create(canvas=canvas, user=second, role=Role.OWNER)

    statuses = invite_at_once(canvas, [(first, "nadie@example.com"), (second, "NADIE@example.com")] * 2)

    assert statuses == [302, 400, 400, 400]
    assert Invitation.objects.filter(canvas=canvas).count() == 1
    assert run_tasks(EMAIL_QUEUE) == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_one_owner_submitting_in_several_tabs_stays_within_the_hourly_limit(monkeypatch, mailoutbox):
    owner = make_user("olga")
    canvas = make_canvas(owner)
    monkeypatch.setattr(Invitation, "MAX_PER_HOUR", 2)

    statuses = invite_at_once(canvas, [(owner, f"persona{n}@example.com") for n in range(5)])

    assert statuses == [302, 302, 429, 429, 429]
    assert Invitation.objects.filter(invited_by=owner).count() == 2
    assert run_tasks(EMAIL_QUEUE) == 2
    assert len(mailoutbox) == 2
