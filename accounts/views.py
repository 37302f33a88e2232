"""Signing up, confirming the address, the throttled log-in and the throttled password reset."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import services
from .forms import LoginForm, ResendActivationForm, SignUpForm
from .models import EmailRequest, Profile, client_address, user_language
from .tasks import link_days, resend_activation, send_password_reset
from .tokens import LinkState, activation_token

#: The address and `next` of this browser's last sign-up, for the "check your email" page.
SIGNUP_SESSION_KEY = "signup"


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Sign up, then come back to `next` (say, an invitation) once the emailed link is followed."""
    next_url = _next_from(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url) if next_url else redirect("canvas_app:dashboard")
    if request.method == "POST":
        services.forget_abandoned_signups(
            username=request.POST.get("username", "")[:150], email=request.POST.get("email", "")[:254]
        )
    form = SignUpForm(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        wait = _count_email(request, form, EmailRequest.Kind.SIGNUP)
        if not wait:
            try:
                services.sign_up(request=request, form=form, next_url=next_url)
            except IntegrityError:
                # Someone took the username between the form's check and the insert.
                form.add_error("username", _taken_username())
            else:
                # For the "check your email" page: where the email went, to send it again.
                request.session[SIGNUP_SESSION_KEY] = {"email": form.cleaned_data["email"], "next": next_url}
                return redirect("signup_done")
    status = 400 if form.errors else 200
    context = {"form": form, "next": next_url}
    response = TemplateResponse(request, "registration/signup.html", context, status=status)
    return _too_many(response, wait)


@require_safe
def signup_done(request: HttpRequest) -> HttpResponse:
    signup = request.session.get(SIGNUP_SESSION_KEY) or {}
    form = ResendActivationForm(initial={"email": signup.get("email", "")})
    return _signup_done(request, form, next_url=signup.get("next", ""))


@require_POST
def signup_resend(request: HttpRequest) -> HttpResponse:
    """Send the link to confirm a new account again. It answers the same whether or not the
    address has an account waiting (the worker finds out, tasks.resend_activation), and it
    counts against the same limits as signing up."""
    next_url = _next_from(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url) if next_url else redirect("canvas_app:dashboard")
    form = ResendActivationForm(request.POST)
    wait = 0
    if form.is_valid():
        wait = _count_email(request, form, EmailRequest.Kind.SIGNUP)
        if not wait:
            email = form.cleaned_data["email"]
            resend_activation.enqueue(
                email=email,
                origin=services.origin(request),
                next_url=next_url,
                language=services.interface_language(),
            )
            request.session[SIGNUP_SESSION_KEY] = {"email": email, "next": next_url}
            messages.success(request, _("We sent the email again to %(email)s.") % {"email": email})
            return redirect("signup_done")
    return _too_many(_signup_done(request, form, next_url=next_url, status=400), wait)


def _signup_done(request: HttpRequest, form: ResendActivationForm, *, next_url: str, status: int = 200):
    context = {"form": form, "next": next_url}
    return TemplateResponse(request, "registration/signup_done.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link of the confirmation email. Following it shows a button: mail scanners that
    fetch every link must not confirm an account nobody looked at. Its `next` came back from
    outside, in a link anyone could have edited, so it is checked again here."""
    user = _user_from(uidb64)
    state = activation_token.state(user, token)
    valid = state == LinkState.VALID
    next_url = _next_from(request)
    if request.method == "POST" and valid:
        user.is_active = True
        user.save(update_fields=["is_active"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.pop(SIGNUP_SESSION_KEY, None)  # nothing left to send again
        if next_url:
            messages.success(request, _("Welcome to Lienzo!"))
            return HttpResponseRedirect(next_url)
        messages.success(request, _("Welcome to Lienzo! Create your first canvas."))
        return redirect("canvas_app:dashboard")
    context = {
        "validlink": valid,
        "state": state.value,
        "account": user if valid else None,
        "next": next_url,
        **link_days(),
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "registration/activate.html", context, status=status)


def _taken_username() -> str:
    return get_user_model()._meta.get_field("username").error_messages["unique"]


def _next_from(request: HttpRequest) -> str:
    """Where to go once logged in, as Django's LoginView reads it (the form's field, else the
    query string); "" unless it is a page of this site."""
    url = request.POST.get("next", request.GET.get("next", ""))
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


def _user_from(uidb64: str):
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return get_user_model()._default_manager.get(pk=pk)
    except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist):
        return None


class LoginView(auth_views.LoginView):
    """Django's log-in with LoginForm: a throttled attempt answers 429 and Retry-After."""

    authentication_form = LoginForm

    def form_valid(self, form: LoginForm) -> HttpResponse:
        """Logged in, Lienzo speaks the language the account chose (on another device too)."""
        response = super().form_valid(form)
        language = user_language(form.get_user())
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.retry_after:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, throttled like sign-up (models.EmailRequest). Every valid
    request counts, whether or not the address has an account to email: a throttled one
    answers 429 and Retry-After, and the same either way."""

    def form_valid(self, form) -> HttpResponse:
        wait = _count_email(self.request, form, EmailRequest.Kind.PASSWORD_RESET)
        if wait:
            return _too_many(self.form_invalid(form), wait)
        # Queued whether or not the address has an account: the worker finds out, so the
        # answer takes as long either way.
        send_password_reset.enqueue(
            email=form.cleaned_data["email"],
            domain=self.request.get_host(),
            use_https=self.request.is_secure(),
            language=services.interface_language(),
        )
        return HttpResponseRedirect(self.get_success_url())


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher. Logged in, the choice is kept with the account too: the
    emails it gets are written in it."""
    response = i18n.set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        Profile.set_language(request.user, request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, ""))
    return response


def _count_email(request: HttpRequest, form: forms.Form, kind: str) -> int:
    """Count a request to email the form's address (EmailRequest.start). When it must wait,
    say for how long next to the address, and return the seconds (0: send)."""
    wait = EmailRequest.start(
        kind=kind, recipient=form.cleaned_data["email"], address=client_address(request)
    )
    if wait:
        minutes = -(-wait // 60)
        form.add_error(
            "email",
            forms.ValidationError(
                ngettext(
                    "Too many emails were asked for this address or from your network. "
                    "Try again in %(minutes)d minute.",
                    "Too many emails were asked for this address or from your network. "
                    "Try again in %(minutes)d minutes.",
                    minutes,
                ),
                code="throttled",
                params={"minutes": minutes},
            ),
        )
    return wait


def _too_many(response: HttpResponse, wait: int) -> HttpResponse:
    if wait:
        response.status_code = 429
        response["Retry-After"] = str(wait)
    return response
