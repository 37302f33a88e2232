"""The segment report PDF: read back with poppler (pdftotext, pdfinfo) as a reader would."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from canvas_app.models import Canvas, Colour, Membership, Role
from segments.models import PrioritySettings, Segment
from segments.prioritisation.report import prints_in_svg
from canvas_app.templatetags.text_direction import direction
from tests.markup import element, find_all
from tests.segments.factories import (
    make_criterion,
    make_persona,
    make_profile_item,
    make_segment,
    make_value_item,
    score_all,
)
from tests.tasks import fetch_pdf, run_tasks


# Reading a PDF ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pdf:
    pages: list[str]  # each page's text, whitespace folded to single spaces
    width: float  # points
    height: float

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    def page_with(self, text: str) -> str:
        return next(page for page in self.pages if text in page)


def read_pdf(content: bytes, tmp_path: Path) -> Pdf:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    pages = [" ".join(page.split()) for page in raw.split("\f")]
    if pages and not pages[-1]:
        pages.pop()  # the form feed after the last page
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) == len(pages)
    return Pdf(pages, round(float(width)), round(float(height)))


def sections(pdf: Pdf) -> list[str]:
    """Each segment's section, from its kicker ("RANK 2", "NOT RANKED YET") to the next one's:
    sections follow each other on the pages, a new one does not force a new page."""
    text = pdf.text
    starts = [match.start() for match in re.finditer(r"RANK \d+ |NOT RANKED YET", text)]
    return [text[start:end] for start, end in zip(starts, starts[1:] + [len(text)])]


def page_fill(content: bytes, tmp_path: Path) -> list[float]:
    """How far down each page the text reaches, from the top margin (0) to the footer (1)."""
    path = tmp_path / "fill.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True).stdout
    mm = 72 / 25.4
    fills = []
    for height, body in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.S):
        top, bottom = 18 * mm, float(height) - 20 * mm  # the page margins of report.css
        lowest = [float(y) for y in re.findall(r'yMax="([\d.]+)"', body) if float(y) < bottom]  # not the footer
        fills.append((max(lowest) - top) / (bottom - top) if lowest else 0.0)
    return fills


# The world ----------------------------------------------------------------------------------


@dataclass
class Team:
    canvas: Canvas
    baristas: object  # ranked first
    cafes: object  # ranked second, with HTML in its name
    offices: object  # not scored


@pytest.fixture
def team(owner, editor, viewer) -> Team:
    """An English canvas whose segments rank in another order than the board's."""
    canvas = Canvas.create_for(owner, title="Tostadores Boreal", language="en")
    Membership.objects.create(canvas=canvas, user=editor, role=Role.EDITOR)
    Membership.objects.create(canvas=canvas, user=viewer, role=Role.VIEWER)
    size = make_criterion(canvas, "Size", weight=2, axis="attractiveness")
    reach = make_criterion(canvas, "Reach", weight=1, axis="ability")
    cafes = make_segment(
        canvas, "<b>Cafés</b> & co", Colour.ORANGE, description="<script>alert('x')</script> & more", estimated_size=40
    )
    baristas = make_segment(canvas, "Home baristas", Colour.PURPLE, description="People who brew at home every morning.")
    offices = make_segment(canvas, "Small offices", Colour.BLUE)
    make_persona(baristas, "Lucía Pérez", occupation="Product designer", age=31)
    make_persona(baristas, "Tomás Ruiz")
    make_persona(cafes, "<i>Ana</i>")
    make_profile_item(baristas, "pain", "Stale supermarket coffee", importance=3)
    make_profile_item(baristas, "pain", "Forgetting to reorder", importance=1)
    gain = make_profile_item(baristas, "gain", "Discover new origins", importance=2)
    make_value_item(baristas, "creator", "A new origin every month", addresses=[gain])
    score_all(baristas, [size, reach], owner, [5, 4])
    score_all(baristas, [size, reach], editor, [4, 4])
    score_all(cafes, [size, reach], owner, [1, 5])
    score_all(cafes, [size, reach], editor, [5, 2])
    score_all(baristas, [size, reach], viewer, [1, 1])  # a viewer's scores do not count
    return Team(canvas, baristas, cafes, offices)


def report_url(canvas: Canvas) -> str:
    return reverse("prioritisation:report", args=[canvas.pk])


@pytest.fixture
def download(client, tmp_path):
    def download(canvas: Canvas, user, size: str | None = None) -> Pdf:
        client.force_login(user)
        return read_pdf(fetch_pdf(client, report_url(canvas), size).content, tmp_path)

    return download


# The file -------------------------------------------------------------------------------------


def test_it_is_an_a4_portrait_attachment_named_after_the_canvas_and_the_day(client, team, owner, tmp_path):
    client.force_login(owner)
    response = fetch_pdf(client, report_url(team.canvas))
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="tostadores-boreal-segments-{today}.pdf"'
    pdf = read_pdf(response.content, tmp_path)
    assert (pdf.width, pdf.height) == (595, 842)


def test_the_file_name_drops_accents_and_survives_a_title_with_no_latin_letters(client, owner):
    client.force_login(owner)
    today = timezone.localdate().isoformat()
    accented = Canvas.create_for(owner, title="Café & Té: ¡suscripción!", language="es")
    response = fetch_pdf(client, report_url(accented))
    assert response["Content-Disposition"] == f'attachment; filename="cafe-te-suscripcion-segments-{today}.pdf"'
    chinese = Canvas.create_for(owner, title="咖啡订阅", language="en")
    response = fetch_pdf(client, report_url(chinese))
    assert response["Content-Disposition"] == f'attachment; filename="canvas-segments-{today}.pdf"'


def test_letter_on_request(download, team, owner):
    pdf = download(team.canvas, owner, "letter")
    assert (pdf.width, pdf.height) == (612, 792)


@pytest.mark.parametrize("size", ["A4", "LETTER", "a3", "", "letter;", "<b>"])
def test_any_other_size_is_a4(download, team, owner, size):
    pdf = download(team.canvas, owner, size)
    expected = (612, 792) if size == "LETTER" else (595, 842)  # the size is read case-blind
    assert (pdf.width, pdf.height) == expected


def test_every_page_has_a_footer_with_the_title_and_the_page_number(download, team, owner):
    pdf = download(team.canvas, owner)
    count = len(pdf.pages)
    for number, page in enumerate(pdf.pages, start=1):
        assert page.endswith(f"Tostadores Boreal {number} / {count}")


# What it says ---------------------------------------------------------------------------------


def test_a_cover_the_matrix_and_a_section_per_segment_in_priority_order(download, team, owner):
    pdf = download(team.canvas, owner)
    assert pdf.pages[0].startswith("SEGMENT REPORT Tostadores Boreal")
    starts = sections(pdf)
    assert pdf.text.index("Ranking") < pdf.text.index("Matrix") < pdf.text.index(starts[0])
    assert [section.split(" ")[:2] for section in starts] == [["RANK", "1"], ["RANK", "2"], ["NOT", "RANKED"]]
    assert "Home baristas" in starts[0]
    assert "<b>Cafés</b> & co" in starts[1]
    assert "Small offices" in starts[2]


def test_the_cover_shows_the_ranking_in_order(download, team, owner):
    cover = download(team.canvas, owner).pages[0]
    names = ["Home baristas", "<b>Cafés</b> & co", "Small offices"]
    assert [cover.index(name) for name in names] == sorted(cover.index(name) for name in names)
    # Each name after its segment's letter (A, B, C in the order they were made).
    letters = dict(Segment.objects.filter(note__canvas=team.canvas).values_list("note__text", "letter"))
    assert f"1 {letters['Home baristas']} Home baristas 4.33" in cover
    assert f"2 {letters['<b>Cafés</b> & co']} <b>Cafés</b> & co 3.17" in cover
    assert f"– {letters['Small offices']} Small offices not scored yet" in cover


def test_the_cover_names_the_primary_segment(download, team, owner):
    settings_ = PrioritySettings.for_canvas(team.canvas)
    settings_.primary_segment = team.cafes
    settings_.save()
    cover = download(team.canvas, owner).pages[0]
    assert "Primary segment: <b>Cafés</b> & co." in cover


def test_a_section_describes_the_segment_its_personas_and_its_fit(download, team, owner):
    section = sections(download(team.canvas, owner))[0]
    assert "Home baristas" in section
    assert "People who brew at home every morning." in section
    assert "Lucía Pérez Product designer · 31 years old" in section
    assert "Tomás Ruiz" in section
    # Pains 3 + 1 and a gain of 2, the gain addressed: 2 of 6.
    assert "33% The value map addresses 2 of 6 importance points" in section
    assert "Stale supermarket coffee Pain 3 of 3" in section
    assert "Forgetting to reorder Pain 1 of 3" in section
    assert "Discover new origins" not in section  # addressed: not a gap


def test_a_section_shows_each_reviewers_scores_with_the_mean_and_the_spread(download, team, owner):
    section = sections(download(team.canvas, owner))[1]
    table = section[section.index("Reviewer Size") :]
    assert "eduardo 5 2 olga 1 5 Mean 3.0 3.5 Spread ⚠ 4 ⚠ 3" in table
    first = sections(download(team.canvas, owner))[0]
    assert "eduardo 4 4 olga 5 4 Mean 4.5 4.0 Spread 1 0" in first


def test_a_viewers_scores_are_left_out_as_on_the_ranking(download, team, owner):
    pdf = download(team.canvas, owner)
    assert "vera" not in " ".join(sections(pdf))


def test_an_unscored_segment_says_so(download, team, owner):
    section = sections(download(team.canvas, owner))[2]
    assert "Nobody has scored this segment yet." in section
    assert "No personas yet." in section
    assert "Not measured yet" in section


def test_html_in_segments_and_personas_prints_as_written(download, team, owner):
    pdf = download(team.canvas, owner)
    section = sections(pdf)[1]
    assert "<b>Cafés</b> & co" in pdf.pages[0]
    assert "<b>Cafés</b> & co" in section
    assert "<script>alert('x')</script> & more" in section
    assert "<i>Ana</i>" in section


def test_text_in_other_scripts_prints(download, owner):
    canvas = Canvas.create_for(owner, title="咖啡订阅 Ελληνικά", language="en")
    make_segment(canvas, "上班族 · Служащие")
    make_segment(canvas, "חובבי קפה")
    pdf = download(canvas, owner)
    assert "咖啡订阅 Ελληνικά" in pdf.pages[0]
    assert "上班族 · Служащие" in pdf.pages[0]
    # pdftotext gives right-to-left words one by one, in the order they are drawn.
    words = pdf.pages[0].translate({ord(mark): None for mark in "\u202a\u202b\u202c"}).split()
    assert {"חובבי", "קפה"} <= set(words)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cafés", "ltr"),
        ("مقهى الحي", "rtl"),
        ("חובבי קפה", "rtl"),
        ("25 חובבי", "rtl"),  # digits are weak: the first strong character decides
        ("«Cafés» مقهى", "ltr"),
        ("咖啡", "ltr"),
        ("123 – !", "ltr"),  # no strong character
        ("", "ltr"),
        (None, "ltr"),
    ],
)
def test_user_text_gets_the_direction_of_its_first_strong_character(text, expected):
    # WeasyPrint ignores dir="auto", so the template resolves it with this filter.
    assert direction(text) == expected


@pytest.mark.parametrize(
    ("label", "prints"),
    [
        ("1. Home baristas", True),
        ("2. Cafés & co", True),
        ("3. 上班族 · Служащие · Ελληνικά", True),
        ("1. חובבי קפה", False),  # right to left
        ("1. مقهى الحي", False),  # right to left, letters joined
        ("1. कॉफ़ी प्रेमी", False),  # vowel signs and conjuncts
        ("1. Cafe\u0301", False),  # a combining accent
    ],
)
def test_matrix_labels_weasyprint_would_garble_keep_only_the_rank(label, prints):
    # WeasyPrint draws SVG text letter by letter, left to right; the table after the chart names them.
    assert prints_in_svg(label) is prints


def test_the_report_is_in_the_canvas_language_whatever_the_readers(client, canvas, viewer, tmp_path):
    """The `canvas` fixture is Spanish; the viewer reads the site in English."""
    make_segment(canvas, "Oficinas pequeñas")
    client.force_login(viewer)
    response = fetch_pdf(client, report_url(canvas), headers={"accept-language": "en"})
    cover = read_pdf(response.content, tmp_path).pages[0]
    today = timezone.localdate()
    with translation.override("es"):
        spanish = formats.date_format(today, "DATE_FORMAT")
    with translation.override("en"):
        english = formats.date_format(today, "DATE_FORMAT")
    assert spanish != english
    assert spanish in cover
    assert english not in cover


def test_a_canvas_without_segments_prints_a_cover_only(download, owner):
    canvas = Canvas.create_for(owner, title="Empty", language="en")
    pdf = download(canvas, owner)
    assert len(pdf.pages) == 1
    assert "No segments yet" in pdf.pages[0]


def test_the_queries_do_not_grow_with_the_segments(client, owner, editor):
    def count(segments: int) -> int:
        canvas = Canvas.create_for(owner, title=f"{segments} segments", language="en")
        Membership.objects.create(canvas=canvas, user=editor, role=Role.EDITOR)
        criteria = [make_criterion(canvas, "Size"), make_criterion(canvas, "Reach", axis="ability")]
        for index in range(segments):
            segment = make_segment(canvas, f"Segment {index}")
            make_persona(segment, f"Persona {index}")
            make_profile_item(segment, "pain", f"Pain {index}")
            score_all(segment, criteria, owner, [3, 4])
            score_all(segment, criteria, editor, [2, 5])
        assert client.post(report_url(canvas)).status_code == 303
        with CaptureQueriesContext(connection) as queries:  # what the worker does to make it
            assert run_tasks() == 1
        return len(queries)

    client.force_login(owner)
    assert count(1) == count(6)


# Who may have it --------------------------------------------------------------------------------


def test_viewers_may_download_it(download, team, viewer):
    assert "Home baristas" in download(team.canvas, viewer).text


def test_outsiders_get_a_404(client, team, outsider):
    client.force_login(outsider)
    assert client.get(report_url(team.canvas)).status_code == 404
    assert client.post(report_url(team.canvas)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, team):
    url = report_url(team.canvas)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == redirect_to_login(url).url


def test_it_offers_the_paper_on_get_and_is_asked_for_with_post_only(client, team, owner):
    client.force_login(owner)
    page = client.get(report_url(team.canvas))
    assert [o.attrs["value"] for o in element(page.content, "pdf-size").find_all("option")] == ["a4", "letter"]
    assert client.put(report_url(team.canvas)).status_code == 405
    assert client.delete(report_url(team.canvas)).status_code == 405


def test_the_ranking_page_links_to_the_report_for_viewers_too(client, team, viewer):
    client.force_login(viewer)
    response = client.get(reverse("prioritisation:ranking", args=[team.canvas.pk]))
    form = [f for f in find_all(response.content, "form") if f.attrs.get("action") == report_url(team.canvas)]
    assert len(form) == 1 and form[0].attrs["method"] == "post"
    assert "Download segment report (PDF)" in response.content.decode()


def test_deleted_personas_and_fit_items_are_left_out(owner, editor):
    from datetime import date

    from segments.prioritisation.ranking import team_ranking
    from segments.prioritisation.report import report_html
    from tests.conftest import make_canvas

    canvas = make_canvas(owner, "Tostadores Boreal")  # in English
    segment = make_segment(canvas, "Cafeterías")
    make_persona(segment, "Ana Presente")
    make_persona(segment, "Bruno Borrado").delete_softly(by=editor)
    pain = make_profile_item(segment, "pain", "Rancio", 3)
    make_profile_item(segment, "pain", "Caro y borrado", 1).delete_softly(by=editor)
    make_value_item(segment, "reliever", "Tueste", addresses=[pain])
    make_value_item(segment, "creator", "Creador borrado", addresses=[]).delete_softly(by=editor)
    html = report_html(team_ranking(canvas, PrioritySettings.for_canvas(canvas)), size=None, today=date(2026, 3, 2))
    assert "Ana Presente" in html and "Bruno Borrado" not in html
    assert "Caro y borrado" not in html and "Creador borrado" not in html
    assert "addresses 3 of 3 importance points" in " ".join(html.split())


# How it fills the pages ----------------------------------------------------------------------


def demo_canvas(language: str) -> Canvas:
    from django.core.management import call_command

    call_command("load_demo")
    return Canvas.objects.get(language=language)


@pytest.mark.parametrize(("language", "size"), [("es", "a4"), ("es", "letter"), ("en", "a4")])
def test_no_page_but_the_last_is_mostly_blank(db, client, tmp_path, language, size):
    """Sections follow each other and small units move whole: a segment's scores follow it
    when they fit, and no page is left more than half empty before the last."""
    canvas = demo_canvas(language)
    client.force_login(canvas.created_by)
    fills = page_fill(fetch_pdf(client, report_url(canvas), size).content, tmp_path)
    assert len(fills) >= 3
    assert all(fill >= 0.5 for fill in fills[:-1]), [round(fill, 2) for fill in fills]


def test_a_short_segment_shares_its_page_with_the_next(download, team, owner):
    pdf = download(team.canvas, owner)
    first, second = (next(i for i, page in enumerate(pdf.pages) if kicker in page) for kicker in ("RANK 1 ", "RANK 2 "))
    assert second - first <= 1
    scores = next(i for i, page in enumerate(pdf.pages) if "eduardo 4 4 olga 5 4" in page)
    assert scores in (first, first + 1) and scores <= second


@pytest.mark.parametrize("language", ["es", "en"])
def test_numbers_follow_the_canvas_language(db, client, tmp_path, language):
    canvas = demo_canvas(language)
    client.force_login(canvas.created_by)
    text = read_pdf(fetch_pdf(client, report_url(canvas)).content, tmp_path).text
    decimal, group = {"es": (",", "."), "en": (".", ",")}[language]
    assert re.search(rf"\b[1-5]{re.escape(decimal)}\d{{1,2}}\b", text)  # scores
    assert re.search(rf"\b\d{{1,3}}{re.escape(group)}\d{{3}}\b", text)  # sizes and money
    assert not re.findall(rf"\b\d{re.escape(group)}\d{{1,2}}\b", text)  # no decimal in the other language's mark
    assert [n for n in re.findall(r"\b\d{4,}\b", text) if not 1990 <= int(n) <= 2100] == []  # only years run long
