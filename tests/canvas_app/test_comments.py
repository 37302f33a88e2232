"""Comment threads on notes (and so on segments): write, reply, resolve and reopen as a
commenter; @mentions mailed in the recipient's language, at most so many an hour; the count
on the note; every step recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Profile
from canvas_app.models import Action, Block, Change, Comment, Membership, Role
from canvas_app.models.comments import MENTION_MAILS_PER_HOUR, mentioned_names
from tests.conftest import make_user
from tests.markup import element

pytestmark = pytest.mark.django_db


@pytest.fixture
def commenter(canvas):
    user = make_user("carmen")
    Membership.objects.create(canvas=canvas, user=user, role=Role.COMMENTER)
    return user


def _url(canvas, note) -> str:
    return reverse("canvas_app:note_comments", args=[canvas.pk, note.pk])


def test_mentions_are_user_names_after_an_at_sign():
    assert mentioned_names("@olga y @eduardo.r: ¿lo vemos? @olga, mail a x@example.com") == ["olga", "eduardo.r"]


def test_a_commenter_starts_a_thread_replies_resolves_and_reopens_it(client, canvas, note, commenter, editor):
    client.force_login(commenter)
    response = client.post(_url(canvas, note), {"text": "¿Cuánto cuesta el café?"})
    thread = Comment.objects.get(note=note)
    assert response["Location"].endswith(f"#comment-{thread.pk}")
    client.post(_url(canvas, note), {"text": "Unos 2 € la taza", "parent": thread.pk})
    assert [c.text for c in thread.replies.all()] == ["Unos 2 € la taza"]
    client.post(reverse("canvas_app:comment_resolve", args=[canvas.pk, thread.pk]))
    thread.refresh_from_db()
    assert thread.is_resolved and thread.resolved_by == commenter
    client.post(reverse("canvas_app:comment_reopen", args=[canvas.pk, thread.pk]))
    thread.refresh_from_db()
    assert not thread.is_resolved
    recorded = list(Change.objects.filter(canvas=canvas, by=commenter).order_by("revision").values_list("action", "note_id"))
    assert recorded == [(Action.ADD, note.pk), (Action.ADD, note.pk), (Action.EDIT, note.pk), (Action.EDIT, note.pk)]
    # A commenter changes nothing else.
    assert client.post(reverse("canvas_app:note_edit", args=[canvas.pk, note.pk]), {"text": "x"}).status_code == 403


def test_an_empty_comment_or_a_reply_to_no_thread_is_refused_and_nothing_is_saved(client, canvas, note, commenter):
    client.force_login(commenter)
    empty = client.post(_url(canvas, note), {"text": "   "})
    assert empty.status_code == 400 and empty.context["form"].errors["text"]
    stray = client.post(_url(canvas, note), {"text": "Hola", "parent": 999999})
    assert stray.status_code == 400 and "no longer there" in stray.context["form"].errors["text"][0]
    assert not Comment.objects.exists()


def test_a_mention_mails_the_member_in_their_language_and_nobody_else(client, canvas, note, commenter, editor, viewer, outsider, mailoutbox):
    Profile.set_language(editor, "en")
    Profile.set_language(viewer, "es")
    client.force_login(commenter)
    client.post(_url(canvas, note), {"text": f"@{editor.username} @{viewer.username} @{outsider.username} @nadie: ¿lo miráis?"})
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([editor.email, viewer.email])  # members only
    english = next(mail for mail in mailoutbox if mail.to == [editor.email])
    spanish = next(mail for mail in mailoutbox if mail.to == [viewer.email])
    assert english.subject == f"carmen mentioned you on “{canvas.title}”"
    assert spanish.subject == f"carmen te ha mencionado en «{canvas.title}»"
    assert "¿lo miráis?" in english.body and f"/canvases/{canvas.pk}/notes/{note.pk}/comments/#comment-" in english.body


def test_mention_mails_are_rate_limited(client, canvas, note, commenter, editor, mailoutbox):
    client.force_login(commenter)
    for number in range(MENTION_MAILS_PER_HOUR + 2):
        response = client.post(_url(canvas, note), {"text": f"@{editor.username} número {number}"}, follow=True)
    assert len(mailoutbox) == MENTION_MAILS_PER_HOUR
    assert Comment.objects.filter(note=note).count() == MENTION_MAILS_PER_HOUR + 2  # the comments are all kept
    assert "some were not emailed" in response.text


def test_the_note_shows_how_many_comments_its_open_threads_hold(client, canvas, note, commenter, viewer):
    thread = Comment(canvas=canvas, note=note, author=commenter, text="Uno")
    thread.add(by=commenter)
    Comment(canvas=canvas, note=note, parent=thread, author=commenter, text="Dos").add(by=commenter)
    closed = Comment(canvas=canvas, note=note, author=commenter, text="Tres")
    closed.add(by=commenter)
    closed.resolve(by=commenter)
    other = canvas.add_note(block=Block.CHANNELS, text="Web")
    client.force_login(commenter)
    board = client.get(reverse("canvas_app:board", args=[canvas.pk]), HTTP_ACCEPT_LANGUAGE="en")
    [count] = [a for a in element(board.content, f"note-{note.pk}").find_all("a") if "note__comments" in a.attrs.get("class", "")]
    assert count.attrs["aria-label"] == "2 comments" and count.attrs["href"] == _url(canvas, note)
    # A commenter may start a thread on any note; a viewer only sees the counts.
    [start] = [a for a in element(board.content, f"note-{other.pk}").find_all("a") if "note__comments" in a.attrs.get("class", "")]
    assert start.attrs["aria-label"] == "Comment on this note"
    client.force_login(viewer)
    board = client.get(reverse("canvas_app:board", args=[canvas.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert not [a for a in element(board.content, f"note-{other.pk}").find_all("a") if "note__comments" in a.attrs.get("class", "")]
    page = client.get(_url(canvas, note))
    assert page.status_code == 200 and page.context["can_comment"] is False and "Uno" in page.text


def test_the_history_tells_a_resolved_thread_by_its_date_not_by_ids(client, canvas, note, commenter):
    thread = Comment(canvas=canvas, note=note, author=commenter, text="Uno")
    thread.add(by=commenter)
    thread.resolve(by=commenter)
    client.force_login(commenter)
    response = client.get(reverse("canvas_app:note_history", args=[canvas.pk, note.pk]), HTTP_ACCEPT_LANGUAGE="en")
    [field] = response.context["entries"][0].fields  # who resolved it is the change's own "by"
    assert field.label == "resolved on" and field.before == "(empty)"
    assert "T" not in field.after and str(thread.resolved_at.year) in field.after
