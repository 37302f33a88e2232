"""Who may use a canvas: members and their roles, and emailed invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.services import queue_email

from ..access import canvas_view
from ..forms import InvitationForm, MemberRoleForm, ShareLinkForm
from ..models import Canvas, Invitation, InvitationClosedError, LastOwnerError, Role
from ..signals import describe_members, role_changed


def members_context(
    request: HttpRequest,
    canvas: Canvas,
    *,
    form: InvitationForm | None = None,
    share_form: ShareLinkForm | None = None,
) -> dict:
    is_owner = Role(canvas.user_role) == Role.OWNER
    memberships = list(canvas.memberships.select_related("user"))
    context = {
        "canvas": canvas,
        "is_owner": is_owner,
        "memberships": memberships,
        "roles": Role.choices,
    }
    if is_owner:
        for membership in memberships:
            membership.role_notes = []
        describe_members.send(sender=Canvas, canvas=canvas, memberships=memberships)
        context["form"] = form if form is not None else InvitationForm(canvas=canvas, user=request.user)
        # Owners only: the addresses someone typed are not for every member to read.
        context["invitations"] = canvas.invitations.pending().select_related("invited_by")
        context["invitation_days"] = Invitation.DAYS
        share_links = list(canvas.share_links.live().select_related("created_by"))
        for link in share_links:
            link.url = request.build_absolute_uri(link.get_absolute_url())
        context["share_links"] = share_links
        context["share_form"] = share_form if share_form is not None else ShareLinkForm()
    return context


@canvas_view(Role.VIEWER, change=Role.OWNER, methods=["GET", "POST"])
def members(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    """The members, and for owners the form that invites someone by email. Whether the
    address has an account changes nothing in the answer: nothing here looks it up."""
    form = None
    if request.method == "POST":
        with transaction.atomic():
            # The form's checks (one pending invitation per address, the inviter's hourly
            # limit) and the insert must not interleave with another owner's submit.
            get_user_model().objects.select_for_update().get(pk=request.user.pk)
            canvas.lock()
            form = InvitationForm(request.POST, canvas=canvas, user=request.user)
            invitation = None
            if form.is_valid():
                invitation = _invite(request, canvas, email=form.cleaned_data["email"], role=form.cleaned_data["role"])
        if invitation is not None:
            messages.success(
                request,
                _("Invitation sent to %(email)s. They join once they accept it.") % {"email": invitation.email},
            )
            return redirect("canvas_app:members", canvas.pk)
    context = members_context(request, canvas, form=form)
    status = 400 if form is not None and form.errors else 200
    response = TemplateResponse(request, "canvas_app/members.html", context, status=status)
    if form is not None and form.retry_after:
        response.status_code = 429
        response["Retry-After"] = str(form.retry_after)
    return response


def _invite(request: HttpRequest, canvas: Canvas, *, email: str, role: str) -> Invitation:
    # One transaction: an invitation whose email could not be sent is not kept, since as a
    # pending invitation it would stop the owner from sending it again.
    with transaction.atomic():
        invitation, token = Invitation.create_for(canvas, request.user, email=email, role=role)
        accept = reverse("canvas_app:invitation_accept", args=[token])
        with translation.override(None):  # the role's own name: the worker translates it
            role = str(invitation.get_role_display())
        context = {
            "inviter": request.user.get_username(),
            "title": canvas.title,
            "role": role,
            "link": request.build_absolute_uri(accept),
            # Signing up from it comes back to the invitation once the address is confirmed.
            "signup_link": request.build_absolute_uri(reverse("signup", query={"next": accept})),
            "days": Invitation.DAYS,
        }
        # In the invitee's language if their account has one, else in the canvas' language.
        queue_email("canvas_app/invitation", to=invitation.email, context=context, language=canvas.language)
    return invitation


@canvas_view(Role.OWNER, methods=["POST"])
def invitation_revoke(request: HttpRequest, canvas: Canvas, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(canvas.invitations.pending(), pk=invitation_id)
    invitation.revoke()
    messages.success(
        request, _("Invitation to %(email)s revoked: its link no longer works.") % {"email": invitation.email}
    )
    return HttpResponseRedirect(f"{reverse('canvas_app:members', args=[canvas.pk])}#invitations")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: shows what the invitation is for; its button makes the logged-in
    user a member. Anything but a pending invitation is a plain 404. Logged out, the page
    says what the invitation is for above the ways to log in or sign up, which both come
    back here: the holder of the link has read as much in the email.

    The logged-in account need not have the address the invitation was sent to: the token
    is the secret that went to that address, and people often accept with another address
    of theirs (as with GitHub, Google Docs or Slack invitations). It works once."""
    invitation = get_object_or_404(
        Invitation.objects.pending().with_token(token).select_related("canvas", "invited_by")
    )
    canvas = invitation.canvas
    if not request.user.is_authenticated and request.method == "POST":
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        try:
            membership, joined = invitation.accept(request.user)
        except InvitationClosedError:
            raise Http404 from None
        if joined:
            message = _("Welcome to “%(title)s”: you joined it as %(role)s.")
        else:
            message = _("You were a member of “%(title)s” already: your role stays %(role)s.")
        messages.success(request, message % {"title": canvas.title, "role": membership.get_role_display()})
        return redirect("canvas_app:board", canvas.pk)
    context = {
        "invitation": invitation,
        "canvas": canvas,
        "membership": (
            canvas.memberships.filter(user=request.user).first() if request.user.is_authenticated else None
        ),
    }
    response = TemplateResponse(request, "canvas_app/invitation.html", context)
    # As for share links: the token in the path must not travel on in a Referer or be indexed.
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@canvas_view(Role.OWNER, methods=["POST"])
def member_role(request: HttpRequest, canvas: Canvas, member_id: int) -> HttpResponse:
    membership = get_object_or_404(canvas.memberships, pk=member_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role: owner, editor or viewer."))
    else:
        old_role = membership.role
        try:
            revoked = canvas.change_role(membership, form.cleaned_data["role"])
        except LastOwnerError:
            messages.error(request, _("A canvas needs at least one owner: make someone else owner first."))
        else:
            messages.success(request, _("Role changed."))
            _say_revoked(request, revoked)
            if membership.role != old_role:
                for _receiver, message in role_changed.send(
                    sender=Canvas, canvas=canvas, membership=membership, old_role=old_role
                ):
                    if message:
                        messages.info(request, message)
    return redirect("canvas_app:members", canvas.pk)


def _say_revoked(request: HttpRequest, revoked: int) -> None:
    if revoked:
        messages.info(
            request,
            ngettext(
                "As they are no longer an owner, %(count)d share link or invitation they made was revoked.",
                "As they are no longer an owner, %(count)d share links and invitations they made were revoked.",
                revoked,
            )
            % {"count": revoked},
        )


@canvas_view(Role.OWNER, methods=["POST"])
def member_remove(request: HttpRequest, canvas: Canvas, member_id: int) -> HttpResponse:
    membership = get_object_or_404(canvas.memberships.select_related("user"), pk=member_id)
    try:
        revoked = canvas.remove_member(membership)
    except LastOwnerError:
        messages.error(request, _("A canvas needs at least one owner: make someone else owner first."))
        return redirect("canvas_app:members", canvas.pk)
    messages.success(request, _("%(user)s no longer has access to this canvas.") % {"user": membership.user.username})
    _say_revoked(request, revoked)
    if membership.user_id == request.user.pk:
        return redirect("canvas_app:dashboard")
    return redirect("canvas_app:members", canvas.pk)
