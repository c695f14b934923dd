"""The admin's question list at a laptop's width: every column in view."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_bank import log_in
from tests.factories import make_question, make_schedule, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = """() => {
  const wrap = document.querySelector('#changelist .results');
  const table = document.querySelector('#result_list');
  const last = [...table.querySelectorAll('thead th')].at(-1).getBoundingClientRect();
  return {
    wrap: [wrap.scrollWidth, wrap.clientWidth],
    page: document.documentElement.scrollWidth,
    lastRight: last.right,
    filterRight: document.querySelector('#changelist-filter').getBoundingClientRect().right,
    wrapRight: wrap.getBoundingClientRect().right,
    viewport: window.innerWidth,
  };
}"""


def test_analytics_columns_fit_at_1280_px(page, live_app, console_errors, screenshot):
    make_user(username="root", is_superuser=True)
    learner = make_user(username="lea")
    for n in range(12):
        question = make_question(
            prompt=f"Question {n}: explain how a long question prompt is shown in "
            "the admin list when it runs on past the width of its column",
            key=f"long-{n}",
        )
        make_schedule(user=learner, question=question)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_app, "root", "/admin/cards/question/")
    expect(page.locator("#result_list")).to_be_visible()
    for name in ("Learners", "Reviews", "Again", "Lapses", "Avg ease", "Rewrite?"):
        expect(page.locator("#result_list thead")).to_contain_text(name)
    sizes = page.evaluate(OVERFLOW)
    screenshot("01-changelist-1280")
    assert sizes["wrap"][0] <= sizes["wrap"][1], sizes  # no sideways scroll
    assert sizes["page"] <= 1280 and sizes["lastRight"] <= sizes["viewport"], sizes

    # Sorted by two figures (their headers grow sort controls): still in view.
    page.goto(live_app.url + "/admin/cards/question/?o=-7.-5")
    expect(page.locator("#result_list thead th.sorted")).to_have_count(2)
    sizes = page.evaluate(OVERFLOW)
    screenshot("02-sorted-by-figures")
    assert sizes["wrap"][0] <= sizes["wrap"][1], sizes
    assert sizes["lastRight"] <= sizes["viewport"], sizes
    assert sizes["filterRight"] <= sizes["wrapRight"] + 1, sizes  # a bar above
    assert console_errors == []
