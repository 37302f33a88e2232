"""The canvas PDF: page sizes, every character of every note, scripts, escaping, access."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation

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
    assert squeeze("<b>negrita</b> & <script>alert(1)</script>") in squeeze(text)


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


# The sheet as a poster: one note size, scaled to the paper and the fullest block ---------------


def demo(language: str = "es"):
    from django.core.management import call_command

    from canvas_app.models import Canvas

    call_command("load_demo")
    return Canvas.objects.get(language=language)


def laid_out(canvas, size: str):
    """The canvas PDF as WeasyPrint lays it out (its layout API: pages of boxes, in CSS px)."""
    from weasyprint import CSS, HTML

    from canvas_app.pdf import PAGE_SIZES, STYLESHEETS, canvas_html, static_path

    html = canvas_html(canvas, page=PAGE_SIZES[size], exported_at=timezone.now())
    return HTML(string=html, base_url=".").render(stylesheets=[CSS(filename=static_path(p)) for p in STYLESHEETS])


def elements(page, css_class: str, tag: str | None = None) -> list:
    """The boxes of the page's elements with `css_class` (not their lines or text)."""
    from weasyprint.formatting_structure.boxes import InlineBox, LineBox, TextBox

    def walk(box):
        yield box
        for child in getattr(box, "children", ()):
            yield from walk(child)

    return [
        box
        for box in walk(page._page_box)
        if not isinstance(box, (LineBox, TextBox, InlineBox))
        and box.element is not None
        and css_class in (box.element.get("class") or "").split()
        and (tag is None or box.element_tag == tag)
    ]


def bottom(box) -> float:
    return box.position_y + box.margin_height()


def pt(box) -> float:
    return round(box.style["font_size"] * 72 / 96, 2)


@pytest.mark.parametrize("size", ["a3", "a4", "letter"])
def test_the_demo_canvas_prints_every_note_on_one_sheet(db, client, tmp_path, size):
    canvas = demo()
    client.force_login(canvas.created_by)
    content = pdf_of(client, canvas, size)
    assert pdfinfo(content, tmp_path)["Pages"].strip() == "1"
    assert_every_note_present(canvas, pdftotext(content, tmp_path))


@pytest.mark.parametrize("language", ["es", "en"])
def test_one_note_size_for_the_whole_page_and_it_grows_with_the_paper(db, language):
    canvas = demo(language)
    sizes = {}
    for size in ("a3", "a4", "letter"):
        page = laid_out(canvas, size).pages[0]
        notes = elements(page, "note", "li")
        assert len(notes) == canvas.notes.count()
        assert len({pt(note) for note in notes}) == 1, f"{size}: notes in several sizes"
        sizes[size] = pt(notes[0])
    # Readable from a step away on A3, where the text is larger about as the sheet is (1.41).
    assert sizes["a3"] >= 12
    assert sizes["a3"] / sizes["a4"] >= 1.25
    assert sizes["letter"] == pytest.approx(sizes["a4"], abs=1.5)


def test_one_note_size_even_when_one_block_is_much_fuller(canvas):
    make_notes(canvas, 14, block=Block.CHANNELS)
    for block in (Block.KEY_PARTNERS, Block.COST_STRUCTURE, Block.REVENUE_STREAMS):
        canvas.add_note(block=block, text="Una sola nota")
    page = laid_out(canvas, "a4").pages[0]
    assert len({pt(note) for note in elements(page, "note", "li")}) == 1


@pytest.mark.parametrize("size", ["a3", "a4", "letter"])
def test_the_fullest_block_is_nearly_full_and_no_block_overflows(db, size):
    """The note size is the largest at which the fullest block still holds its notes."""
    page = laid_out(demo(), size).pages[0]
    filled = {}
    for block in elements(page, "block", "section"):
        [notes] = elements_within(block, "notes")
        room = block.content_box_y() + block.height - notes.position_y
        assert bottom(notes) <= block.content_box_y() + block.height + 0.5, block.element.get("class")
        filled[block.element.get("class")] = notes.margin_height() / room
    assert max(filled.values()) >= 0.85, filled


def elements_within(box, css_class: str) -> list:
    found = []
    for child in getattr(box, "children", ()):
        if child.element is not None and css_class in (child.element.get("class") or "").split():
            found.append(child)
        else:
            found.extend(elements_within(child, css_class))
    return found


def test_a_block_continues_only_when_full_at_the_smallest_size(canvas, tmp_path, client, viewer):
    """The most notes Key Partners holds at the smallest size print on one page; one more
    moves the block onto a page of its own."""
    from canvas_app.models import Note
    from canvas_app.pdf import PAGE_SIZES
    from canvas_app.print_layout import MIN_NOTE_SIZE, plan_page

    text = "Cooperativa cafetera del sur con entrega semanal y pago justo"

    def plan(count: int):
        notes = {Block.KEY_PARTNERS.value: [Note(block=Block.KEY_PARTNERS, text=f"{text} {i}") for i in range(count)]}
        return plan_page(notes, [], PAGE_SIZES["a4"])

    most = next(count for count in range(1, 200) if plan(count + 1).blocks[0].continues)
    assert plan(most).note_size == MIN_NOTE_SIZE  # full only at the smallest size...
    assert plan(most - 12).note_size > MIN_NOTE_SIZE  # ...before which it grows
    for index in range(most):
        canvas.add_note(block=Block.KEY_PARTNERS, text=f"{text} {index}")
    client.force_login(viewer)
    content = pdf_of(client, canvas, "a4")
    assert pdfinfo(content, tmp_path)["Pages"].strip() == "1"
    assert_every_note_present(canvas, pdftotext(content, tmp_path))
    page = laid_out(canvas, "a4").pages[0]
    [partners] = [b for b in elements(page, "block", "section") if "block--key_partners" in b.element.get("class")]
    [notes] = elements_within(partners, "notes")
    assert bottom(notes) <= partners.content_box_y() + partners.height + 0.5
    canvas.add_note(block=Block.KEY_PARTNERS, text=f"{text} {most}")
    content = pdf_of(client, canvas, "a4")
    assert pdfinfo(content, tmp_path)["Pages"].strip() == "2"
    assert_every_note_present(canvas, pdftotext(content, tmp_path))


# The legend of segments stays in the header --------------------------------------------------


def word_boxes(content: bytes, tmp_path: Path) -> list[tuple[str, float, float, float, float]]:
    """Every word of the first page with its box (x1, y1, x2, y2 in points, y downwards)."""
    path = tmp_path / "words.pdf"
    path.write_bytes(content)
    command = ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    found = re.findall(pattern, out)
    return [(html.unescape(w), float(x1), float(y1), float(x2), float(y2)) for x1, y1, x2, y2, w in found]


LONG_SEGMENT_NAMES = [
    "Aficionados al café en casa", "Oficinas pequeñas de 10 a 50 personas", "Cafeterías de barrio sin tostador",
    "Hoteles boutique del centro", "Restaurantes con menú degustación", "Tiendas gourmet y delicatessen",
    "Regalos de empresa en Navidad", "Estudiantes de hostelería", "Baristas profesionales", "Clubes de lectura",
    "Coworkings con cocina compartida", "Familias que desayunan juntas",
]  # fmt: skip


@pytest.mark.parametrize("size", ["a3", "a4", "letter"])
@pytest.mark.parametrize("segments", [3, 12])
def test_the_legend_never_crosses_the_frame_or_a_block_title(canvas, client, viewer, tmp_path, size, segments):
    from tests.segments.factories import make_segment

    for name in LONG_SEGMENT_NAMES[:segments]:
        make_segment(canvas, name)
    # The layout: the legend's box ends above the board's, and holds all its entries.
    page = laid_out(canvas, size).pages[0]
    [legend] = elements(page, "legend", "ul")
    [board] = elements(page, "board", "main")
    assert bottom(legend) <= board.position_y
    lines = legend.children  # the entries wrap as words do
    assert lines, "an empty legend"
    for line in lines:
        assert line.position_y + line.height <= legend.content_box_y() + legend.height + 0.5  # none cut off
    # The PDF: every legend word lies above every block title, and crosses none.
    client.force_login(viewer)
    words = word_boxes(pdf_of(client, canvas, size), tmp_path)
    with translation.override(canvas.language):
        title_words = {word for block in Block for word in str(block.label).upper().split() if len(word) > 2}
    titles = [w for w in words if w[0] in title_words]
    assert len(titles) >= 9
    frame_top = min(w[2] for w in titles) - 1.6 * 72 / 25.4  # the block's padding above its title
    for name in LONG_SEGMENT_NAMES[:segments]:
        first = min((w for w in words if w[0] == name.split()[0]), key=lambda w: w[2])  # the legend's, highest
        assert first[4] <= frame_top, f"{name!r} in the legend reaches into the board on {size}"
        for title in titles:
            assert first[3] <= title[1] or title[3] <= first[1] or first[4] <= title[2], f"{name!r} crosses {title[0]}"


def test_digits_are_not_set_in_the_emoji_font(canvas, client, viewer, tmp_path):
    """Named in the font list, the emoji font would draw digits (they have emoji forms) as wide,
    empty keycap bases: "1 5 kg"."""
    canvas.add_note(block=Block.KEY_RESOURCES, text="Tostadora de 15 kg y 2026 sacos")
    client.force_login(viewer)
    content = pdf_of(client, canvas, "a4")
    (tmp_path / "d.pdf").write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "d.pdf")], check=True, capture_output=True, text=True).stdout
    assert "Noto-Color-Emoji" not in fonts
    assert "Tostadora de 15 kg y 2026 sacos" in " ".join(pdftotext(content, tmp_path).split())
