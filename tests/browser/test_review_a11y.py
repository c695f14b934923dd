"""The review screen as a screen reader and a keyboard user meet it (Chromium's
accessibility tree, read over CDP)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_review import DESKTOP, face, focused, grade, reveal, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def live_regions(page: Page) -> list[dict]:
    """Every live region in the accessibility tree: its politeness and its text."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    by_id = {node["nodeId"]: node for node in nodes}

    def text(node: dict) -> str:
        if node.get("role", {}).get("value") == "StaticText":
            return node.get("name", {}).get("value", "")
        return " ".join(
            t for c in node.get("childIds", []) if c in by_id and (t := text(by_id[c]))
        )

    regions = []
    for node in nodes:
        props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        if props.get("live") in ("polite", "assertive") and not node.get("ignored"):
            regions.append(
                {
                    "role": node.get("role", {}).get("value"),
                    "live": props["live"],
                    "atomic": props.get("atomic"),
                    "text": " ".join(text(node).split()),
                }
            )
    return regions


def announced(page: Page) -> str:
    polite = [r for r in live_regions(page) if r["live"] == "polite" and r["text"]]
    assert len(polite) <= 1, polite
    return polite[0]["text"] if polite else ""


def test_next_card_is_announced_after_a_grade(
    page, live_app, console_errors, questions
):
    page.set_viewport_size(DESKTOP)
    sign_up(page, live_app.url, "ray")
    page.goto(live_app.url + "/review/")
    face(page, "front")
    assert announced(page) == ""  # nothing is read out on arrival
    reveal(page, keyboard=True)
    grade(page, "Good", "3", keyboard=True)
    face(page, "front")
    prompt = " ".join(page.locator(".prompt").inner_text().split())
    expect(page.locator("#review-status")).to_contain_text(prompt[:20])
    text = announced(page)
    assert text.startswith("Answer saved. Next question")
    assert prompt in text
    assert "Left today: 9 new, 0 reviews, 0 again today." in text
    region = next(r for r in live_regions(page) if r["text"] == text)
    assert region["role"] == "status" and region["atomic"] is True
    # Focus is on the next action; the region, outside the swapped card, stays.
    focused(page, "[data-action=reveal]")

    reveal(page, keyboard=True)
    grade(page, "Again", "1", keyboard=True)
    face(page, "front")
    second = announced(page)
    assert second != text and "Left today: 8 new, 0 reviews, 1 again today." in second
    assert console_errors == []


FOCUS_RING = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  return {name: (e.innerText || e.textContent || '').trim().split(/\\s+/).join(' '),
          ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};
}"""


def tab_to(page: Page, name: str, *, back: bool = False, limit: int = 15) -> None:
    """Press Tab (or Shift+Tab) until the control named `name` has focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focus = page.evaluate(FOCUS_RING)
        if name in focus["name"].split():
            assert focus["ring"], f"{name} has focus but no visible focus ring"
            return
    raise AssertionError(f"{name!r} not reached with the keyboard")


def test_review_with_tab_and_enter_only(page, live_app, console_errors, questions):
    """No mouse and no shortcuts: Tab, Shift+Tab and Enter do everything."""
    page.set_viewport_size(DESKTOP)
    sign_up(page, live_app.url, "kay")
    page.goto(live_app.url + "/review/")
    face(page, "front")
    focused(page, "[data-action=reveal]")
    page.keyboard.press("Enter")
    face(page, "back")
    focused(page, "#answer")
    tab_to(page, "Good")
    page.keyboard.press("Enter")
    face(page, "front")
    focused(page, "[data-action=reveal]")
    assert "Left today: 9 new" in announced(page)
    tab_to(page, "Undo", back=True)
    page.keyboard.press("Enter")
    expect(page.locator(".notice")).to_contain_text("Answer taken back")
    focused(page, ".notice")
    tab_to(page, "Show")
    page.keyboard.press("Enter")
    face(page, "back")
    assert console_errors == []


def test_the_undo_button_is_named_by_its_visible_label(page, live_app, questions):
    """Voice control: "click Undo" must reach the button whatever the width
    (axe's label-content-name-mismatch, which the tag walk does not run)."""
    from tests.browser.test_accessibility import AXE

    sign_up(page, live_app.url, "voice")
    page.goto(live_app.url + "/review/")
    reveal(page, keyboard=True)
    grade(page, "Good", "3", keyboard=True)
    undo = page.locator("[data-action=undo]")
    expect(undo).to_be_visible()
    page.evaluate(AXE.read_text())
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        found = page.evaluate(
            """async () => (await axe.run(document, {runOnly: {type: 'rule',
                 values: ['label-content-name-mismatch', 'button-name']}})).violations
                 .map(v => v.id)"""
        )
        assert found == [], (width, found)
    expect(page.get_by_role("button", name="Undo", exact=False)).to_have_count(1)
