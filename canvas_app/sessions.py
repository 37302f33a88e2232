"""Django's database sessions, refusing any key that is not one it makes.

A session key is 32 lowercase letters and digits. Anything else in the cookie (a NUL byte,
say, which PostgreSQL refuses in a query) is no session, never an error."""

from __future__ import annotations

import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

_KEY = re.compile(r"[a-z0-9]{32}")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key) -> bool:
        return isinstance(key, str) and _KEY.fullmatch(key) is not None
