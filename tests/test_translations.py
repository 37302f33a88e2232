"""Spanish is complete: every string in the code has a translation, and the compiled
catalogue the app loads is the one in the .po files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
CATALOGUES = sorted((BASE / "locale" / "es" / "LC_MESSAGES").glob("*.po"))
SOURCES = ["accounts", "canvas_app", "segments", "customers", "config", "templates", "static/js", "manage.py"]


def entries(catalogue) -> dict[tuple[str | None, str], object]:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in catalogue
        if not entry.obsolete and entry.msgid
    }


def test_there_is_a_spanish_catalogue():
    assert "django.po" in [po.name for po in CATALOGUES]


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.name)
def test_every_string_is_translated_and_none_is_fuzzy(po_path):
    catalogue = polib.pofile(str(po_path))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.name)
def test_the_compiled_catalogue_matches_the_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.name} missing: run `make messages`"
    compiled = {key: value for key, value in entries(polib.mofile(str(mo_path))).items()}
    source = {key: value for key, value in entries(polib.pofile(str(po_path))).items()}
    assert compiled == source, "the .mo is stale: run `make messages`"


def test_no_string_in_the_code_is_missing_from_the_catalogues(tmp_path):
    """Extract the strings from a copy of the sources and compare with the catalogues."""
    assert shutil.which("xgettext"), "gettext is needed (scripts/system-deps installs it)"
    for source in SOURCES:
        path = BASE / source
        if path.is_dir():
            shutil.copytree(path, tmp_path / source, ignore=shutil.ignore_patterns("__pycache__", "vendor"))
        else:
            shutil.copy(path, tmp_path / source)
    (tmp_path / "locale" / "es" / "LC_MESSAGES").mkdir(parents=True)
    for domain in ("django", "djangojs"):
        subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "--locale", "es", "--domain", domain, "--no-location"],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            env={"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x", "PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )
        extracted_path = tmp_path / "locale" / "es" / "LC_MESSAGES" / f"{domain}.po"
        committed_path = BASE / "locale" / "es" / "LC_MESSAGES" / f"{domain}.po"
        extracted = set(entries(polib.pofile(str(extracted_path)))) if extracted_path.exists() else set()
        committed = set(entries(polib.pofile(str(committed_path)))) if committed_path.exists() else set()
        assert sorted(extracted - committed, key=str) == [], f"untranslated strings in {domain}: run `make messages`"
