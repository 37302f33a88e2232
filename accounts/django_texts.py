"""Django's own account and password messages, listed here so that they are extracted into
Lienzo's catalogue and said in our voice ("tú"). Django's Spanish addresses the user as
"usted"; the project catalogue (LOCALE_PATHS) takes precedence over Django's, so the
translations of these msgids in locale/es/LC_MESSAGES/django.po are the ones shown.

Each msgid must match Django's exactly, typographic apostrophes (’) included. Nothing
imports this module: extraction reads the file.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    # The empty choice of every select over a model field's choices (Django 6.1 has no Spanish yet)
    gettext_noop("- Select an option -"),
    # UserCreationForm, SetPasswordForm (SetPasswordMixin)
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Enter the same password as before, for verification."),
    # User.username (contrib.auth.models) and its validator
    gettext_noop("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
    gettext_noop("A user with that username already exists."),
    gettext_noop(
        "Enter a valid username. This value may contain only letters, "
        "numbers, and @/./+/-/_ characters."
    ),
    # AuthenticationForm
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both "
        "fields may be case-sensitive."
    ),
    gettext_noop("This account is inactive."),
    # PasswordChangeForm
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    # PasswordResetForm, SignUpForm: the email field
    gettext_noop("Enter a valid email address."),
    # Password validators: errors and help texts
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
]

PLURAL_MESSAGES = [
    # MinimumLengthValidator
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        1,
    ),
    # MaxLengthValidator: usernames and passwords on the account forms (accounts.forms)
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        1,
    ),
]
