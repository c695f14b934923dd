"""The per-day rollup (cards_studyday) always equals the GROUP BY over the log.

A state machine grades (review, drill and mock flows, typed or not), undoes,
moves the clock across study days, imports one learner's exported data into a
new account and deletes accounts; after every step the rollup is compared with
the aggregate the progress page used to run over cards_reviewlog (spelled here
with the ORM, independently of cards/progress/rollup.py). Run it on both
databases (DATABASE_URL=postgres://... for PostgreSQL).
"""

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from cards.models import ReviewKind, ReviewLog, ReviewSchedule, StudyDay
from cards.progress import rollup
from cards.review import services
from tests.factories import make_question, make_user

START = datetime(2026, 3, 6, 12, tzinfo=UTC)
PASS = 3


def log_group_by(user_ids) -> dict:
    passed = Q(grade__gte=PASS)
    rows = (
        ReviewLog.objects.filter(user_id__in=user_ids)
        .values("user_id", "study_day")
        .annotate(
            reviews=Count("id"),
            new=Count("id", filter=Q(kind=ReviewKind.NEW)),
            again=Count("id", filter=Q(grade__lt=PASS)),
            hard=Count("id", filter=Q(grade=3)),
            good=Count("id", filter=Q(grade=4)),
            easy=Count("id", filter=Q(grade=5)),
            scheduled=Count("id", filter=Q(kind=ReviewKind.REVIEW)),
            passed=Count("id", filter=Q(kind=ReviewKind.REVIEW) & passed),
            ms=Coalesce(Sum("duration_ms"), 0),
        )
        .order_by()
    )
    return {(r.pop("user_id"), r.pop("study_day")): r for r in rows}


def rollup_rows(user_ids) -> dict:
    rows = StudyDay.objects.filter(user_id__in=user_ids)
    out = {}
    for r in rows:
        counts = {c: getattr(r, c) for c in rollup.COUNTERS}
        if r.reviews == 0:  # a day whose answers were all undone
            assert set(counts.values()) == {0}, counts
            continue
        out[(r.user_id, r.study_day)] = counts
    return out


class RollupMachine(RuleBasedStateMachine):
    learners = Bundle("learners")

    def __init__(self):
        super().__init__()
        self.now = START
        self.questions = [make_question() for _ in range(3)]
        self.ids: set[int] = set()  # every learner this run made (deleted too)

    def _new_learner(self, **kwargs):
        user = make_user(**kwargs)
        self.ids.add(user.pk)
        return user

    @rule(
        target=learners,
        zone=st.sampled_from(["UTC", "America/New_York", "Asia/Kolkata"]),
    )
    def sign_up(self, zone):
        return self._new_learner(time_zone=zone, rollover_hour=4)

    @rule(
        user=learners,
        q=st.integers(0, 2),
        grade=st.integers(0, 5),
        flow=st.sampled_from(["review", "drill", "mock"]),
        ms=st.one_of(st.none(), st.integers(0, 20 * 60 * 1000)),
        typed=st.booleans(),
    )
    def grade(self, user, q, grade, flow, ms, typed):
        question = self.questions[q]
        schedule = ReviewSchedule.objects.filter(user=user, question=question).first()
        answer = services.TypedAnswer("typed", 0.5, 3) if typed else None
        # Not due, not today, gone: a refused answer writes nothing.
        with contextlib.suppress(services.ReviewConflict):
            services.record_review(
                user=user,
                question=question,
                grade=grade,
                version=schedule.version if schedule else 0,
                now=self.now,
                duration_ms=ms,
                flow=flow,
                typed=answer,
            )

    @rule(user=learners, pick=st.integers(0, 3))
    def undo(self, user, pick):
        logs = list(ReviewLog.objects.filter(user=user).order_by("-id")[:4])
        if not logs:
            return
        with contextlib.suppress(services.ReviewConflict):
            services.undo_review(
                user=user, log_id=logs[pick % len(logs)].pk, now=self.now
            )

    @rule(hours=st.sampled_from([1, 5, 16, 24, 49]))
    def wait(self, hours):
        self.now += timedelta(hours=hours)

    @rule(target=learners, source=learners)
    def import_into_new_account(self, source):
        from cards.learner import userdata

        blob = b"".join(userdata.export_stream(user=source))
        fresh = self._new_learner()
        userdata.import_user_data(
            user=fresh, data=userdata.parse_user_data(blob), now=self.now
        )
        return fresh

    @rule(user=consumes(learners))
    def delete_account(self, user):
        from cards.learner import userdata

        userdata.delete_account(user=user)

    @invariant()
    def rollup_equals_the_log(self):
        assert rollup_rows(self.ids) == log_group_by(self.ids)


@pytest.mark.django_db
def test_rollup_equals_the_group_by_over_the_log_after_any_sequence(clock):
    run_state_machine_as_test(
        RollupMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
