"""What the interview plan counts: the questions the learner studies, as the queue does."""

from datetime import timedelta

from cards.bank.topic_choice import choose_topics
from cards.care import services as care
from cards.models import Level
from cards.planning import reads
from cards.scheduling import plan
from tests.clock import frozen_moment
from tests.factories import (
    make_log,
    make_question,
    make_schedule,
    make_topic,
    make_user,
)


def test_the_plan_counts_only_studied_topics_and_unsuspended_cards(db):
    learner, other = make_user(), make_user()
    kept, dropped = make_topic(name="Kept"), make_topic(name="Dropped")
    plain = make_question()  # no topic: always studied
    in_kept = make_question(topics=(kept,))
    in_both = make_question(topics=(kept, dropped))
    in_dropped = make_question(topics=(dropped,))
    suspended = make_question(topics=(kept,))
    choose_topics(user=learner, studied=[kept])
    care.suspend_card(user=learner, question=suspended, now=frozen_moment())

    ids = {card.id for card in reads.cards_for(learner, learner.profile)}
    assert ids == {plain.pk, in_kept.pk, in_both.pk}
    # Another learner's choices and suspensions change nothing for them.
    everything = {plain, in_kept, in_both, in_dropped, suspended}
    assert {c.id for c in reads.cards_for(other, other.profile)} >= {
        q.pk for q in everything
    }


def test_the_days_answered_count_each_card_once_a_day_since_the_date_was_set(db):
    learner = make_user()
    today = learner.profile.study_day(frozen_moment())
    interview = plan.Interview(
        on=today + timedelta(days=30),
        set_on=today - timedelta(days=3),
        scope=plan.Scope(levels=frozenset({Level.BASIC})),
    )
    basic = make_schedule(user=learner, question=make_question(level=Level.BASIC))
    deep = make_schedule(user=learner, question=make_question(level=Level.ADVANCED))
    other = make_schedule(user=make_user(), question=basic.question)
    answers = [
        (basic, -4),  # before the date was set
        (basic, -3),
        (basic, -3),  # a re-drill the same day: the same card
        (basic, -1),
        (basic, 0),  # today: not a day gone
        (deep, -2),  # not a level of the plan
        (other, -2),  # another learner
    ]
    for version, (schedule, offset) in enumerate(answers):
        make_log(
            schedule=schedule,
            reviewed_at=frozen_moment() + timedelta(days=offset),
            study_day=today + timedelta(days=offset),
            from_version=version,
        )
    assert reads.answered_since(learner, interview, today) == 2
    everything = plan.Interview(on=interview.on, set_on=interview.set_on)
    assert reads.answered_since(learner, everything, today) == 3


def test_the_days_answered_count_only_the_questions_the_plan_sees(db):
    learner = make_user()
    today = learner.profile.study_day(frozen_moment())
    interview = plan.Interview(
        on=today + timedelta(days=30), set_on=today - timedelta(days=3)
    )
    kept, dropped = make_topic(name="Kept"), make_topic(name="Dropped")
    studied = make_question(topics=(kept,))
    not_studied = make_question(topics=(dropped,))
    suspended = make_question(topics=(kept,))
    for version, question in enumerate((studied, not_studied, suspended)):
        schedule = make_schedule(user=learner, question=question)
        make_log(
            schedule=schedule,
            reviewed_at=frozen_moment() - timedelta(days=1),
            study_day=today - timedelta(days=1),
            from_version=version,
        )
    assert reads.answered_since(learner, interview, today) == 3
    choose_topics(user=learner, studied=[kept])
    care.suspend_card(user=learner, question=suspended, now=frozen_moment())
    # As cards_for: a topic not studied and a suspended card are not the plan's.
    assert reads.answered_since(learner, interview, today) == 1
