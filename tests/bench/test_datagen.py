"""The benchmark data generator (scale XS): counts, constraints, real SM-2 states."""

from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from bench import datagen, simulate, writers
from cards.models import LearnerProfile, Question, ReviewLog, ReviewSchedule, StudyDay
from cards.review import services
from cards.scheduling import sm2
from tests.factories import make_user

XS = simulate.SCALES["XS"]
SM2 = sm2.SM2()


@pytest.fixture
def generated(db):
    return datagen.generate(scale="XS", seed=3, log=lambda _: None)


def test_generator_writes_the_scale_counts(generated):
    counts = generated.counts
    assert counts["learners"] == XS.learners + 2
    regular = ReviewSchedule.objects.exclude(
        user__username__in=["bench-heavy", "bench-tenth"]
    )
    assert regular.count() == XS.learners * XS.questions
    assert counts["review_logs"] == ReviewLog.objects.count() > counts["schedules"]
    assert counts["heavy_learner_reviews"] >= XS.heavy_min_reviews
    assert datagen.is_bench() and datagen.meta()["scale"] == "XS"


def test_generated_versions_are_unique_and_gapless_per_schedule(generated):
    duplicates = (
        ReviewLog.objects.values("schedule_id", "from_version")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()
    versions = defaultdict(list)
    for schedule_id, v in ReviewLog.objects.values_list("schedule_id", "from_version"):
        versions[schedule_id].append(v)
    for schedule in ReviewSchedule.objects.all():
        assert sorted(versions[schedule.pk]) == list(range(schedule.version))


def test_generated_history_replays_through_the_real_scheduler(generated):
    """Each log's after-state is next_state(before, grade), logs chain, the
    schedule holds the last after-state, and study days follow the profile."""
    profiles = {p.user_id: p for p in LearnerProfile.objects.all()}
    last = {}
    for log in ReviewLog.objects.order_by("schedule_id", "from_version"):
        assert log.scheduler == "sm2"
        before, after = SM2.loads(log.state_before), SM2.loads(log.state_after)
        if log.kind == "redrill":
            assert after == before and log.redrill_before == log.study_day
        else:
            assert after == sm2.next_state(before, grade=log.grade)
            assert (log.due_after - log.study_day).days == after.interval_days
        assert profiles[log.user_id].study_day(log.reviewed_at) == log.study_day
        previous = last.get(log.schedule_id)
        if previous is not None:
            assert previous.state_after == log.state_before
            assert previous.due_after == log.due_before
        last[log.schedule_id] = log
    for schedule in ReviewSchedule.objects.all():
        final = last[schedule.pk]
        assert (schedule.state, schedule.due_on) == (final.state_after, final.due_after)
        state = schedule.as_state()
        assert (schedule.repetitions, schedule.interval_days, schedule.ease) == (
            state.repetitions,
            state.interval_days,
            state.ease,
        )


def test_fresh_learners_skips_learners_graded_or_reconfigured_since(generated, clock):
    first, second, third = datagen.fresh_learners(3)
    clock.shift(seconds=1)  # what follows happens after the generation
    assert (first, second) == ("bench-u00001", "bench-u00002")
    learner = get_user_model().objects.get(username=first)
    new_card = Question.objects.exclude(schedules__user=learner).first()
    services.record_review(
        user=learner, question=new_card, grade=4, version=0, now=clock.now
    )
    LearnerProfile.objects.filter(user__username=second).update(
        new_cards_per_day=500, updated_at=clock.now
    )
    assert datagen.fresh_learners(2) == [third, "bench-u00004"]


def test_generator_refuses_a_database_with_other_data(db):
    make_user(username="alice")
    with pytest.raises(datagen.NotABenchDatabase):
        datagen.generate(scale="XS", log=lambda _: None)
    assert list(get_user_model().objects.values_list("username", flat=True)) == [
        "alice"
    ]


def test_generator_replaces_its_own_data_and_forced_other_data(db):
    make_user(username="alice")
    datagen.generate(scale="XS", force=True, log=lambda _: None)
    first = ReviewLog.objects.count()
    datagen.generate(scale="XS", log=lambda _: None)  # bench data: no force needed
    assert not get_user_model().objects.filter(username="alice").exists()
    assert ReviewLog.objects.count() == first


def test_columns_added_by_a_later_migration_get_their_model_default():
    columns = [c for c in simulate.SCHEDULE_COLUMNS if c != "lapses"]
    missing = writers._missing_fields(ReviewSchedule, columns)
    # unseen_change (question revisions, migration 0002) is one such column,
    # switched_from (FSRS, migration 0007) another.
    assert [f.name for f in missing] == ["lapses", "unseen_change", "switched_from"]
    assert writers._copy_text(True) == "t" and writers._copy_text(None) == "\\N"
    assert writers._copy_text("a\tb\\c") == "a\\tb\\\\c"


def test_the_tenth_learner_studies_the_heavy_learners_days_at_a_tenth_of_its_pace(
    generated,
):
    """Issue 12's "heavy (10x log) / normal" compares these two: the same days
    drawn on the progress page, a tenth of the new cards (at least one a day)."""

    def days(name):
        rows = StudyDay.objects.filter(user__username=name, reviews__gt=0)
        return set(rows.values_list("study_day", flat=True))

    heavy, tenth = days("bench-heavy"), days("bench-tenth")
    assert len(heavy) == XS.heavy_days and tenth == heavy
    per_day = max(1, XS.heavy_new_per_day // 10)
    started = ReviewSchedule.objects.filter(user__username="bench-tenth").count()
    assert started == XS.heavy_days * per_day
    assert started < ReviewSchedule.objects.filter(user__username="bench-heavy").count()
