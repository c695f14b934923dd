"""What the interview plan counts: the questions the learner studies, as the queue does."""

from cards.bank.topic_choice import choose_topics
from cards.care import services as care
from cards.planning import reads
from tests.clock import frozen_moment
from tests.factories import make_question, make_topic, make_user


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
