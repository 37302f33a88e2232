"""Reading rendered HTML in tests: elements by id, and the error a field points to."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

HTMX = {"HTTP_HX_REQUEST": "true"}

_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    raw: str = ""  # the text as written, whitespace and all
    _parts: list[str] = field(default_factory=list, repr=False)
    descendants: list[Element] = field(default_factory=list, repr=False)

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.descendants
            if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())
        ]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, Element] = {}
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        for ancestor in self._open:
            ancestor.descendants.append(element)
        if "id" in element.attrs:
            self.by_id.setdefault(element.attrs["id"], element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                for element in self._open[index:]:
                    element.raw = "".join(element._parts)
                    element.text = " ".join(element.raw.split())
                del self._open[index:]
                return

    def handle_data(self, data):
        for element in self._open:
            element._parts.append(data)


def parse(html: str | bytes) -> _Parser:
    parser = _Parser()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    parser.close()
    return parser


def element(html: str | bytes, element_id: str) -> Element:
    found = parse(html).by_id.get(element_id)
    assert found is not None, f"no element with id={element_id!r}"
    return found


def has_element(html: str | bytes, element_id: str) -> bool:
    return element_id in parse(html).by_id


def find_all(html: str | bytes, tag: str, **attrs: str) -> list[Element]:
    return [
        e
        for e in parse(html).elements
        if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())
    ]


def field_error(html: str | bytes, field_id: str) -> str:
    """The error text a field points to with aria-describedby; the field must be aria-invalid."""
    widget = parse(html).by_id.get(field_id)
    assert widget is not None, f"no field with id={field_id!r}"
    return described_error(html, widget)


def described_error(html: str | bytes, widget: Element) -> str:
    page = parse(html)
    label = widget.attrs.get("id") or widget.attrs.get("name")
    assert widget.attrs.get("aria-invalid") == "true", f"{label} is not marked aria-invalid"
    errors = [
        page.by_id[ref].text
        for ref in widget.attrs.get("aria-describedby", "").split()
        if ref in page.by_id and "error" in page.by_id[ref].attrs.get("class", "") + ref
    ]
    assert errors, f"{label} points to no error message"
    return " ".join(errors)


def is_partial(html: str | bytes) -> bool:
    text = html.decode() if isinstance(html, bytes) else html
    return "<html" not in text and "<body" not in text


def form_values(html: str | bytes, form_id: str) -> dict[str, str | list[str]]:
    """What a browser would submit from this form, as it was rendered (no file inputs). A
    name sent more than once (checkboxes) has the list of its values."""
    grouped: dict[str, list[str]] = {}
    for name, value in _submitted(element(html, form_id)):
        grouped.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in grouped.items()}


def _submitted(form: Element) -> list[tuple[str, str]]:
    values: list[tuple[str, str]] = []
    for control in form.descendants:
        name = control.attrs.get("name")
        if not name or "disabled" in control.attrs:
            continue
        if control.tag == "input":
            kind = control.attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in control.attrs:
                    values.append((name, control.attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file", "reset"):
                values.append((name, control.attrs.get("value", "")))
        elif control.tag == "textarea":
            values.append((name, control.raw.removeprefix("\n")))  # browsers drop a newline right after <textarea>
        elif control.tag == "select":
            options = [o for o in control.descendants if o.tag == "option"]
            chosen = [o for o in options if "selected" in o.attrs] or options[:1]
            if chosen:
                values.append((name, chosen[0].attrs.get("value", chosen[0].text)))
    return values
