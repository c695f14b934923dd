"""Bad input to the review endpoints: a clear 400, nothing written, never a 500."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cards.models import ReviewLog, ReviewSchedule
from tests.factories import make_question, make_schedule

HTMX = {"HX-Request": "true"}

NON_CANONICAL_GRADES = [
    "", "-1", "6", "3.0", "0x3", "1e1", "٣", "-0", " 3", "3 ", "3\n", "\n3", "33",
    "+3", "３",
]  # fmt: skip


def rows():
    return ReviewLog.objects.count(), ReviewSchedule.objects.count()


@pytest.fixture
def question(db):
    return make_question()


def post_grade(client, question, data, htmx=True):
    return client.post(
        reverse("cards:grade", args=[question.pk]),
        data,
        headers=HTMX if htmx else {},
    )


@pytest.mark.parametrize("grade", NON_CANONICAL_GRADES)
def test_non_canonical_grade_is_400(logged_in_client, question, grade):
    r = post_grade(logged_in_client, question, {"grade": grade, "version": "0"})
    assert r.status_code == 400
    assert rows() == (0, 0)


def test_missing_grade_says_so(logged_in_client, question):
    r = post_grade(logged_in_client, question, {"version": "0"})
    assert r.status_code == 400 and "Choose a grade." in r.text
    # htmx shows it in the flash area rather than replacing the card.
    assert r.headers["HX-Retarget"] == "#flash"
    assert r.text.startswith('<div id="flash"') and "hidden" not in r.text


def test_grade_outside_the_learners_scale_is_400(logged_in_client, question):
    # The four-button scale has grades 1, 3, 4 and 5 only.
    r = post_grade(logged_in_client, question, {"grade": "2", "version": "0"})
    assert r.status_code == 400 and "not one of your buttons" in r.text
    assert rows() == (0, 0)


@pytest.mark.parametrize(
    "version", ["", "-1", "abc", "1.0", str(2**63), "9" * 10, " 0", "0\x00", "00", "01"]
)
def test_malformed_version_is_400(logged_in_client, question, version):
    r = post_grade(logged_in_client, question, {"grade": "4", "version": version})
    assert r.status_code == 400
    assert rows() == (0, 0)


@pytest.mark.parametrize(
    "extra", [{"shown_at": "soon"}, {"shown_at": "-5"}, {"level": "9"}]
)
def test_malformed_optional_fields_are_400(logged_in_client, question, extra):
    r = post_grade(logged_in_client, question, {"grade": "4", "version": "0", **extra})
    assert r.status_code == 400
    assert rows() == (0, 0)


def test_bad_input_without_htmx_is_a_full_page_400(logged_in_client, question):
    r = post_grade(logged_in_client, question, {"grade": "9", "version": "0"}, False)
    assert r.status_code == 400 and "<html" in r.text
    assert "A grade is a single digit from 0 to 5." in r.text


@pytest.mark.parametrize(
    "query", [{}, {"version": "x"}, {"version": "0", "level": "0"}]
)
def test_reveal_with_a_bad_query_is_400(logged_in_client, question, query):
    r = logged_in_client.get(reverse("cards:reveal", args=[question.pk]), query)
    assert r.status_code == 400


@pytest.mark.parametrize("query", [{"level": "4"}, {"level": "x"}, {"card": "-1"}])
def test_review_with_a_bad_query_is_400(logged_in_client, question, query):
    r = logged_in_client.get(reverse("cards:review"), query)
    assert r.status_code == 400 and "<html" in r.text


@pytest.mark.parametrize("log", ["", "x", "-1", "1" * 19])
def test_undo_with_a_bad_id_is_400(logged_in_client, log):
    r = logged_in_client.post(reverse("cards:undo"), {"log": log}, headers=HTMX)
    assert r.status_code == 400


def test_card_query_for_a_card_not_due_falls_back_to_the_queue(logged_in_client, user):
    later = make_schedule(user=user, due_on="2999-01-01")
    shown = make_question()
    r = logged_in_client.get(reverse("cards:review"), {"card": later.question_id})
    assert r.status_code == 200
    assert reverse("cards:reveal", args=[shown.pk]) in r.text


def test_oversized_body_is_400(logged_in_client, question):
    r = post_grade(
        logged_in_client,
        question,
        {"grade": "4", "version": "0", "pad": "x" * 3_000_000},
    )
    assert r.status_code == 400 and rows() == (0, 0)


def test_too_many_fields_is_400(logged_in_client, question):
    data = {f"f{n}": "1" for n in range(1_200)} | {"grade": "4", "version": "0"}
    r = post_grade(logged_in_client, question, data)
    assert r.status_code == 400 and rows() == (0, 0)


def test_get_requests_write_nothing(logged_in_client, user):
    schedule = make_schedule(user=user, due_on="2000-01-01")
    before = rows()
    logged_in_client.get(reverse("cards:review"))
    logged_in_client.get(
        reverse("cards:reveal", args=[schedule.question_id]),
        {"version": schedule.version},
    )
    logged_in_client.get(reverse("cards:settings"))
    assert rows() == before


_text = st.text(max_size=12)


def _is_canonical_number(text, *, max_digits):
    return (
        text.isascii()
        and text.isdigit()
        and text == str(int(text))
        and len(text) <= max_digits
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.dictionaries(
        st.sampled_from(["grade", "version", "shown_at", "level", "other"]),
        st.one_of(_text, st.integers(-(2**70), 2**70).map(str)),
        max_size=5,
    )
)
@example(data={"grade": "4", "version": "00"})
@example(data={"grade": "4", "version": "0", "shown_at": "007"})
@example(data={"grade": "4", "version": "0", "shown_at": "123"})
def test_random_bodies_never_fail_or_write_unless_canonical(
    logged_in_client, question, data
):
    ReviewLog.objects.all().delete()
    ReviewSchedule.objects.all().delete()
    r = post_grade(logged_in_client, question, data)
    assert r.status_code in (200, 400, 409)
    canonical = (
        data.get("grade") in {"1", "3", "4", "5"}
        and data.get("version") == "0"
        and _is_canonical_number(data.get("shown_at", "1"), max_digits=15)
        and data.get("level", "1") in {"1", "2", "3"}
    )
    assert (r.status_code == 200) == canonical
    assert rows() == ((1, 1) if canonical else (0, 0))
