"""Forms of the account pages: Django's, with every password bounded and the log-in throttled."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from .mail import PlainTextEmail
from .models import FailedLogin, client_address, user_language

logger = logging.getLogger(__name__)

#: Hashing is not free: a password of megabytes would cost real time (Django's own bound
#: before it made long passwords cheap to hash).
PASSWORD_MAX_LENGTH = 4096


class BoundedPasswordsMixin:
    """Every password field of the form refuses more than PASSWORD_MAX_LENGTH characters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.PasswordInput):
                field.max_length = PASSWORD_MAX_LENGTH
                field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
                field.widget.attrs["maxlength"] = str(PASSWORD_MAX_LENGTH)


class SignUpForm(BoundedPasswordsMixin, auth_forms.UserCreationForm):
    """Usernames are public handles, so "username taken" is said. Whether an email address
    has an account is not: the form accepts a taken one (see services.sign_up)."""

    email = forms.EmailField(label=_("Email"), max_length=254)

    class Meta(auth_forms.UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]

    def validate_password_for_user(self, user, password_field_name: str = "password1") -> None:
        # What is wrong with the password shows next to it, not under its confirmation
        # (Django's choice); only a confirmation that differs is said there. A password
        # that differs from its confirmation is not judged: which of the two was meant?
        if "password2" not in self.errors:
            super().validate_password_for_user(user, password_field_name=password_field_name)


class ResendActivationForm(forms.Form):
    """The address a sign-up's email went to, to send its link again."""

    email = forms.EmailField(label=_("Email"), max_length=254)


class LoginForm(BoundedPasswordsMixin, auth_forms.AuthenticationForm):
    """Django's log-in form, refusing to check any password once a username or a client
    address has had too many failures (models.FailedLogin). The refusal, like the error for a
    wrong password, reads the same whether or not the account exists."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.retry_after = 0  # seconds, when throttled
        # Django shows the username's maximum length to the browser but does not check it.
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))

    @sensitive_variables("password")
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data  # a field error says what is missing
        address = client_address(self.request) if self.request is not None else None
        attempt, self.retry_after = FailedLogin.start(username=username, address=address)
        if self.retry_after:
            minutes = -(-self.retry_after // 60)
            raise forms.ValidationError(
                ngettext(
                    "Too many failed attempts to log in. Try again in %(minutes)d minute, or reset your password.",
                    "Too many failed attempts to log in. Try again in %(minutes)d minutes, or reset your password.",
                    minutes,
                ),
                code="throttled",
                params={"minutes": minutes},
            )
        cleaned_data = super().clean()  # a wrong password leaves the attempt counted
        attempt.succeeded()
        return cleaned_data


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """The admin's log-in, throttled like the site's: it is as easy a place to guess at."""


class PasswordChangeForm(BoundedPasswordsMixin, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(BoundedPasswordsMixin, auth_forms.SetPasswordForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's password reset, each email in its account's language, else in `language`
    (the language the reset was asked for in)."""

    language = settings.LANGUAGE_CODE

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        with translation.override(user_language(context["user"]) or self.language):
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
        try:
            PlainTextEmail(subject=subject, body=body, from_email=from_email, to=[to_email]).send()
        except Exception:  # as Django does: one failed address does not stop the others
            logger.exception("Failed to send password reset email to %s", context["user"].pk)
