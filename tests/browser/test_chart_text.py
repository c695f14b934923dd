"""Chart text in Chromium: every label inside its chart, and big enough to read."""

import pytest

from cards.learner import demo
from tests.browser.test_progress import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The smallest text the page uses outside charts is .8rem (12.8 px); chart text
# scaled down with its SVG must stay at least 12 CSS pixels on a phone.
MIN_PX = 12
WEEKDAYS = ("Mon", "Wed", "Fri")

MEASURE = """() => [...document.querySelectorAll('svg.chart-svg text, svg.heatmap-svg text')]
  .map(t => {
    const box = t.getBoundingClientRect();
    // A chart's text may use the card's padding, never leave the card.
    const svg = (t.closest('.scroll-x') ? t.ownerSVGElement : t.closest('figure'))
      .getBoundingClientRect();
    const clip = t.closest('.scroll-x') || t.ownerSVGElement;
    const view = clip.getBoundingClientRect();
    return {
      text: t.textContent,
      chart: t.closest('figure').querySelector('.chart-title').textContent,
      px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
      left: box.left, right: box.right, svgLeft: svg.left, svgRight: svg.right,
      // The visible part of a scrolling calendar (scrolled fully to the right
      // when the page opens; its start is reached by scrolling).
      clipRight: view.right,
      scrolls: clip.scrollWidth > clip.clientWidth,
    };
  })"""


def texts(page):
    # Measure the laid-out page: after load and once the fonts are in, or a
    # label can be measured in the fallback font's width (seen as flaky CI).
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    found = page.evaluate(MEASURE)
    assert len(found) > 50
    return found


def outside(t) -> bool:
    right = t["svgRight"] if t["scrolls"] else min(t["svgRight"], t["clipRight"])
    return t["left"] < t["svgLeft"] - 0.5 or t["right"] > right + 0.5


@pytest.fixture
def month_starts_this_week(clock, questions):
    """A year of history up to Monday 1 June 2026: June's label is in the last
    column of the calendar (on main it was cut to "Ju")."""
    clock.shift(days=147)
    assert f"{clock.now:%a %d %b}" == "Mon 01 Jun"
    demo.seed(now=clock.now, questions=0)  # the shipped bank is enough here


def test_chart_labels_fit_and_are_readable(
    page, live_app, screenshot, month_starts_this_week
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_app)
    wide = texts(page)
    months = [
        t
        for t in wide
        if t["chart"].startswith("Study calendar") and t["text"] not in WEEKDAYS
    ]
    assert months[-1]["text"] == "Jun"
    clipped = [(t["chart"], t["text"]) for t in wide if outside(t)]
    assert clipped == [], clipped
    assert not any(t["scrolls"] for t in months), "the calendar fits at 1280 px"
    small = sorted(
        {(t["chart"], t["text"], round(t["px"], 1)) for t in wide if t["px"] < MIN_PX}
    )
    assert small == [], small

    screenshot("01-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    screenshot("02-phone")
    phone = texts(page)
    small = sorted({(t["chart"], round(t["px"], 1)) for t in phone if t["px"] < MIN_PX})
    assert small == [], small
    clipped = [(t["chart"], t["text"]) for t in phone if outside(t)]
    assert clipped == [], clipped
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
