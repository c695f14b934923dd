"""axe-core (WCAG 2.2 AA) on every page of the URLconf, light and dark, 375 and
1280 px wide, with the strict CSP on: 0 violations.

axe comes from npm (package.json pins it; `make test` runs `npm ci`). It is
evaluated in the page over CDP, which the page's CSP does not govern, so the
pages are checked exactly as served.
"""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page

from cards.bank import services as bank_services
from cards.care import services as care
from cards.mock import services as mock_services
from cards.models import DataImport
from cards.reminders import tokens
from tests.browser.test_bank import log_in
from tests.factories import make_schedule, make_user
from tests.paths import ROOT
from tests.routes import all_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (375, 1280)
SCHEMES = ("light", "dark")
# The dark scheme changes colours and nothing else (light-dark() pairs and
# colour-only dark blocks: tests/web/test_css.py holds the stylesheets to it),
# so in dark each page is checked again with the rules that read colours; the
# other rules' results are the light run's. A third of the walk's time.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

# Routes that are not pages: POST-only actions, downloads, the admin's own
# machinery. Every other route of the URLconf is checked (a new page is too).
NOT_PAGES = {
    "cards:grade",
    "cards:undo",
    "cards:account_import",
    "cards:account_export",
    "cards:anki_deck",
    "cards:theme",
    "logout",
    "password_reset_confirm",  # a valid link only: checked below with one
    # Probes for load balancers and scrapers: plain text, not pages (issue 13).
    "healthz",
    "readyz",
    "metrics",
}
# The admin is Django's; we check the pages staff use for the question bank.
ADMIN_PAGES = (
    "/admin/",
    "/admin/cards/question/",
    "/admin/cards/question/{q}/change/",
    # Issue 16: learners' reports and the questions that need attention.
    "/admin/cards/problemreport/",
    "/admin/cards/questionneedingattention/",
)

RUN = """async ([type, values]) => {
  // Colours in a transition (a scheme just switched) are not the page's colours.
  await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
  const result = await axe.run(document, {runOnly: {type, values},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}"""


def axe_violations(page: Page, rules: list[str] | None = None) -> list[dict]:
    """WCAG 2.2 AA violations on the page: every rule of TAGS, or only `rules`."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(RUN, ["rule", rules] if rules else ["tag", TAGS])


def check(page: Page, url: str, found: dict) -> None:
    # A route that answers GET with 405 is an action (POST only), not a page.
    if page.context.request.get(url, max_redirects=0).status == 405:
        return
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for scheme in SCHEMES:
            # Reduced motion: no transition to wait out after each switch (the
            # colours are the same once it ends; RUN still waits for any).
            page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            rules = COLOUR_RULES if scheme == "dark" else None
            for v in axe_violations(page, rules):
                found.setdefault(f"{url} {width}px {scheme}", []).append(v)


def learner_pages(live_url: str, changed_id: int, new_id: int, now) -> list[str]:
    """GET pages from the URLconf, with real ids where a route takes one."""
    ada = get_user_model().objects.get(username="ada")
    verify = tokens.verify_token(user_id=ada.pk, email=ada.email)
    unsubscribe = tokens.unsubscribe_token(user_id=ada.pk)
    running, finished = ada.mock_interviews.order_by("pk")  # the bank fixture's
    # A "Your data" import of ada's, waiting for a worker (its status page).
    job = DataImport.objects.create(
        user=ada, file_name="ada.jsonl.gz", file_size=1, created_at=now
    )
    samples = {
        "cards:account_import_status": f"/account/import/{job.pk}/",
        "cards:mock_run": f"/mock/{running.pk}/",
        "cards:mock_debrief": f"/mock/{finished.pk}/debrief/",
        "cards:question_changes": f"/questions/{changed_id}/changes/",
        "cards:reveal": f"/review/{new_id}/answer/?version=0",
        # Issue 16: ada's leech with her note, on its own page and in card info.
        "cards:my_card": f"/questions/{changed_id}/mine/",
        "cards:card_info": f"/review/{changed_id}/info/",
        # The signed links of reminder mail (issue 20), valid for ada.
        "cards:reminders_verify": reverse("cards:reminders_verify", args=[verify]),
        "cards:reminders_unsubscribe": reverse(
            "cards:reminders_unsubscribe", args=[unsubscribe]
        ),
    }
    pages = []
    for route in all_routes():
        if route.is_admin or route.name in NOT_PAGES:
            continue
        pages.append(live_url + samples.get(route.name, route.path))
    return pages


@pytest.fixture
def bank(questions):
    learner = make_user(username="ada", email="ada@example.com", rate_confidence=True)
    changed = questions[3]
    make_schedule(
        user=learner, question=changed, due_on=datetime(2030, 1, 1).date(), lapses=8
    )
    moment = datetime(2026, 1, 5, tzinfo=UTC)
    care.save_note(user=learner, question=changed, text="My hint", now=moment)
    care.report_problem(user=learner, question=changed, note="Unclear", now=moment)
    care.suspend_card(user=learner, question=changed, now=moment)
    # Highlighted code and MathML on the back of the card axe checks (issue 16).
    new = questions[0]
    new.answer += (
        "\n\n```python\ndef scale(x: float) -> float:\n    return x / 8  # why\n```"
        "\n\nDivide by $\\sqrt{d_k}$:\n\n$$\n\\frac{QK^T}{\\sqrt{d_k}}\n$$"
    )
    new.save()
    changed.answer += "\n\n*   **Today:** the basis of every large language model."
    bank_services.save_question(
        question=changed,
        editor=None,
        now=datetime(2026, 1, 5, tzinfo=UTC),
        substantial=True,
    )
    make_user(username="root", is_superuser=True)
    # Mock interviews (issue 18): one running, one finished with a debrief.
    moment = datetime(2026, 1, 5, 9, tzinfo=UTC)
    mock_services.start_mock(user=learner, now=moment, count=2, seed=1)
    done = mock_services.start_mock(user=learner, now=moment, count=2, seed=2)
    for item in list(done.answers.order_by("position")):
        mock_services.hand_in(
            mock=done, answer_id=item.pk, text="Attention", now=moment, confidence=2
        )
    # One answer confirmed: the debrief's "confirmed, with Undo" state, and
    # the review page's own Undo button (the last answer is the mock's).
    # (Not the walk's new card, which it reveals at version 0.)
    first = done.answers.exclude(question=questions[0]).order_by("position").first()
    mock_services.confirm(
        user=learner, mock=done, answer_id=first.pk, grade=4, now=moment
    )
    done.refresh_from_db()
    return changed, questions[0]


def test_every_page_passes_axe(page, live_app, bank, console_errors, clock):
    assert AXE.exists(), "axe-core is missing: run `make axe` (npm ci)"
    found: dict[str, list] = {}
    changed, new = bank
    pages = learner_pages(live_app.url, changed.pk, new.pk, clock.now)
    anonymous = [u for u in pages if "/accounts/" in u or u == live_app.url + "/"]
    for url in anonymous:
        check(page, url, found)
    log_in(page, live_app, "ada", "/")
    for url in pages:
        check(page, url, found)
    page.goto(live_app.url + "/review/")
    page.get_by_role("button", name="Show answer").click()
    page.locator("#answer").wait_for()
    check(page, page.url, found)  # the back of a card, reached with htmx
    # Drill my weakest (issue 16): its card pages need a drill under way.
    page.goto(live_app.url + "/drill/")
    page.get_by_role("button", name="Start the drill").click()
    page.get_by_role("button", name="Show answer").wait_for()
    check(page, page.url, found)
    page.get_by_role("button", name="Show answer").click()
    page.locator("#answer").wait_for()
    check(page, page.url, found)
    # Browse with its filters used, and the results swapped in by htmx.
    page.goto(live_app.url + "/questions/?state=new&sort=ease")
    page.get_by_label("Search").fill("model")
    page.get_by_role("button", name="Show questions").click()
    page.locator("#browse-status").filter(has_text="found").wait_for(state="attached")
    check(page, page.url, found)
    page.context.clear_cookies()
    log_in(page, live_app, "root", "/admin/")
    for path in ADMIN_PAGES:
        check(page, live_app.url + path.format(q=changed.pk), found)
    checked = len(pages) + len(anonymous) + 4 + len(ADMIN_PAGES)
    print(f"axe: {checked} pages x {len(WIDTHS)} widths x {len(SCHEMES)} schemes")
    for where, violations in found.items():
        print(where)
        for v in violations:
            print("  ", v["id"], v["impact"], v["help"])
            for node in v["nodes"]:
                print("     ", " ".join(node.split())[:300])
    assert found == {}
    assert console_errors == []
