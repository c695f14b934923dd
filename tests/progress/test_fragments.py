"""The cached history sections (cards/progress/fragments.py): every write shows at once."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse

from cards.learner import userdata
from cards.models import ReviewLog
from cards.progress import fragments
from cards.progress.core import DayActivity
from cards.review import services
from tests.clock import frozen_moment
from tests.factories import make_question, make_user
from tests.paths import ROOT

URL = "/progress/"
HTMX = {"HX-Request": "true"}
DAY = date(2026, 1, 5)


@pytest.fixture(autouse=True)
def empty_cache():
    caches[fragments.CACHE_ALIAS].clear()  # entries of earlier tests
    yield
    caches[fragments.CACHE_ALIAS].clear()


def reviewed(body: str) -> str:
    """The activity section's "Reviews" figure, e.g. "3"."""
    return re.search(
        r'<dt>Reviews</dt><dd><span class="figure-value">([\d,]+)<', body
    ).group(1)


def studied(body: str) -> str:
    return re.search(r"You studied on (\d+) of the last", body).group(1)


def grade(client, question, value="4"):
    url = reverse("cards:grade", args=[question.pk])
    r = client.post(url, {"grade": value, "version": "0"}, headers=HTMX)
    assert r.status_code == 200, r.text
    return r


def cached_keys() -> list[str]:
    return list(caches[fragments.CACHE_ALIAS]._cache)


def test_digest_changes_with_any_counter_and_only_then():
    days = (DayActivity(DAY, reviews=2, good=2, ms=10),)
    same = (DayActivity(DAY, reviews=2, good=2, ms=10),)
    assert fragments.digest(days) == fragments.digest(same)
    for changed in (
        DayActivity(DAY, reviews=2, good=2, ms=11),
        DayActivity(DAY, reviews=2, easy=2, ms=10),
        DayActivity(DAY + timedelta(days=1), reviews=2, good=2, ms=10),
    ):
        assert fragments.digest((changed,)) != fragments.digest(days)
    assert fragments.digest(()) != fragments.digest(days)


def test_keys_name_the_code_that_drew_them(logged_in_client, user):
    logged_in_client.get(URL)
    stamp = fragments.code_stamp()
    assert re.fullmatch(r"[0-9a-f]{12}", stamp)
    assert all(f"progress:{stamp}:" in key for key in cached_keys())
    for name in fragments.DRAWN_BY:  # each a module of the package
        assert (ROOT / "cards" / "progress" / f"{name}.py").exists()


def test_a_second_view_is_served_from_the_cache(logged_in_client, user):
    question = make_question()
    grade(logged_in_client, question)
    first = logged_in_client.get(URL + "?days=90").text
    assert len(cached_keys()) == 2  # the activity (90 days) and the calendar
    assert logged_in_client.get(URL + "?days=90").text.count("<svg") == first.count(
        "<svg"
    )
    assert len(cached_keys()) == 2
    # The htmx switch to the same range reuses the activity entry.
    logged_in_client.get(URL + "?days=90", headers=HTMX)
    assert len(cached_keys()) == 2


def test_a_grade_shows_on_the_page_at_once(logged_in_client, user):
    first, second = make_question(), make_question()
    grade(logged_in_client, first)
    assert reviewed(logged_in_client.get(URL).text) == "1"
    assert reviewed(logged_in_client.get(URL, headers=HTMX).text) == "1"
    grade(logged_in_client, second, "1")
    page = logged_in_client.get(URL).text
    assert reviewed(page) == "2"
    assert "1 answers below 3" in page
    assert reviewed(logged_in_client.get(URL, headers=HTMX).text) == "2"


def test_an_undo_shows_on_the_page_at_once(logged_in_client, user):
    question = make_question()
    grade(logged_in_client, question)
    page = logged_in_client.get(URL).text
    assert (reviewed(page), studied(page)) == ("1", "1")
    log = ReviewLog.objects.get(user=user)
    r = logged_in_client.post(reverse("cards:undo"), {"log": log.pk}, headers=HTMX)
    assert r.status_code == 200
    page = logged_in_client.get(URL).text
    assert reviewed(page) == "0"
    assert "No study days yet" in page
    assert reviewed(logged_in_client.get(URL, headers=HTMX).text) == "0"


def test_an_import_shows_on_the_page_at_once(logged_in_client, user):
    source = make_user()
    questions = [make_question() for _ in range(3)]
    for i, q in enumerate(questions):
        services.record_review(
            user=source,
            question=q,
            grade=4,
            version=0,
            now=frozen_moment() - timedelta(days=i),
        )
    blob = b"".join(userdata.export_stream(user=source))
    assert reviewed(logged_in_client.get(URL).text) == "0"  # cached: empty
    userdata.import_user_data(user=user, data=userdata.read_user_data(io.BytesIO(blob)))
    page = logged_in_client.get(URL).text
    assert (reviewed(page), studied(page)) == ("3", "3")


def test_the_next_study_day_draws_afresh(logged_in_client, user, clock):
    grade(logged_in_client, make_question())
    assert "Current streak: 1 day;" in logged_in_client.get(URL).text
    clock.shift(days=2)  # the streak is over, with the same rows
    assert "Current streak: 0 days;" in logged_in_client.get(URL).text


def test_sections_have_a_cache_of_their_own(logged_in_client, user):
    # Not "default": a full cache there would cull the rate-limit counters.
    grade(logged_in_client, make_question())
    logged_in_client.get(URL)
    assert fragments.CACHE_ALIAS != "default" and len(cached_keys()) == 2
    assert not [k for k in caches["default"]._cache if "progress" in k]


def test_learners_with_the_same_rows_see_their_own_page(client, questions):
    # Same answers on the same day: one entry, and each page is still right.
    one, two = make_user(), make_user()
    for learner in (one, two):
        services.record_review(
            user=learner, question=questions[0], grade=4, version=0, now=frozen_moment()
        )
    client.force_login(one)
    mine = client.get(URL).text
    client.force_login(two)
    theirs = client.get(URL).text
    assert reviewed(mine) == reviewed(theirs) == "1"
    assert len(cached_keys()) == 2
