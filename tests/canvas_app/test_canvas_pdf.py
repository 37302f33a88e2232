"""The canvas PDF: page sizes, every character of every note, scripts, escaping, access."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from canvas_app.models import Block, Colour, Note
from canvas_app.pdf import ATTRIBUTION
from tests.conftest import make_notes
from tests.tasks import fetch_pdf

# Page sizes in points, landscape.
SIZES = {"a3": (1190.55, 841.89), "a4": (841.89, 595.28), "letter": (792.0, 612.0)}


def pdf_of(client, canvas, size: str | None = None) -> bytes:
    return fetch_pdf(client, reverse("canvas_app:canvas_pdf", args=[canvas.pk]), size).content


def pdftotext(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "canvas.pdf"
    path.write_bytes(content)
    # -raw keeps the order the text was drawn in: each note's text stays together.
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdfinfo(content: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def squeeze(text: str) -> str:
    """Without white space: line breaks inside a note depend on the layout, not the text."""
    return re.sub(r"\s+", "", text)


def page_size(info: dict[str, str]) -> tuple[float, float]:
    width, height = re.findall(r"[\d.]+", info["Page size"])[:2]
    return float(width), float(height)


def assert_every_note_present(canvas, text: str) -> None:
    printed = squeeze(text)
    missing = [n.text for n in canvas.notes.all() if squeeze(n.text) not in printed]
    assert missing == []


@pytest.fixture
def logged_in(client, viewer):
    client.force_login(viewer)  # viewers may export
    return client


@pytest.mark.parametrize("size", ["a3", "a4", "letter"])
def test_each_page_size_is_landscape_and_holds_the_canvas(logged_in, canvas, tmp_path, size):
    make_notes(canvas, 18)
    content = pdf_of(logged_in, canvas, size)
    info = pdfinfo(content, tmp_path)
    assert page_size(info) == pytest.approx(SIZES[size], abs=0.5)
    assert info["Pages"].strip() == "1"
    text = pdftotext(content, tmp_path)
    assert_every_note_present(canvas, text)
    assert ATTRIBUTION in text
    assert "Tostadores Aurora" in text


def test_a3_is_the_default_and_an_unknown_size_falls_back_to_it(logged_in, canvas, tmp_path):
    assert page_size(pdfinfo(pdf_of(logged_in, canvas), tmp_path)) == pytest.approx(SIZES["a3"], abs=0.5)
    assert page_size(pdfinfo(pdf_of(logged_in, canvas, "tabloid"), tmp_path)) == pytest.approx(SIZES["a3"], abs=0.5)


def test_the_file_name_carries_the_title_and_the_date(logged_in, canvas):
    response = fetch_pdf(logged_in, reverse("canvas_app:canvas_pdf", args=[canvas.pk]))
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="tostadores-aurora-{today}.pdf"'


def test_block_titles_are_in_the_canvas_language(logged_in, canvas, tmp_path):
    text = pdftotext(pdf_of(logged_in, canvas), tmp_path)  # the fixture canvas is Spanish
    assert "SEGMENTOS DE CLIENTES" in text.upper()
    assert "Customer Segments".upper() not in text.upper()


def test_300_notes_all_print(logged_in, canvas, tmp_path):
    make_notes(canvas, 300)
    content = pdf_of(logged_in, canvas)
    text = pdftotext(content, tmp_path)
    assert_every_note_present(canvas, text)
    assert ATTRIBUTION in text


def test_40_long_notes_in_one_block_continue_on_extra_pages(logged_in, canvas, tmp_path):
    for index in range(40):
        canvas.add_note(block=Block.KEY_PARTNERS, text=f"Socio {index:02d} " + "palabra " * 61 + "fin")
    assert all(len(n.text) <= 500 for n in canvas.notes.all())
    content = pdf_of(logged_in, canvas)
    text = pdftotext(content, tmp_path)
    assert int(pdfinfo(content, tmp_path)["Pages"]) > 1
    assert_every_note_present(canvas, text)
    assert "more notes: the whole block is on page" in text or "notas más" in text


def test_a_500_character_word_prints_whole(logged_in, canvas, tmp_path):
    word = ("Supercalifragilístico" * 30)[:500]
    canvas.add_note(block=Block.VALUE_PROPOSITIONS, text=word)
    text = pdftotext(pdf_of(logged_in, canvas), tmp_path)
    assert word in squeeze(text)


def test_any_script_prints(logged_in, canvas, tmp_path):
    samples = [
        "Ñandú acción pingüino",
        "Ελληνικά γράμματα",
        "Кириллица работает",
        "مرحبا بالعالم",
        "שלום עולם",
        "日本語の付箋",
    ]
    for sample in samples:
        canvas.add_note(block=Block.CHANNELS, text=sample)
    text = squeeze(pdftotext(pdf_of(logged_in, canvas), tmp_path))
    for sample in samples[:3] + samples[5:]:
        assert squeeze(sample) in text
    # Right-to-left text comes out of pdftotext in visual or logical order depending on the
    # viewer; every word must be there either way.
    for sample in samples[3:5]:
        for word in sample.split():
            assert word in text or word[::-1] in text


def test_emoji_print_in_the_emoji_font(logged_in, canvas, tmp_path):
    """Not as empty boxes: the PDF embeds the colour emoji font and uses it."""
    canvas.add_note(block=Block.VALUE_PROPOSITIONS, text="Cruasanes 🥐 y café ☕ cada mañana")
    content = pdf_of(logged_in, canvas)
    (tmp_path / "e.pdf").write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "e.pdf")], check=True, capture_output=True, text=True).stdout
    assert "Noto-Color-Emoji" in fonts
    assert "🥐" in pdftotext(content, tmp_path)


def test_note_html_is_printed_as_text(logged_in, canvas, tmp_path):
    canvas.add_note(block=Block.KEY_ACTIVITIES, text="<b>negrita</b> & <script>alert(1)</script>")
    text = pdftotext(pdf_of(logged_in, canvas), tmp_path)
    assert "<b>negrita</b> & <script>alert(1)</script>" in text


def test_segment_markers_and_relationship_types_print(logged_in, canvas, tmp_path):
    from tests.segments.factories import make_segment

    segment = make_segment(canvas, "Oficinas pequeñas")
    relationship = canvas.add_note(block=Block.CUSTOMER_RELATIONSHIPS, text="Soporte por chat")
    relationship.edit(text=relationship.text, colour=Colour.BLUE, relationship_type="self_service")
    segment.linked_notes.add(relationship)
    text = pdftotext(pdf_of(logged_in, canvas), tmp_path)
    assert "Oficinas pequeñas" in text  # in the block and in the legend
    assert "Autoservicio" in text or "Self-service" in text


def test_outsiders_get_a_404_and_anonymous_users_the_login(client, outsider, canvas):
    url = reverse("canvas_app:canvas_pdf", args=[canvas.pk])
    assert client.post(url).status_code == 302
    client.force_login(outsider)
    assert client.post(url).status_code == 404


def test_deleted_notes_do_not_print(logged_in, canvas, tmp_path):
    gone = canvas.add_note(block=Block.CHANNELS, text="Nota borrada")
    gone.delete_softly()
    assert "Nota borrada" not in pdftotext(pdf_of(logged_in, canvas), tmp_path)
    assert Note.all_objects.filter(pk=gone.pk).exists()


def test_the_board_offers_the_download_with_a_page_size(logged_in, canvas):
    from tests.markup import element

    board = logged_in.get(reverse("canvas_app:board", args=[canvas.pk])).content
    select = element(board, "pdf-size")
    assert [o.attrs["value"] for o in select.find_all("option")] == ["a3", "a4", "letter"]
    assert b'action="%s"' % reverse("canvas_app:canvas_pdf", args=[canvas.pk]).encode() in board


def test_notes_print_in_their_palette_colours(logged_in, canvas, tmp_path):
    """Rasterised, the page holds each note's colour as palette.css defines it."""
    from PIL import Image

    from segments.charts import PALETTE

    for colour in ("blue", "pink", "green"):
        canvas.add_note(block=Block.CHANNELS, text=f"Nota {colour}", colour=colour)
    (tmp_path / "c.pdf").write_bytes(pdf_of(logged_in, canvas, "a4"))
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(tmp_path / "c.pdf"), str(tmp_path / "c")], check=True)
    pixels = set(Image.open(tmp_path / "c.png").convert("RGB").get_flattened_data())
    css = PALETTE.read_text(encoding="utf-8")
    for colour in ("blue", "pink", "green"):
        hex_value = re.search(rf"--note-{colour}:\s*#([0-9a-f]{{6}})", css).group(1)
        rgb = tuple(int(hex_value[i : i + 2], 16) for i in (0, 2, 4))
        assert rgb in pixels, f"no {colour} note ({rgb}) on the page"
