"""Production settings, as a server gets them: none of the tests' overrides, DEBUG unset."""

from __future__ import annotations

import secrets
import subprocess
import sys

from django.conf import settings


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **env}  # nothing from pytest's env
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True
    )


def test_production_settings_pass_the_deploy_checks_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_strict():
    script = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
        " s.MAILERS['default']['BACKEND'], s.NUM_PROXIES, s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE)"
    )
    result = manage("shell", "--no-imports", "-c", script, SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False", "True", "True", "True", "31536000", "True", "True",
        "django.core.mail.backends.smtp.EmailBackend",
        "0",  # X-Forwarded-For is read only when the proxies in front are counted (NUM_PROXIES)
        "True", "Lax",
    ]  # fmt: skip


def test_mail_goes_through_the_smtp_server_the_environment_names():
    script = (
        "from django.core import mail; m = mail.mailers.default;"
        "print(m.host, m.port, m.username, m.password, m.use_tls, m.timeout)"
    )
    result = manage(
        "shell", "--no-imports", "-c", script,
        SECRET_KEY=secrets.token_urlsafe(50), EMAIL_HOST="smtp.example.org", EMAIL_PORT="2525",
        EMAIL_HOST_USER="lienzo", EMAIL_HOST_PASSWORD="s3cret", EMAIL_USE_TLS="1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["smtp.example.org", "2525", "lienzo", "s3cret", "True", "10"]


def test_development_prints_mail_and_the_environment_can_choose_another_backend():
    script = "from django.conf import settings as s; print(s.MAILERS['default'])"
    development = manage("shell", "--no-imports", "-c", script, DEBUG="1")
    assert development.stdout.strip() == "{'BACKEND': 'django.core.mail.backends.console.EmailBackend'}"
    chosen = manage(
        "shell", "--no-imports", "-c", script,
        SECRET_KEY=secrets.token_urlsafe(50), EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    )  # fmt: skip
    assert chosen.stdout.strip() == "{'BACKEND': 'django.core.mail.backends.filebased.EmailBackend'}"


def test_it_refuses_to_start_without_a_secret_key():
    for env in ({}, {"SECRET_KEY": ""}, {"DEBUG": "0"}):
        result = manage("check", **env)
        assert result.returncode != 0
        assert "ImproperlyConfigured: Set the SECRET_KEY environment variable" in result.stderr


def test_a_short_secret_key_fails_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "security.W009" in result.stderr
