"""How much room text takes in print, measured with the advance widths of the font the PDFs
set it in (DejaVu Sans), so that the canvas PDF can pick the largest note size that still
fits every block.

Line breaking follows what WeasyPrint does with `overflow-wrap: anywhere`: lines break at
spaces, and a word longer than a whole line is cut where the line ends. Kerning only ever
narrows DejaVu's text, so leaving it out errs on the side of one line too many."""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator

from fontTools.ttLib import TTFont

FAMILY = "DejaVu Sans"
#: Characters DejaVu lacks come from other fonts: the CJK ones set a square em, the emoji one
#: a little more.
FALLBACK_WIDE, FALLBACK_EMOJI, FALLBACK = 1.0, 1.3, 0.62


def _font_file(bold: bool) -> str | None:
    """The file Fontconfig uses for the family (None when it would substitute another)."""
    if not shutil.which("fc-match"):
        return None
    pattern = f"{FAMILY}:bold" if bold else FAMILY
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{family}\n%{file}", pattern], check=True, capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, _, path = found.partition("\n")
    return path if FAMILY in families.split(",") and path else None


@functools.cache
def _advances(bold: bool) -> dict[int, float]:
    """Each character's advance width in ems; empty when the font cannot be read."""
    path = _font_file(bold)
    if path is None:
        return {}
    try:
        font = TTFont(path, lazy=True)
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        widths = {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items() if glyph in metrics}
        font.close()
    except Exception:  # noqa: BLE001 - a damaged or odd font file: estimate instead
        return {}
    return widths


def char_width(char: str, *, bold: bool = False) -> float:
    """The width of one character in ems."""
    width = _advances(bold).get(ord(char))
    if width is not None:
        return width
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return FALLBACK_EMOJI if unicodedata.category(char) == "So" else FALLBACK_WIDE
    return FALLBACK


def text_width(text: str, *, bold: bool = False, letter_spacing: float = 0.0) -> float:
    """The width of `text` on one line, in ems."""
    return sum(char_width(char, bold=bold) + letter_spacing for char in text)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _pieces(paragraph: str) -> Iterator[tuple[str, bool]]:
    """The paragraph's unbreakable pieces, each with whether a space comes before it: the
    words, and within them each wide character (CJK, emoji), which lines may break around."""
    for word in paragraph.split():  # HTML collapses runs of white space
        spaced, current = True, ""
        for char in word:
            if _wide(char):
                if current:
                    yield current, spaced
                    spaced, current = False, ""
                yield char, spaced
                spaced = False
            else:
                current += char
        if current:
            yield current, spaced


def _paragraph_lines(paragraph: str, line: float, width: Callable[[str], float]) -> int:
    lines, used = 1, 0.0
    space = width(" ")
    for piece, spaced in _pieces(paragraph):
        piece_width = width(piece)
        step = (space if spaced else 0.0) + piece_width
        if used and used + step <= line:
            used += step
            continue
        if used:  # the piece starts a new line
            lines += 1
            used = 0.0
        if piece_width <= line:
            used = piece_width
            continue
        # Longer than a line: cut it where each line is full.
        for char in piece:
            char_w = width(char)
            if used and used + char_w > line:
                lines += 1
                used = 0.0
            used += char_w
    return lines


def _paragraphs(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def line_count(text: str, line_width: float, *, bold: bool = False, letter_spacing: float = 0.0) -> int:
    """How many lines `text` takes in a box `line_width` ems wide (each newline starts a
    paragraph)."""
    if line_width <= 0:
        raise ValueError("a line must have some width")

    def width(part: str) -> float:
        return text_width(part, bold=bold, letter_spacing=letter_spacing)

    return sum(_paragraph_lines(paragraph, line_width, width) for paragraph in _paragraphs(text))


def _taller_lines(paragraph: str) -> float:
    """How much taller, in ems, a line may grow when it holds a character from a fallback
    font: their ascents and descents differ from DejaVu's, and the line box takes the
    union (Noto Sans CJK's a fifth of an em, the emoji font's much less)."""
    advances = _advances(False)
    extra = 0.0
    for char in paragraph:
        if ord(char) in advances or unicodedata.category(char) in ("Mn", "Me", "Cf", "Zs"):
            continue
        extra = max(extra, 0.08 if unicodedata.category(char) == "So" else 0.25)
    return extra


def text_height(text: str, line_width: float, *, line_height: float) -> float:
    """The height in ems of `text` set in a box `line_width` ems wide with `line_height`."""
    if line_width <= 0:
        raise ValueError("a line must have some width")

    def width(part: str) -> float:
        return text_width(part)

    return sum(
        _paragraph_lines(paragraph, line_width, width) * (line_height + _taller_lines(paragraph))
        for paragraph in _paragraphs(text)
    )
