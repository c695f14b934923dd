"""The writes of a mock interview: start, save a draft, hand in, confirm, undo.

Every write takes `now`; the deadline is the server's. Answers reach the
schedule only when the learner confirms a grade in the debrief, through the
one grading service (flow "mock": the rule for answers off the schedule).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cards import scheduling
from cards.mock import plan
from cards.mock.models import MockAnswer, MockInterview
from cards.models import LearnerTopic, Question, ReviewSchedule, Topic, profile_for
from cards.review import answer, services, typed
from cards.review.conflicts import ReviewConflict
from cards.review.services import TypedAnswer

GOOD = 4  # an answer confirmed below Good is weak


class MockConflict(Exception):
    """The mock is not in the state the page showed (409 for the views)."""


NOTHING_TO_ASK = "No active questions match that choice: choose other levels or topics."
HANDED_IN = (
    "That answer was already handed in (perhaps in another tab); "
    "here is where the interview is now."
)
NOT_FINISHED = "Finish the interview first: grades are confirmed in the debrief."
CONFIRMED = "That grade was already confirmed; undo it first to change it."
NOT_CONFIRMED = "That answer has no confirmed grade to undo."


def studied_questions(user: AbstractBaseUser):
    """Active questions of the topics the learner studies: no opt-in topic
    unless chosen, none the learner chose to skip (cards/bank LearnerTopic)."""
    choices = dict(
        LearnerTopic.objects.filter(user=user).values_list("topic_id", "is_studied")
    )
    skipped = [t for t, studied in choices.items() if not studied]
    opt_in = Topic.objects.filter(is_opt_in=True).exclude(
        pk__in=[t for t, studied in choices.items() if studied]
    )
    return (
        Question.objects.active().exclude(topics__in=opt_in).exclude(topics__in=skipped)
    )


def studied_topics(user: AbstractBaseUser) -> list[tuple[str, str]]:
    """(slug, name) of the topics the learner studies, in the bank's order."""
    choices = dict(
        LearnerTopic.objects.filter(user=user).values_list("topic_id", "is_studied")
    )
    return [
        (t.slug, t.name)
        for t in Topic.objects.all()
        if choices.get(t.pk, not t.is_opt_in)
    ]


def candidates(
    user: AbstractBaseUser,
    *,
    levels: Sequence[int],
    today: date,
    topics: Sequence[str] = (),
) -> list[plan.Candidate]:
    """The studied questions of `levels` and `topics` (slugs; all when empty),
    with today's recall and their topic names."""
    questions = studied_questions(user)
    if levels:
        questions = questions.filter(level__in=levels)
    if topics:
        questions = questions.filter(topics__slug__in=topics)
    rows = list(questions.values_list("id", "level").distinct())
    names: dict[int, list[str]] = {}
    for qid, name in Question.topics.through.objects.filter(
        question_id__in=[q for q, _ in rows]
    ).values_list("question_id", "topic__name"):
        names.setdefault(qid, []).append(name)
    profile = profile_for(user)
    recall: dict[int, float] = {}
    schedules = ReviewSchedule.objects.filter(
        user=user, question_id__in=[q for q, _ in rows]
    ).only("question_id", "scheduler", "state", "last_reviewed_at")
    for s in schedules:
        if s.last_reviewed_at is None:
            continue
        reviewed_on = min(profile.study_day(s.last_reviewed_at), today)
        owner = scheduling.configured(s.scheduler, desired_retention=profile.retention)
        recall[s.question_id] = owner.recall_probability(
            s.as_state(), today, reviewed_on=reviewed_on
        )
    return [
        plan.Candidate(q, level, recall.get(q, 0.0), tuple(sorted(names.get(q, ()))))
        for q, level in rows
    ]


def _start_clock(item: MockAnswer, now: datetime) -> None:
    item.started_at = now
    item.deadline = now + timedelta(seconds=item.time_limit_s)


@transaction.atomic
def start_mock(
    *,
    user: AbstractBaseUser,
    now: datetime,
    count: int = plan.DEFAULT_COUNT,
    levels: Sequence[int] = (),
    topics: Sequence[str] = (),
    seconds: int | None = None,
    seed: int | None = None,
) -> MockInterview:
    """A new mock of `count` questions; the first question's clock starts now."""
    today = profile_for(user).study_day(now)
    pool = candidates(user, levels=levels, today=today, topics=topics)
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    chosen = plan.pick(pool, count=count, seed=seed)
    if not chosen:
        raise MockConflict(NOTHING_TO_ASK)
    mock = MockInterview.objects.create(
        user=user,
        started_at=now,
        study_day=today,
        levels=sorted(levels),
        topics=sorted(topics),
    )
    items = [
        MockAnswer(
            mock=mock,
            question_id=c.id,
            position=i,
            time_limit_s=plan.time_limit(c.level, override=seconds),
        )
        for i, c in enumerate(chosen)
    ]
    _start_clock(items[0], now)
    MockAnswer.objects.bulk_create(items)
    return mock


def current(mock: MockInterview) -> MockAnswer | None:
    """The question being answered: the first not handed in (None: finished)."""
    return mock.answers.filter(submitted_at=None).order_by("position").first()


def _locked(mock: MockInterview, answer_id: int) -> MockAnswer:
    MockInterview.objects.select_for_update().filter(pk=mock.pk).first()
    item = (
        MockAnswer.objects.select_for_update()
        .select_related("question")
        .filter(mock=mock, pk=answer_id)
        .first()
    )
    if item is None or item.is_submitted or item.started_at is None:
        raise MockConflict(HANDED_IN)
    return item


@transaction.atomic
def save_draft(
    *, mock: MockInterview, answer_id: int, text: str, now: datetime
) -> MockAnswer:
    """Keep what the learner has typed so far (a reload or a second tab finds it)."""
    item = _locked(mock, answer_id)
    item.draft = text
    item.draft_saved_at = now
    item.save(update_fields=["draft", "draft_saved_at"])
    return item


def _verdict(
    question: Question, text: str
) -> tuple[list, list, float | None, int | None]:
    points = typed.points_of(question)
    if not points:
        return [], [], None, None
    if not text.strip():
        shown = [[p.statement, False] for p in points if not p.is_misconception]
        return shown, [p.id for p in points if not p.is_misconception], 0.0, 1
    verdict = typed.check_answer(question, text, points)
    kept = typed.typed_answer(text, verdict)
    shown = [[r.point.statement, r.covered] for r in verdict.points]
    return shown, list(kept.missed), kept.score, kept.suggested_grade


@transaction.atomic
def hand_in(
    *,
    mock: MockInterview,
    answer_id: int,
    text: str,
    now: datetime,
    confidence: int | None = None,
) -> MockAnswer:
    """Hand in the current answer (late if after the deadline and the grace),
    check it against the key points, and start the next question's clock."""
    item = _locked(mock, answer_id)
    item.text = item.draft = text
    item.draft_saved_at = item.submitted_at = now
    item.is_late = plan.is_late(received=now, deadline=item.deadline)
    item.confidence = confidence
    item.points, item.missed_points, item.score, item.suggested_grade = _verdict(
        item.question, text
    )
    item.save()
    following = (
        mock.answers.filter(submitted_at=None, position__gt=item.position)
        .order_by("position")
        .first()
    )
    if following is None:
        mock.finished_at = now
        mock.save(update_fields=["finished_at"])
    else:
        _start_clock(following, now)
        following.save(update_fields=["started_at", "deadline"])
    return item


def _finished_item(mock: MockInterview, answer_id: int) -> MockAnswer:
    if not mock.is_finished:
        raise MockConflict(NOT_FINISHED)
    item = (
        MockAnswer.objects.select_for_update()
        .select_related("question")
        .filter(mock=mock, pk=answer_id)
        .first()
    )
    if item is None:
        raise MockConflict(HANDED_IN)
    return item


@transaction.atomic
def confirm(
    *,
    user: AbstractBaseUser,
    mock: MockInterview,
    answer_id: int,
    grade: int,
    now: datetime,
) -> MockAnswer:
    """Log the answer with the grade the learner confirmed (kind "mock")."""
    item = _finished_item(mock, answer_id)
    if item.is_confirmed:
        raise MockConflict(CONFIRMED)
    schedule = ReviewSchedule.objects.filter(user=user, question=item.question).first()
    log = services.record_review(
        user=user,
        question=item.question,
        grade=grade,
        version=schedule.version if schedule else 0,
        now=now,
        duration_ms=item.used_ms,
        flow=answer.Flow.MOCK,
        typed=TypedAnswer(
            text=item.text,
            score=item.score,
            suggested_grade=item.suggested_grade,
            missed=tuple(item.missed_points),
        ),
        confidence=item.confidence,
    )
    item.grade, item.review_log = grade, log
    item.save(update_fields=["grade", "review_log"])
    return item


@transaction.atomic
def undo_confirm(
    *, user: AbstractBaseUser, mock: MockInterview, answer_id: int, now: datetime
) -> MockAnswer:
    """Take a confirmation back: the log row goes, the schedule is restored."""
    item = _finished_item(mock, answer_id)
    if item.review_log_id is None:
        raise MockConflict(NOT_CONFIRMED)
    services.undo_review(user=user, log_id=item.review_log_id, now=now)
    item.grade, item.review_log = None, None
    item.save(update_fields=["grade", "review_log"])
    return item


def is_weak(item: MockAnswer) -> bool:
    if item.is_confirmed:
        return item.grade < GOOD
    return (item.score or 0.0) < plan.GOOD_SCORE


@transaction.atomic
def review_soon(
    *, user: AbstractBaseUser, mock: MockInterview, now: datetime
) -> list[MockAnswer]:
    """The one click of the debrief: confirm each weak answer not yet confirmed
    with its suggested grade, then bring every weak question forward so that it
    is due tomorrow at the latest (never later than it was)."""
    if not mock.is_finished:
        raise MockConflict(NOT_FINISHED)
    MockInterview.objects.select_for_update().filter(pk=mock.pk).first()
    weak = [i for i in mock.answers.select_related("question") if is_weak(i)]
    for item in weak:
        if not item.is_confirmed:
            try:
                confirm(
                    user=user,
                    mock=mock,
                    answer_id=item.pk,
                    grade=item.suggested_grade
                    if item.suggested_grade is not None
                    else 1,
                    now=now,
                )
            except ReviewConflict:
                continue  # a retired question: nothing to schedule
    tomorrow = profile_for(user).study_day(now) + timedelta(days=1)
    ReviewSchedule.objects.filter(
        user=user,
        question_id__in=[i.question_id for i in weak],
        due_on__gt=tomorrow,
    ).update(due_on=tomorrow)
    mock.soon_at = now
    mock.save(update_fields=["soon_at"])
    return weak
