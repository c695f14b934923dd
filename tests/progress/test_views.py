"""The progress page over HTTP: rendering, htmx range switch, cost, isolation."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cards.models import ReviewKind, ReviewLog, ReviewSchedule, profile_for
from cards.progress import rollup
from cards.review import services
from tests.clock import frozen_moment
from tests.factories import insert_rows, make_log, make_question, make_user, sm2_fields
from tests.paths import ROOT

URL = "/progress/"
HTMX = {"HX-Request": "true"}
MAX_QUERIES = 15


def test_url_name():
    assert reverse("cards:progress") == URL


def test_login_required(client, db):
    r = client.get(URL)
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")


def test_only_get(logged_in_client):
    assert logged_in_client.post(URL).status_code == 405


def test_empty_state_for_a_new_learner(logged_in_client, questions):
    r = logged_in_client.get(URL)
    assert r.status_code == 200
    assert "Your charts start with your first answer" in r.text
    assert "10 questions are waiting" in r.text
    assert r.text.count("No reviews yet") == 1
    assert "Nothing scheduled yet" in r.text
    assert 'class="tile-value">0</span>' in r.text


def seed_recent_history(user, questions):
    """Three days of answers through the real service, ending now."""
    now = frozen_moment()
    for i, q in enumerate(questions[:4]):
        services.record_review(
            user=user,
            question=q,
            grade=[1, 3, 4, 5][i],
            version=0,
            now=now - timedelta(days=2),
            duration_ms=30_000,
        )
    return now


def test_page_shows_figures_and_accessible_charts(logged_in_client, user, questions):
    seed_recent_history(user, questions)
    r = logged_in_client.get(URL)
    assert r.status_code == 200
    body = r.text
    assert "Your charts start" not in body
    assert re.search(r"Total reviews</dt>\s*<dd><span class=\"tile-value\">4<", body)
    # Every chart: role="img" labelled by its title and summary, and its
    # numbers in a table behind a disclosure.
    svgs = re.findall(r"<svg [^>]*>", body)
    assert len(svgs) == 7
    for svg in svgs:
        assert 'role="img"' in svg
        ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        assert all(f'id="{i}"' in body for i in ids)
    assert body.count('<details class="chart-data"><summary>The numbers') == 6
    # The study day of the answers (the learner's zone and rollover hour), not the
    # UTC date: at the sweep's 04:00 in London the two differ.
    answered = profile_for(user).study_day(frozen_moment() - timedelta(days=2))
    day = re.escape(f"{answered:%a %-d %b %Y}")
    assert re.search(
        rf'<th scope="row">{day}</th><td>1</td><td>1</td><td>1</td><td>1</td>'
        r"<td>4</td>",
        body,
    )
    assert 'class="axis-label"' in body
    assert "style=" not in body


def test_range_switch_via_htmx_returns_only_the_activity(
    logged_in_client, user, questions
):
    now = seed_recent_history(user, questions)
    r = logged_in_client.get(URL + "?days=90", headers=HTMX)
    assert r.status_code == 200
    assert "<html" not in r.text and r.text.lstrip().startswith(
        '<section id="activity"'
    )
    assert "Activity in the last 90 days" in r.text
    assert re.search(r'id="range-90"[^>]*aria-current="true"', r.text)
    # No tooltip per day (the tables have the numbers); one per calendar week
    # (Monday to Sunday) that the 90 days touch: 13 or 14, by today's weekday.
    today = profile_for(user).study_day(now)
    days = [today - timedelta(days=d) for d in range(90)]
    weeks = {day - timedelta(days=day.weekday()) for day in days}
    assert len(weeks) in (13, 14)
    assert r.text.count('class="hit"') == len(weeks)
    # The tables of reviews and time: a row per week; retention: weeks with
    # scheduled reviews only (none here: every answer was a first one).
    assert r.text.count("<tr>") == 3 + 2 * len(weeks) + 1
    assert "Study calendar" not in r.text
    assert "Vary" in r.headers and "HX-Request" in r.headers["Vary"]


def test_range_switch_without_javascript(logged_in_client, user, questions):
    seed_recent_history(user, questions)
    r = logged_in_client.get(URL + "?days=365")
    assert r.status_code == 200 and "<html" in r.text
    assert "Activity in the last year" in r.text
    links = re.findall(r'<a id="range-(\d+)" href="\?days=(\d+)"', r.text)
    assert links == [("30", "30"), ("90", "90"), ("365", "365")]


def test_history_restore_gets_the_full_page(logged_in_client, user):
    r = logged_in_client.get(
        URL + "?days=90", headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in r.text


@pytest.mark.parametrize("value", ["7", "abc", "-30", "30.0", "٣٠", "1e3"])
def test_unknown_range_is_a_clear_400(logged_in_client, value):
    r = logged_in_client.get(URL, {"days": value})
    assert r.status_code == 400 and "30, 90 or 365" in r.text


def test_progress_is_never_cached(logged_in_client):
    r = logged_in_client.get(URL)
    assert "no-store" in r.headers["Cache-Control"]


def test_get_writes_nothing(logged_in_client, user, questions):
    seed_recent_history(user, questions)
    before = (ReviewLog.objects.count(), ReviewSchedule.objects.count())
    logged_in_client.get(URL)
    assert (ReviewLog.objects.count(), ReviewSchedule.objects.count()) == before


def test_other_learners_data_is_never_counted(client, user, other_user, questions):
    seed_recent_history(other_user, questions)
    client.force_login(user)
    r = client.get(URL)
    assert "Your charts start with your first answer" in r.text
    assert re.search(r"Total reviews</dt>\s*<dd><span class=\"tile-value\">0<", r.text)
    assert (
        "again"
        not in re.sub(r"Again \(0–2\)", "", r.text).split("Reviews per day")[1][:0]
    )
    assert "4 reviews" not in r.text


# Cost ------------------------------------------------------------------------


def bulk_history(user, *, questions: int, days: int, per_day: int) -> int:
    """A large history written in bulk (realistic rows, not through the service)."""
    now = frozen_moment()
    today = profile_for(user).study_day(now)
    qs = [make_question(level=1 + i % 3) for i in range(questions)]
    schedules = ReviewSchedule.objects.bulk_create(
        ReviewSchedule(
            user=user,
            question=q,
            lapses=i % 4,
            due_on=today + timedelta(days=i % 45 - 10),
            version=days,
            **sm2_fields(3, (i % 60) + 1, Decimal("1.30") + Decimal(i % 20) / 10),
        )
        for i, q in enumerate(qs)
    )
    logs = []
    for d in range(days):
        day = today - timedelta(days=d)
        for k in range(per_day):
            s = schedules[(d * per_day + k) % len(schedules)]
            logs.append(
                make_log(
                    schedule=s,
                    kind=[ReviewKind.NEW, ReviewKind.REVIEW, ReviewKind.REDRILL][k % 3],
                    grade=k % 6,
                    reviewed_at=now - timedelta(days=d),
                    study_day=day,
                    duration_ms=1000 * (k % 40),
                    from_version=d * 1000 + k,
                    before=(1, 1, "2.50"),
                    after=(2, 6, "2.50"),
                    save=False,
                )
            )
    insert_rows(logs)
    rollup.record_many(logs)
    return len(logs)


def count_queries(client, url, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, **kwargs)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_fixed_and_small_whatever_the_history(client, db):
    small, large = make_user(username="fresh"), make_user(username="veteran")
    rows = bulk_history(large, questions=300, days=730, per_day=40)
    assert rows == 29_200
    counts = {}
    for learner in (small, large):
        client.force_login(learner)
        counts[learner.username] = (
            count_queries(client, URL),
            count_queries(client, URL + "?days=365"),
            count_queries(client, URL + "?days=365", headers=HTMX),
        )
    print(f"\nprogress page queries (full, 1 year, htmx partial): {counts}")
    assert counts["fresh"] == counts["veteran"]
    assert max(counts["veteran"]) <= MAX_QUERIES


def test_the_page_never_scans_the_log(client, db):
    """Per-day figures come from the rollup; the only reads of the log are the
    typed-answer and confidence panels, each on its partial index's rows."""
    learner = make_user()
    bulk_history(learner, questions=20, days=60, per_day=5)
    client.force_login(learner)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL + "?days=365").status_code == 200
    sent = [q["sql"] for q in ctx.captured_queries]
    assert any('FROM "cards_studyday"' in sql for sql in sent)
    on_log = [sql for sql in sent if 'FROM "cards_reviewlog"' in sql]
    partial = ('"suggested_grade" IS NOT NULL', '"confidence" IS NOT NULL')
    assert len(on_log) == 3 and all(any(p in sql for p in partial) for sql in on_log)


# Colours ----------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _schemes() -> list[dict[str, str]]:
    """The light and dark values of every colour variable in app.css.

    A colour of both schemes is a pair, `--name: light-dark(#light, #dark)`;
    a plain `--name: #hex` is the same in both.
    """
    css = (ROOT / "static/css/app.css").read_text()
    light: dict[str, str] = {}
    dark: dict[str, str] = {}
    hexa = r"(#[0-9a-fA-F]{6})"
    for match in re.finditer(r":root\s*{([^}]*)}", css):
        body = match.group(1)
        for name, a, b in re.findall(
            rf"--([\w-]+):\s*light-dark\(\s*{hexa}\s*,\s*{hexa}\s*\)", body
        ):
            light[name], dark[name] = a, b
        for name, value in re.findall(rf"--([\w-]+):\s*{hexa}\s*;", body):
            light.setdefault(name, value)
    assert "prefers-color-scheme: dark" not in css, "colours are light-dark() pairs"
    return [light, {**light, **dark}]


DATA_COLOURS = [
    "again",
    "hard",
    "good",
    "easy",
    "c-time",
    "c-retention",
    "c-due",
    "c-redrill",
    "c-ease",
    "c-new",
    "c-learning",
    "c-young",
    "c-mature",
    "c-heat-1",
    "c-heat-2",
    "c-heat-3",
    "c-heat-4",
]


@pytest.mark.parametrize("scheme", [0, 1], ids=["light", "dark"])
def test_chart_colours_have_contrast_in_both_schemes(scheme):
    colours = _schemes()[scheme]
    surface = colours["surface"]
    low = {n: round(contrast(colours[n], surface), 2) for n in DATA_COLOURS}
    assert min(low.values()) >= 3, low  # WCAG 1.4.11, graphical objects
    assert contrast(colours["muted"], surface) >= 4.5  # tick and axis text
    assert contrast(colours["text"], surface) >= 4.5


def test_key_points_missed_most_across_questions(client, questions):
    from cards.models import Question
    from cards.review import services

    user = make_user(username="typist")
    other = make_user(username="other")
    transformer = Question.objects.get(position=4)
    latent = Question.objects.get(position=5)
    t1, t2 = transformer.key_points.all()[:2]
    (l1,) = latent.key_points.all()[:1]
    when = datetime(2026, 1, 4, 12, tzinfo=UTC)
    for learner, question, missed in [
        (user, transformer, (t1.pk, t2.pk)),
        (user, latent, (l1.pk,)),
        (other, latent, ()),
    ]:
        services.record_review(
            user=learner,
            question=question,
            grade=3,
            version=0,
            now=when,
            typed=services.TypedAnswer("typed", 0.3, 3, missed),
        )
    client.force_login(user)
    page = client.get(URL).text
    assert "Key points you miss most" in page
    assert page.count("1 of 1") == 3 and t1.statement in page and l1.statement in page
    client.force_login(other)
    assert "Key points you miss most" not in client.get(URL).text
