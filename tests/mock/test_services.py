"""Mock interview writes on the real database: the clock, drafts, hand-ins,
confirmations feeding the schedule, undo and "review these soon"."""

from datetime import timedelta

import pytest

from cards.learner import userdata
from cards.mock import services
from cards.mock.models import MockAnswer, MockInterview
from cards.models import Question, ReviewKind, ReviewLog, ReviewSchedule
from cards.review.conflicts import ReviewConflict
from tests.factories import make_schedule, make_user

KEY = "what-is-a-transformer-architecture-and-why-is-it-important-for-generative-ai"
GOOD = (
    "Self-attention lets every token weigh how relevant every other token is. "
    "It processes all tokens in parallel instead of one at a time like an RNN."
)


@pytest.fixture
def learner(questions):
    return make_user(username="mocker")


def today_of(user, clock):
    return user.profile.study_day(clock.now)


def only(question_key: str) -> Question:
    question = Question.objects.get(key=question_key)
    Question.objects.exclude(pk=question.pk).update(is_active=False)
    return question


def start(user, clock, **kwargs):
    return services.start_mock(user=user, now=clock.now, seed=3, **kwargs)


def answers(mock):
    return list(mock.answers.select_related("question").order_by("position"))


def test_start_asks_six_questions_with_limits_by_level_and_starts_the_first_clock(
    learner, clock
):
    mock = start(learner, clock)
    items = answers(mock)
    assert len(items) == 6 and len({i.question_id for i in items}) == 6
    limits = {1: 90, 2: 150, 3: 240}
    assert all(i.time_limit_s == limits[i.question.level] for i in items)
    assert items[0].started_at == clock.now
    assert items[0].deadline == clock.now + timedelta(seconds=items[0].time_limit_s)
    assert all(i.started_at is None for i in items[1:])
    assert mock.study_day == today_of(learner, clock) and not mock.is_finished


def test_start_keeps_to_the_chosen_levels_and_time(learner, clock):
    mock = start(learner, clock, count=3, levels=(2,), seconds=60)
    items = answers(mock)
    assert {i.question.level for i in items} == {2}
    assert {i.time_limit_s for i in items} == {60}
    assert mock.levels == [2]


def test_start_with_nothing_to_ask_writes_nothing(learner, clock):
    Question.objects.update(is_active=False)
    with pytest.raises(services.MockConflict):
        start(learner, clock)
    assert not MockInterview.objects.exists()


def test_start_weights_towards_what_the_learner_is_least_likely_to_recall(
    learner, clock
):
    today = today_of(learner, clock)
    known = list(Question.objects.all()[:6])
    for q in known:  # reviewed today with a long interval: recall near 1
        make_schedule(
            user=learner,
            question=q,
            due_on=today + timedelta(days=200),
            interval_days=200,
            repetitions=5,
        )
    ReviewSchedule.objects.filter(user=learner).update(last_reviewed_at=clock.now)
    pool = services.candidates(learner, levels=(), today=today)
    recall = {c.id: c.recall for c in pool}
    assert all(recall[q.pk] > 0.95 for q in known)
    assert all(r == 0 for q, r in recall.items() if q not in {k.pk for k in known})
    unknown = Question.objects.count() - len(known)
    picked_known = 0
    for seed in range(30):
        mock = services.start_mock(
            user=learner, now=clock.now, count=unknown, seed=seed
        )
        picked_known += sum(
            i.question_id in recall and recall[i.question_id] > 0.9
            for i in answers(mock)
        )
    # Each known question weighs 0.05 against 1 for one never answered: per
    # question, the unknown ones come up far more often.
    picked_unknown = 30 * unknown - picked_known
    assert picked_unknown / unknown > 5 * picked_known / len(known)


def test_draft_is_kept_and_a_reload_keeps_the_clock(learner, clock):
    mock = start(learner, clock)
    first = answers(mock)[0]
    clock.shift(seconds=20)
    services.save_draft(
        mock=mock, answer_id=first.pk, text="Attention is", now=clock.now
    )
    first.refresh_from_db()
    assert first.draft == "Attention is" and first.draft_saved_at == clock.now
    assert services.current(mock).deadline == first.deadline  # not restarted


def test_hand_in_on_time_checks_the_key_points_and_starts_the_next_clock(
    learner, clock
):
    question = only(KEY)
    Question.objects.filter(level=question.level).update(is_active=True)
    mock = start(learner, clock, count=2)
    first, second = answers(mock)
    clock.shift(seconds=first.time_limit_s + 5)  # exactly at the grace: on time
    services.hand_in(
        mock=mock, answer_id=first.pk, text=GOOD, now=clock.now, confidence=3
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_submitted and not first.is_late and first.confidence == 3
    assert first.text == GOOD and first.points and first.score is not None
    assert second.started_at == clock.now
    assert services.current(mock).pk == second.pk


def test_hand_in_after_the_grace_is_kept_and_marked_late(learner, clock):
    mock = start(learner, clock, count=1)
    item = answers(mock)[0]
    clock.shift(seconds=item.time_limit_s + 5.5)
    services.hand_in(mock=mock, answer_id=item.pk, text="Late words", now=clock.now)
    item.refresh_from_db()
    mock.refresh_from_db()
    assert item.is_late and item.text == "Late words"
    assert mock.finished_at == clock.now


def test_a_second_hand_in_of_the_same_answer_is_refused(learner, clock):
    """Two tabs: the first hand-in wins, the second changes nothing."""
    mock = start(learner, clock, count=2)
    first = answers(mock)[0]
    services.hand_in(mock=mock, answer_id=first.pk, text="tab one", now=clock.now)
    with pytest.raises(services.MockConflict):
        services.hand_in(mock=mock, answer_id=first.pk, text="tab two", now=clock.now)
    with pytest.raises(services.MockConflict):
        services.save_draft(
            mock=mock, answer_id=first.pk, text="tab two", now=clock.now
        )
    first.refresh_from_db()
    assert first.text == "tab one"


def test_an_empty_answer_scores_zero_and_misses_every_point(learner, clock):
    only(KEY)
    mock = start(learner, clock, count=1)
    item = answers(mock)[0]
    services.hand_in(mock=mock, answer_id=item.pk, text="  ", now=clock.now)
    item.refresh_from_db()
    assert item.score == 0 and item.suggested_grade == 1
    assert item.points and not any(covered for _, covered in item.points)


def finished(user, clock, text="", count=1):
    mock = start(user, clock, count=count)
    for item in answers(mock):
        clock.shift(seconds=30)
        services.hand_in(mock=mock, answer_id=item.pk, text=text, now=clock.now)
    mock.refresh_from_db()
    return mock


def test_confirming_before_the_end_is_refused(learner, clock):
    mock = start(learner, clock, count=2)
    with pytest.raises(services.MockConflict):
        services.confirm(
            user=learner,
            mock=mock,
            answer_id=answers(mock)[0].pk,
            grade=4,
            now=clock.now,
        )
    assert not ReviewLog.objects.exists()


def test_a_confirmed_answer_is_logged_as_mock_with_text_score_time_confidence(
    learner, clock
):
    only(KEY)
    mock = start(learner, clock, count=1)
    item = answers(mock)[0]
    clock.shift(seconds=42)
    services.hand_in(
        mock=mock, answer_id=item.pk, text=GOOD, now=clock.now, confidence=2
    )
    mock.refresh_from_db()
    services.confirm(user=learner, mock=mock, answer_id=item.pk, grade=4, now=clock.now)
    log = ReviewLog.objects.get()
    item.refresh_from_db()
    assert item.review_log == log and item.grade == 4
    assert log.kind == ReviewKind.MOCK and log.grade == 4
    assert log.typed_answer == GOOD and log.answer_score == item.score
    assert log.duration_ms == 42_000 and log.confidence == 2
    with pytest.raises(services.MockConflict):  # once
        services.confirm(
            user=learner, mock=mock, answer_id=item.pk, grade=5, now=clock.now
        )


def test_a_failed_mock_answer_is_a_lapse_due_tomorrow_without_a_redrill(learner, clock):
    question = only(KEY)
    today = today_of(learner, clock)
    schedule = make_schedule(
        user=learner, question=question, due_on=today, interval_days=20, repetitions=4
    )
    mock = finished(learner, clock)
    services.confirm(
        user=learner, mock=mock, answer_id=answers(mock)[0].pk, grade=1, now=clock.now
    )
    schedule.refresh_from_db()
    assert schedule.lapses == 1 and schedule.interval_days == 1
    assert schedule.due_on == today + timedelta(days=1)
    assert schedule.redrill_on is None  # a due card too: no same-day re-drill


@pytest.mark.parametrize("due_in", [0, 10])
def test_a_good_mock_answer_never_lengthens_the_interval(learner, clock, due_in):
    question = only(KEY)
    today = today_of(learner, clock)
    schedule = make_schedule(
        user=learner,
        question=question,
        due_on=today + timedelta(days=due_in),
        interval_days=20,
        repetitions=4,
    )
    before = (schedule.state, schedule.due_on, schedule.interval_days)
    mock = finished(learner, clock, text=GOOD)
    services.confirm(
        user=learner, mock=mock, answer_id=answers(mock)[0].pk, grade=5, now=clock.now
    )
    schedule.refresh_from_db()
    assert (schedule.state, schedule.due_on, schedule.interval_days) == before
    assert ReviewLog.objects.get().kind == ReviewKind.MOCK


def test_a_first_ever_answer_in_a_mock_starts_the_schedule_without_a_redrill(
    learner, clock
):
    question = only(KEY)
    mock = finished(learner, clock)
    services.confirm(
        user=learner, mock=mock, answer_id=answers(mock)[0].pk, grade=1, now=clock.now
    )
    schedule = ReviewSchedule.objects.get(user=learner, question=question)
    assert schedule.redrill_on is None
    assert schedule.due_on == today_of(learner, clock) + timedelta(days=1)


def test_undo_restores_the_schedule_exactly_and_allows_another_grade(learner, clock):
    question = only(KEY)
    today = today_of(learner, clock)
    schedule = make_schedule(
        user=learner, question=question, due_on=today, interval_days=20, repetitions=4
    )
    columns = ["state", "due_on", "lapses", "redrill_on", "version", "interval_days"]
    before = ReviewSchedule.objects.filter(pk=schedule.pk).values(*columns).get()
    mock = finished(learner, clock)
    item = answers(mock)[0]
    services.confirm(user=learner, mock=mock, answer_id=item.pk, grade=1, now=clock.now)
    services.undo_confirm(user=learner, mock=mock, answer_id=item.pk, now=clock.now)
    assert (
        ReviewSchedule.objects.filter(pk=schedule.pk).values(*columns).get() == before
    )
    assert not ReviewLog.objects.exists()
    item.refresh_from_db()
    assert item.grade is None and item.review_log is None
    services.confirm(user=learner, mock=mock, answer_id=item.pk, grade=4, now=clock.now)
    services.undo_confirm(user=learner, mock=mock, answer_id=item.pk, now=clock.now)
    with pytest.raises(services.MockConflict):  # nothing left to undo
        services.undo_confirm(user=learner, mock=mock, answer_id=item.pk, now=clock.now)


def test_undo_on_another_day_is_refused_and_changes_nothing(learner, clock):
    only(KEY)
    mock = finished(learner, clock)
    item = answers(mock)[0]
    services.confirm(user=learner, mock=mock, answer_id=item.pk, grade=1, now=clock.now)
    clock.shift(days=1)
    with pytest.raises(ReviewConflict):
        services.undo_confirm(user=learner, mock=mock, answer_id=item.pk, now=clock.now)
    item.refresh_from_db()
    assert item.grade == 1 and ReviewLog.objects.count() == 1


def test_review_soon_confirms_weak_answers_and_brings_them_forward(learner, clock):
    today = today_of(learner, clock)
    mock = finished(learner, clock, count=3)
    items = answers(mock)
    far = today + timedelta(days=60)
    for item in items:
        make_schedule(
            user=learner, question=item.question, due_on=far, interval_days=60
        )
    # The first is confirmed Good by the learner: not weak, left alone.
    services.confirm(
        user=learner, mock=mock, answer_id=items[0].pk, grade=4, now=clock.now
    )
    weak = services.review_soon(user=learner, mock=mock, now=clock.now)
    assert {w.pk for w in weak} == {items[1].pk, items[2].pk}
    dues = dict(
        ReviewSchedule.objects.filter(user=learner).values_list("question_id", "due_on")
    )
    assert dues[items[0].question_id] == far
    assert all(dues[w.question_id] == today + timedelta(days=1) for w in weak)
    assert MockAnswer.objects.filter(mock=mock, grade=None).count() == 0
    mock.refresh_from_db()
    assert mock.soon_at == clock.now


def test_deleting_the_account_removes_its_mock_interviews(learner, clock):
    only(KEY)
    mock = finished(learner, clock, text=GOOD)
    services.confirm(
        user=learner, mock=mock, answer_id=answers(mock)[0].pk, grade=4, now=clock.now
    )
    other = make_user(username="other")
    kept = start(other, clock, count=1)
    userdata.delete_account(user=learner)
    assert list(MockInterview.objects.all()) == [kept]
    assert MockAnswer.objects.filter(mock__user_id=learner.pk).count() == 0


def test_undoing_from_the_review_screen_unconfirms_the_mock_answer(learner, clock):
    from cards.review import services as review_services

    only(KEY)
    mock = finished(learner, clock)
    item = answers(mock)[0]
    services.confirm(user=learner, mock=mock, answer_id=item.pk, grade=1, now=clock.now)
    review_services.undo_review(
        user=learner, log_id=ReviewLog.objects.get().pk, now=clock.now
    )
    item.refresh_from_db()
    assert not item.is_confirmed
    services.confirm(user=learner, mock=mock, answer_id=item.pk, grade=4, now=clock.now)
    assert ReviewLog.objects.get().grade == 4
