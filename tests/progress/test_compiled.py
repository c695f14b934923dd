"""The progress reads compiled once (cards/progress/compiled.py) equal a fresh ORM
evaluation, for every learner and day, and keep nothing of one learner for another."""

from datetime import date, timedelta

import pytest

from cards.care import services as care
from cards.models import LearnerTopic
from cards.progress import compiled, queries
from tests.factories import make_question, make_schedule, make_topic, make_user

DAY = date(2026, 3, 2)
READS = {
    "levels": (queries._questions_by_level, ()),
    "level_states": (queries._schedules_by_level, (0,)),
    "due:28": (lambda u, d: queries._due(u, d, 28), (0, 27)),
    "due:1": (lambda u, d: queries._due(u, d, 1), (0,)),
    "eases": (queries._eases, ()),
    "topics": (queries._topics, ()),
    "topic_states": (queries._topic_schedules, ()),
}


@pytest.fixture
def learners(db, clock):
    """Three learners with different decks, topic choices and suspensions."""
    plain, skipped, opt_in = make_topic(), make_topic(), make_topic(is_opt_in=True)
    out = []
    for n in range(3):
        user = make_user()
        for i in range(6 + 3 * n):
            question = make_question(level=1 + (i % 3))
            question.topics.add((plain, skipped, opt_in)[i % 3])
            make_schedule(
                user=user,
                question=question,
                due_on=DAY + timedelta(days=(i * 5) % 40 - 3),
                repetitions=i % 4,
                interval_days=(i * 7) % 30,
                ease=f"{1.3 + (i % 9) / 10:.2f}",
                redrill_on=DAY if i % 5 == 0 else None,
            )
            if i % 4 == n:
                care.suspend_card(user=user, question=question, now=clock.now)
        if n == 1:
            LearnerTopic.objects.create(user=user, topic=skipped, is_studied=False)
        if n == 2:
            LearnerTopic.objects.create(user=user, topic=opt_in, is_studied=True)
        out.append(user)
    return out


def normalise(rows):
    return sorted(rows, key=repr)


@pytest.mark.parametrize("name", READS)
def test_compiled_reads_equal_the_orm_for_every_learner_and_day(learners, name):
    build, offsets = READS[name]
    seen = []
    for user in learners:
        for day in (DAY, DAY + timedelta(days=9), date(2027, 1, 1)):
            fresh = list(build(user.pk, day))
            fast = compiled.fetch(
                f"test:{name}", build, user_pk=user.pk, today=day, offsets=offsets
            )
            assert normalise(fast) == normalise(fresh), (user.username, day)
            seen.append(normalise(fast))
    if name != "levels":  # questions per level are the same for learners alike
        assert len({repr(s) for s in seen}) > 1  # the values really are substituted


def test_a_read_that_lost_a_variable_is_refused(db):
    with pytest.raises(RuntimeError, match="every variable"):
        compiled.fetch(
            "test:no-day", queries._eases, user_pk=1, today=DAY, offsets=(0,)
        )


def test_the_deck_read_equals_its_four_figures_read_one_by_one(learners):
    """queries.deck aggregates the learner's cards four ways in one statement;
    each figure equals the query it replaced, for every learner and day."""
    seen = set()
    for user in learners:
        for day in (DAY, DAY + timedelta(days=9), date(2027, 1, 1)):
            deck = queries.deck(user, today=day)
            assert deck.levels == queries.cards_by_level(user, today=day)
            due = queries.due_by_day(
                user, today=day, days=queries.progress.FORECAST_DAYS
            )
            assert deck.due == due
            assert deck.eases == queries.ease_counts(user)
            one_by_one = {
                row["question__topics"]: {
                    "started": row["started"],
                    "mature": row["mature"],
                }
                for row in queries._topic_schedules(user.pk, day)
                if row["question__topics"] is not None
            }
            assert deck.topic_states == one_by_one
            assert queries.topic_mastery(user, states=deck.topic_states) == (
                queries.topic_mastery(user)
            )
            seen.add(repr(deck))
    assert len(seen) > 3  # learners and days really differ
