"""What only a browser shows on the segment pages: fieldsets that follow the customer type,
and personas and fit items changed in place without a reload, under the strict CSP."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from canvas_app.models import Canvas
from segments.models import Persona, Segment
from tests.browser.conftest import expect_settled, log_in
from tests.segments.factories import make_persona, make_profile_item, make_segment

MARKER = "window.lienzoMarker"


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_describing_a_segment_and_its_personas_in_place(page: Page, canvas: Canvas, editor) -> None:
    segment = make_segment(canvas, "Oficinas")
    persona = make_persona(segment, "Lucía Pérez", occupation="Barista")
    errors = watch_console(page)
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/segments/{segment.pk}/")
    page.evaluate(f"{MARKER} = 1")

    # The fieldset of the other customer type hides and shows without a reload.
    b2c, b2b = page.locator("fieldset[data-customer-type=b2c]"), page.locator("fieldset[data-customer-type=b2b]")
    expect(b2c).to_be_visible()
    expect(b2b).to_be_hidden()
    page.get_by_label("Businesses (B2B)").check()
    expect(b2b).to_be_visible()
    expect(b2c).to_be_hidden()

    page.locator("#segment-form").get_by_label("Industry:").fill("Hostelería")
    page.locator("#id_name").fill("Cafeterías de barrio")
    page.get_by_role("button", name="Save segment").click()
    expect(page.locator("#segment-form [role=status]")).to_have_text("Segment saved.")
    expect(page.locator("#segment-name")).to_have_text("A Cafeterías de barrio")  # after its letter
    expect(b2b).to_be_visible()
    segment = Segment.objects.select_related("note").get(pk=segment.pk)
    assert (segment.name, segment.customer_type, segment.industry) == ("Cafeterías de barrio", "b2b", "Hostelería")

    # Add a persona: the new card takes the focus.
    page.locator("#persona-add summary").click()
    page.locator("#new-persona-name").fill("Marta Ruiz")
    page.get_by_role("button", name="Add persona").click()
    expect(page.locator(".persona-card h3")).to_have_text(["Lucía Pérez", "Marta Ruiz"])
    added = segment.personas.get(name="Marta Ruiz")
    expect(page.locator(f"#persona-{added.pk}")).to_be_focused()

    # Edit one in place; Escape cancels, then save for real.
    card = page.locator(f"#persona-{persona.pk}")
    card.get_by_role("link", name="Edit Lucía Pérez").click()
    expect(page.locator(f"#persona-{persona.pk}-name")).to_be_focused()
    expect_settled(page.locator(f"#persona-{persona.pk}"))
    field = page.locator(f"#persona-{persona.pk}-occupation")
    field.fill("Tostadora")
    field.press("Escape")
    expect(page.locator(f"#persona-{persona.pk}-occupation")).to_have_count(0)  # the card is back
    expect(card.locator("h3")).to_have_text("Lucía Pérez")
    expect(card).to_contain_text("Barista")
    card.get_by_role("link", name="Edit Lucía Pérez").click()
    expect_settled(page.locator(f"#persona-{persona.pk}"))
    page.locator(f"#persona-{persona.pk}-occupation").fill("Tostadora")
    page.get_by_role("button", name="Save persona").click()
    expect(page.locator(f"#persona-{persona.pk}-occupation")).to_have_count(0)  # saved: the card is back
    expect(card).to_contain_text("Tostadora")
    # Typed where it was typed: the editor's own focus on the name must not take the keys
    # of someone who already clicked into another field.
    saved = Persona.objects.get(pk=persona.pk)
    assert (saved.name, saved.occupation) == ("Lucía Pérez", "Tostadora")

    # Delete one: its place offers the undo, which takes the focus.
    page.get_by_role("button", name="Delete Marta Ruiz").click()
    expect(page.locator(".persona-card h3")).to_have_text(["Lucía Pérez"])
    expect(page.locator(f"#persona-{added.pk}-undo")).to_be_focused()
    assert not segment.personas.filter(pk=added.pk).exists()

    assert page.evaluate(MARKER) == 1, "the page reloaded"
    assert errors == []


def test_building_the_fit_in_place(page: Page, canvas: Canvas, editor) -> None:
    segment = make_segment(canvas, "Oficinas")
    make_profile_item(segment, "gain", "Aroma intenso", 1)
    errors = watch_console(page)
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/segments/{segment.pk}/fit/")
    page.evaluate(f"{MARKER} = 1")
    expect(page.locator("#fit-score")).to_contain_text("0%")

    add_pain = page.locator("#add-profile-pain")
    add_pain.get_by_label("Pain:").fill("El café llega rancio")
    add_pain.get_by_label("Importance:").select_option("3")
    add_pain.get_by_role("button", name="Add pain").click()
    expect(page.locator("#profile-pain-title + p + ul .fit-item__text")).to_have_text(["El café llega rancio"])
    expect(page.locator("#fit-score")).to_contain_text("0%")
    pain = segment.profile_items.get(kind="pain")

    add_reliever = page.locator("#add-value-reliever")
    add_reliever.get_by_label("Pain reliever:").fill("Tueste semanal")
    add_reliever.get_by_label("El café llega rancio").check()
    add_reliever.get_by_role("button", name="Add pain reliever").click()
    expect(page.locator("#fit-score")).to_contain_text("75%")
    expect(page.locator(f"#profile-item-{pain.pk}")).to_contain_text("Relieved by: Tueste semanal")

    # Edit the gain's importance in place: cancel first, then save.
    gain = segment.profile_items.get(kind="gain")
    item = page.locator(f"#profile-item-{gain.pk}")
    item.get_by_role("link", name="Edit “Aroma intenso”").click()
    expect_settled(item)
    item.get_by_label("Importance:").select_option("3")
    item.get_by_role("link", name="Cancel").click()
    expect(item).to_contain_text("importance 1 of 3")
    item.get_by_role("link", name="Edit “Aroma intenso”").click()
    expect_settled(item)
    item.get_by_label("Importance:").select_option("3")
    item.get_by_role("button", name="Save").click()
    expect(page.locator("#fit-score")).to_contain_text("50%")

    # A bad value is explained in place and saves nothing.
    add_pain.get_by_label("Pain:").fill("")
    add_pain.get_by_role("button", name="Add pain").click()
    expect(page.locator("#add-profile-pain")).to_have_count(1)
    expect(page.locator("#fit-score")).to_contain_text("50%")

    page.get_by_role("button", name="Delete “Tueste semanal”").click()
    expect(page.locator("#fit-score")).to_contain_text("0%")
    reliever = segment.value_items.model.all_objects.get(segment=segment, kind="reliever")
    expect(page.locator(f"#value-item-{reliever.pk}-undo")).to_be_focused()

    assert page.evaluate(MARKER) == 1, "the page reloaded"
    assert errors == []
