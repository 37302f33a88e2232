"""Deleting a persona or a fit item offers the same undo as a note: the item's place holds an
Undo button for a while (the focus moves to it), and Undo brings the item back in place."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from canvas_app.models import Canvas
from segments.models import Persona, ProfileItem
from tests.browser.conftest import log_in
from tests.segments.factories import make_persona, make_profile_item, make_segment, make_value_item

MARKER = "window.lienzoMarker"


def test_a_deleted_persona_comes_back_with_undo(page: Page, canvas: Canvas, editor) -> None:
    segment = make_segment(canvas, "Oficinas")
    lucia = make_persona(segment, "Lucía Pérez", occupation="Barista", goals="Abrir su propio café")
    marta = make_persona(segment, "Marta Ruiz", occupation="Dueña de una cafetería")
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/segments/{segment.pk}/")
    page.evaluate(f"{MARKER} = 1")

    page.get_by_role("button", name="Delete Lucía Pérez").click()
    undo = page.locator(f"#persona-{lucia.pk}-undo")
    expect(undo).to_be_focused()
    expect(page.locator(f"#persona-{lucia.pk}")).to_contain_text("Persona Lucía Pérez deleted.")
    expect(page.locator("#personas-title")).to_have_text("Personas (1)")
    assert not Persona.objects.filter(pk=lucia.pk).exists()
    page.screenshot(path="/tmp/shots/smaller-persona-undo.png", full_page=True, caret="initial")

    undo.press("Enter")
    card = page.locator(f"#persona-{lucia.pk}")
    expect(card).to_be_focused()
    expect(card.locator("h3")).to_have_text("Lucía Pérez")
    expect(page.locator(".persona-card h3")).to_have_text(["Lucía Pérez", "Marta Ruiz"])  # back in its place
    expect(page.locator("#personas-title")).to_have_text("Personas (2)")
    assert Persona.objects.get(pk=lucia.pk).goals == "Abrir su propio café"
    assert page.evaluate(MARKER) == 1, "the page reloaded"

    # Left alone, the undo goes away after a while; the persona stays deleted.
    page.clock.install()
    page.get_by_role("button", name="Delete Marta Ruiz").click()
    expect(page.locator(f"#persona-{marta.pk}-undo")).to_be_focused()
    page.locator("#personas-title").focus()
    page.clock.run_for(11_000)
    expect(page.locator(f"#persona-{marta.pk}")).to_have_count(0)
    assert not Persona.objects.filter(pk=marta.pk).exists()


def test_a_deleted_fit_item_comes_back_with_its_links(page: Page, canvas: Canvas, editor) -> None:
    segment = make_segment(canvas, "Oficinas")
    pain = make_profile_item(segment, "pain", "El café llega rancio", 3)
    make_profile_item(segment, "gain", "Aroma intenso", 1)
    make_value_item(segment, "reliever", "Tueste semanal", addresses=[pain])
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/segments/{segment.pk}/fit/")
    expect(page.locator("#fit-score")).to_contain_text("75%")

    page.get_by_role("button", name="Delete “El café llega rancio”").click()
    undo = page.locator(f"#profile-item-{pain.pk}-undo")
    expect(undo).to_be_focused()
    expect(page.locator("#fit-score")).to_contain_text("0%")
    expect(page.locator(f"#profile-item-{pain.pk}")).to_contain_text("“El café llega rancio” deleted.")
    page.screenshot(path="/tmp/shots/smaller-fit-undo.png", full_page=True, caret="initial")

    undo.click()
    expect(page.locator("#fit-score")).to_contain_text("75%")
    expect(page.locator(f"#profile-item-{pain.pk}")).to_contain_text("Relieved by: Tueste semanal")
    expect(page.locator(f"#profile-item-{pain.pk}")).to_be_focused()
    assert ProfileItem.objects.filter(pk=pain.pk).exists()


def test_without_javascript_the_undo_is_a_plain_form(new_context, canvas: Canvas, editor) -> None:
    page = new_context(java_script_enabled=False).new_page()
    segment = make_segment(canvas, "Oficinas")
    lucia = make_persona(segment, "Lucía Pérez")
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/segments/{segment.pk}/")
    page.get_by_role("button", name="Delete Lucía Pérez").click()
    expect(page.locator(f"#persona-{lucia.pk}")).to_contain_text("Persona Lucía Pérez deleted.")
    page.get_by_role("button", name="Undo deleting Lucía Pérez").click()
    expect(page.locator("#messages")).to_contain_text("Persona Lucía Pérez restored.")
    expect(page.locator(f"#persona-{lucia.pk} h3")).to_have_text("Lucía Pérez")
