"""The queue: order, daily limits, re-drills, levels, study days in every zone."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cards.models import (
    LearnerProfile,
    Level,
    Question,
    ReviewKind,
    ReviewSchedule,
    profile_for,
)
from cards.review import queue, services
from tests.factories import make_question, make_schedule, make_user

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # study day 2026-01-05 in UTC
TODAY = date(2026, 1, 5)


def snap(user, now=NOW, levels=()):
    return queue.snapshot(user=user, profile=profile_for(user), now=now, levels=levels)


def answer_next(user, grade, now=NOW, levels=()):
    """Answer whatever the queue shows next; return that card."""
    card = snap(user, now, levels).card
    services.record_review(
        user=user,
        question=Question.objects.get(pk=card.question_id),
        grade=grade,
        version=card.version,
        now=now,
    )
    return card


def walk(user, grade=5, now=NOW, levels=()):
    """Question ids in the order the queue serves them, answering each."""
    order = []
    while (card := snap(user, now, levels).card) is not None:
        order.append((card.question_id, card.kind))
        answer_next(user, grade, now, levels)
        assert len(order) < 100
    return order


def test_empty_bank_has_nothing_to_study(user):
    q = snap(user)
    assert q.card is None and q.left == 0 and q.done == 0 and q.undo_log_id is None


def test_order_is_redrills_then_most_overdue_reviews_then_new_by_level(user):
    advanced = make_question(level=Level.ADVANCED, position=1)
    basic_2 = make_question(level=Level.BASIC, position=2)
    basic_1 = make_question(level=Level.BASIC, position=1)
    inter = make_question(level=Level.INTERMEDIATE, position=1)
    # Overdue by 2 of 2 days (100 %), 5 of 30 (17 %), due today (0 %).
    very = make_schedule(user=user, due_on=TODAY - timedelta(2), interval_days=2)
    little = make_schedule(user=user, due_on=TODAY - timedelta(5), interval_days=30)
    today = make_schedule(user=user, due_on=TODAY, interval_days=1)
    redrill = make_schedule(user=user, due_on=TODAY + timedelta(1), redrill_on=TODAY)
    make_schedule(user=user, due_on=TODAY + timedelta(1))  # not due

    assert walk(user) == [
        (redrill.question_id, ReviewKind.REDRILL),
        (very.question_id, ReviewKind.REVIEW),
        (little.question_id, ReviewKind.REVIEW),
        (today.question_id, ReviewKind.REVIEW),
        (basic_1.pk, ReviewKind.NEW),
        (basic_2.pk, ReviewKind.NEW),
        (inter.pk, ReviewKind.NEW),
        (advanced.pk, ReviewKind.NEW),
    ]


def test_counts_by_kind(user):
    for _ in range(3):
        make_question()
    make_schedule(user=user, due_on=TODAY)
    make_schedule(user=user, due_on=TODAY + timedelta(1), redrill_on=TODAY)
    q = snap(user)
    # make_schedule's questions are started; three more are new.
    assert (q.new_left, q.reviews_left, q.redrills) == (3, 1, 1)
    assert q.left == 5


def test_a_fresh_redrill_waits_while_other_cards_remain(user):
    first, second = make_question(position=1), make_question(position=2)
    answer_next(user, 1)  # Again on the first new card
    q = snap(user)
    assert q.redrills == 1 and q.card.question_id == second.pk
    # After the delay the re-drill jumps the queue.
    later = snap(user, NOW + queue.REDRILL_DELAY)
    assert later.card.question_id == first.pk and later.card.kind == ReviewKind.REDRILL


def test_a_redrill_comes_back_until_known(user):
    make_question()
    answer_next(user, 1)
    # Nothing else left: the waiting re-drill is shown at once.
    assert snap(user).card.kind == ReviewKind.REDRILL
    answer_next(user, 3)  # still below 4
    assert snap(user).card.kind == ReviewKind.REDRILL
    answer_next(user, 4)
    q = snap(user)
    assert q.card is None and q.redrills == 0
    assert (q.new_done, q.redrills_done) == (1, 2)


def test_yesterdays_redrill_is_a_plain_review_today(user):
    schedule = make_schedule(user=user, due_on=TODAY, redrill_on=TODAY - timedelta(1))
    card = snap(user).card
    assert (card.question_id, card.kind) == (schedule.question_id, ReviewKind.REVIEW)


def test_new_card_limit_ends_the_session_and_says_so(user):
    LearnerProfile.objects.filter(user=user).update(new_cards_per_day=2)
    user.refresh_from_db()
    for _ in range(5):
        make_question()
    assert len(walk(user)) == 2
    q = snap(user)
    assert q.card is None and q.is_limited
    assert (q.new_left, q.new_available, q.new_over_limit) == (0, 3, 3)
    # The next study day brings two more.
    tomorrow = snap(user, NOW + timedelta(days=1))
    assert tomorrow.new_left == 2


def test_review_limit_counts_todays_reviews(user):
    LearnerProfile.objects.filter(user=user).update(reviews_per_day=3)
    user.refresh_from_db()
    for n in range(5):
        make_schedule(user=user, due_on=TODAY - timedelta(n))
    assert snap(user).reviews_left == 3
    assert len(walk(user)) == 3
    q = snap(user)
    assert q.card is None and q.reviews_over_limit == 2 and q.reviews_done == 3


def test_redrills_are_not_limited(user):
    LearnerProfile.objects.filter(user=user).update(reviews_per_day=1)
    user.refresh_from_db()
    make_schedule(user=user, due_on=TODAY)
    answer_next(user, 2)
    q = snap(user)
    assert q.reviews_left == 0 and q.card.kind == ReviewKind.REDRILL


def test_undo_gives_the_new_card_allowance_back(user):
    LearnerProfile.objects.filter(user=user).update(new_cards_per_day=1)
    user.refresh_from_db()
    make_question(), make_question()
    answer_next(user, 5)
    assert snap(user).new_left == 0
    services.undo_review(user=user, log_id=snap(user).undo_log_id, now=NOW)
    assert snap(user).new_left == 1


def test_level_restriction_leaves_other_levels_alone(user):
    basic = make_question(level=Level.BASIC)
    advanced = [make_question(level=Level.ADVANCED) for _ in range(2)]
    due_basic = make_schedule(
        user=user, question=make_question(level=Level.BASIC), due_on=TODAY
    )
    before = ReviewSchedule.objects.get(pk=due_basic.pk).version

    order = walk(user, levels=[Level.ADVANCED])
    assert [pk for pk, _ in order] == [q.pk for q in advanced]
    assert not ReviewSchedule.objects.filter(question=basic).exists()
    assert ReviewSchedule.objects.get(pk=due_basic.pk).version == before
    unrestricted = snap(user)
    assert (unrestricted.reviews_left, unrestricted.new_left) == (1, 1)


def test_daily_limits_span_all_levels(user):
    LearnerProfile.objects.filter(user=user).update(new_cards_per_day=1)
    user.refresh_from_db()
    make_question(level=Level.ADVANCED), make_question(level=Level.BASIC)
    walk(user, levels=[Level.ADVANCED])
    assert snap(user, levels=[Level.BASIC]).new_left == 0


def test_retired_questions_leave_the_queue(user):
    make_schedule(user=user, question=make_question(is_active=False), due_on=TODAY)
    make_question(is_active=False)
    assert snap(user).left == 0


def test_other_learners_do_not_count(user, other_user):
    make_schedule(user=other_user, due_on=TODAY)
    make_schedule(user=other_user, due_on=TODAY + timedelta(1), redrill_on=TODAY)
    q = snap(user)
    # other_user's two questions are new for `user`.
    assert (q.reviews_left, q.redrills, q.new_left) == (0, 0, 2)


def test_finish_screen_figures(user):
    make_schedule(user=user, due_on=TODAY + timedelta(1))
    make_schedule(user=user, due_on=TODAY + timedelta(9))
    q = snap(user)
    assert q.next_due_on == TODAY + timedelta(1) and q.due_by_tomorrow == 1


# Study days: in the learner's zone, starting at the rollover hour -----------

ZONES_AND_DAYS = [
    ("Pacific/Kiritimati", date(2026, 6, 1)),  # UTC+14
    ("Etc/GMT+12", date(2026, 6, 1)),  # UTC-12
    ("America/New_York", date(2026, 3, 8)),  # spring forward
    ("America/New_York", date(2026, 11, 1)),  # fall back
    ("Europe/London", date(2026, 3, 29)),
    ("Europe/London", date(2026, 10, 25)),
    ("Australia/Lord_Howe", date(2026, 4, 5)),  # 30-minute DST change
    ("Australia/Lord_Howe", date(2026, 10, 4)),
]


def local(zone, day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(("zone", "day"), ZONES_AND_DAYS)
def test_a_card_is_due_from_the_rollover_of_its_due_day(db, zone, day):
    """Answered Good the evening before `day`, it is due at 04:00 on `day`."""
    user = make_user(time_zone=zone, rollover_hour=4)
    question = make_question()
    evening_before = local(zone, day - timedelta(1), 21)
    log = services.record_review(
        user=user, question=question, grade=4, version=0, now=evening_before
    )
    assert log.study_day == day - timedelta(1) and log.due_after == day

    assert snap(user, local(zone, day, 3, 59)).card is None
    assert snap(user, local(zone, day, 3, 59)).today == day - timedelta(1)
    at_rollover = snap(user, local(zone, day, 4))
    assert at_rollover.today == day
    assert at_rollover.card.question_id == question.pk
    assert at_rollover.card.kind == ReviewKind.REVIEW


@pytest.mark.parametrize(("zone", "day"), ZONES_AND_DAYS)
def test_study_day_never_skips_or_repeats_across_the_change(db, zone, day):
    user = make_user(time_zone=zone, rollover_hour=4)
    profile = profile_for(user)
    start = local(zone, day - timedelta(2), 12).astimezone(UTC)
    days = [profile.study_day(start + timedelta(minutes=15 * n)) for n in range(400)]
    steps = {(b - a).days for a, b in zip(days, days[1:], strict=False)}
    assert steps <= {0, 1}
    assert len(set(days)) == (days[-1] - days[0]).days + 1


@pytest.mark.parametrize("rollover", [0, 23])
def test_rollover_hour_is_the_learners(db, rollover):
    user = make_user(time_zone="Asia/Tokyo", rollover_hour=rollover)
    make_schedule(user=user, due_on=date(2026, 1, 5))
    before = local("Asia/Tokyo", date(2026, 1, 5), rollover) - timedelta(minutes=1)
    assert snap(user, before).card is None
    assert snap(user, before + timedelta(minutes=1)).card is not None
