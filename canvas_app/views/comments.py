"""Comment threads on a note (and so on a segment, whose thread is its note's): readers
read them; commenters, editors and owners write, reply, resolve and reopen. An @mention of a
member sends them an email in their language (at most MENTION_MAILS_PER_HOUR an hour)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import queue_email

from ..access import canvas_view, get_note_of_canvas
from ..models import Canvas, Comment, Note, Role
from ..models.comments import TEXT_LENGTH, mails_left, mentioned_names


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Write @ and a member's user name to let them know by email."),
        error_messages={"required": gettext_lazy("Write something: a comment cannot be empty.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)


def _thread_url(canvas: Canvas, note: Note) -> str:
    return reverse("canvas_app:note_comments", args=[canvas.pk, note.pk])


@canvas_view(Role.VIEWER, change=Role.COMMENTER, methods=["GET", "POST"])
def note_comments(request: HttpRequest, canvas: Canvas, note_id: int) -> HttpResponse:
    note = get_note_of_canvas(canvas, note_id)
    form, status = CommentForm(), 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        parent = None
        if form.is_valid() and form.cleaned_data["parent"]:
            parent = Comment.objects.filter(note=note, pk=form.cleaned_data["parent"], parent__isnull=True).first()
            if parent is None:
                form.add_error("text", _("That thread is no longer there."))
        if form.is_valid():
            comment = Comment(canvas=canvas, note=note, parent=parent, author=request.user, text=form.cleaned_data["text"])
            comment.add(by=request.user)
            _mail_mentions(request, canvas, note, comment)
            return HttpResponseRedirect(f"{_thread_url(canvas, note)}#comment-{comment.pk}")
        status = 400
    comments = list(Comment.objects.filter(note=note).select_related("author", "resolved_by"))
    threads = [c for c in comments if c.parent_id is None]
    for thread in threads:
        thread.thread_replies = [c for c in comments if c.parent_id == thread.pk]
    context = {
        "canvas": canvas,
        "note": note,
        "threads": threads,
        "form": form,
        "can_comment": Role(canvas.user_role).allows(Role.COMMENTER),
        "members": [m.user.get_username() for m in canvas.memberships.select_related("user")],
    }
    return TemplateResponse(request, "canvas_app/note_comments.html", context, status=status)


def _mail_mentions(request: HttpRequest, canvas: Canvas, note: Note, comment: Comment) -> None:
    names = mentioned_names(comment.text)
    if not names:
        return
    members = {
        m.user.get_username(): m.user
        for m in canvas.memberships.select_related("user").filter(user__username__in=names)
        if m.user != request.user and m.user.email
    }
    wanted = [name for name in names if name in members]
    left = mails_left(request.user)
    mailed = wanted[:left]
    link = request.build_absolute_uri(f"{_thread_url(canvas, note)}#comment-{comment.pk}")
    for name in mailed:
        queue_email(
            "canvas_app/mention",
            to=members[name].email,
            context={"name": name, "author": request.user.get_username(), "canvas": canvas.title,
                     "note": note.text, "comment": comment.text, "link": link},
            language=canvas.language or "en",
        )  # fmt: skip
    Comment.objects.filter(pk=comment.pk).update(mailed=mailed)
    if len(mailed) < len(wanted):
        messages.warning(request, _("You mentioned many people within an hour: some were not emailed this time."))


def _comment(canvas: Canvas, comment_id: int) -> Comment:
    comment = Comment.objects.filter(canvas=canvas, pk=comment_id, parent__isnull=True).select_related("note").first()
    if comment is None:
        raise Http404
    comment.canvas = comment.note.canvas = canvas
    return comment


@canvas_view(Role.COMMENTER, methods=["POST"])
def comment_resolve(request: HttpRequest, canvas: Canvas, comment_id: int) -> HttpResponse:
    comment = _comment(canvas, comment_id)
    if not comment.is_resolved:
        comment.resolve(by=request.user)
        messages.success(request, _("Thread resolved."))
    return HttpResponseRedirect(f"{_thread_url(canvas, comment.note)}#comment-{comment.pk}")


@canvas_view(Role.COMMENTER, methods=["POST"])
def comment_reopen(request: HttpRequest, canvas: Canvas, comment_id: int) -> HttpResponse:
    comment = _comment(canvas, comment_id)
    if comment.is_resolved:
        comment.reopen(by=request.user)
        messages.success(request, _("Thread reopened."))
    return HttpResponseRedirect(f"{_thread_url(canvas, comment.note)}#comment-{comment.pk}")
