"""The answer checker's properties (cards/review/check.py), on the seed's key points."""

import pytest

from cards.review import check, embed
from tests.review.evaluate import seed_points

pytestmark = pytest.mark.once

TRANSFORMER = (
    "what-is-a-transformer-architecture-and-why-is-it-important-for-generative-ai"
)
FINE_TUNING = (
    "how-does-fine-tuning-a-pre-trained-language-model-work-and-what-are-the-benefits"
)
GOOD = (
    "A transformer is built around self-attention: every token looks at every other "
    "token in the sequence and weighs how relevant it is, so the model captures "
    "context and long-range dependencies. Unlike an RNN it processes all the tokens "
    "in parallel, which makes training on GPUs fast and lets it scale, so it replaced "
    "RNNs and LSTMs and became the architecture behind large language models like GPT."
)
MATCHERS = [None, embed.default().similarities]


def verdict(text, key=TRANSFORMER, matcher=MATCHERS[1]):
    prompt, points = seed_points()[key]
    return check.check(text, points, prompt=prompt, matcher=matcher)


@pytest.mark.parametrize("matcher", MATCHERS, ids=["lexical", "static"])
def test_a_complete_explanation_scores_good_and_names_its_sentences(matcher):
    v = verdict(GOOD, matcher=matcher)
    assert v.score >= 0.9 and check.band_of(v.suggested_grade) == "good"
    assert len(v.covered) >= 4 and not v.misconceptions
    for result in v.points:
        if result.covered:
            assert result.sentence in check.sentences(GOOD)


def test_score_is_in_range_and_the_grade_follows_from_it_alone():
    for text in [
        "",
        "no idea",
        GOOD,
        GOOD + " It is an RNN that reads one token at a time.",
    ]:
        v = verdict(text)
        assert 0.0 <= v.score <= 1.0
        assert v.suggested_grade == check.grade_for(v.score)
    assert [check.grade_for(s) for s in (0.0, 0.2, 0.5, 0.92, 1.0)] == [0, 1, 3, 4, 5]


def test_padding_or_repeating_an_answer_earns_nothing():
    partial = "Self-attention lets every token weigh every other token."
    base = verdict(partial).score
    assert verdict(" ".join([partial] * 8)).score == base
    filler = (
        " This is a really important topic and a very good question that people "
        "often ask in interviews, and I think it matters a great deal today."
    )
    assert verdict(partial + filler * 6).score == base
    assert check.band_of(verdict(partial + filler * 6).suggested_grade) != "good"


def test_a_bare_list_of_the_right_terms_scores_below_an_explanation():
    terms = "self-attention, parallel, RNN, LSTM, long-range dependencies, GPT, scaling"
    listed = verdict(terms)
    assert listed.is_term_list and listed.score < verdict(GOOD).score
    assert check.band_of(listed.suggested_grade) == "again"


def test_stating_a_misconception_marks_the_answer_down():
    wrong = GOOD + " Attention has linear cost in the sequence length."
    v = verdict(wrong)
    assert [r.point.statement for r in v.misconceptions] == [
        "attention has linear cost in the sequence length"
    ]
    assert v.score <= verdict(GOOD).score - check.WRONG_PENALTY + 1e-9


def test_denying_a_misconception_is_not_asserting_it():
    v = verdict(GOOD + " Attention does not have linear cost in the sequence length.")
    assert not v.misconceptions


def test_an_answer_to_another_question_scores_low():
    other = (
        "Fine-tuning takes a pre-trained model and keeps training it on a smaller "
        "task-specific dataset, which needs much less data and compute than "
        "training from scratch."
    )
    assert verdict(other, key=FINE_TUNING).score >= 0.6
    v = verdict(other)
    assert v.score < 0.38 and check.band_of(v.suggested_grade) == "again"


def test_aliases_count_and_typos_are_forgiven():
    prompt, points = seed_points()[TRANSFORMER]
    v = check.check("It uses MHA.", points, prompt=prompt)
    assert v.points[0].covered
    v = check.check(
        "Self-atention lets every tokken weigh how relevent every other token is.",
        points,
        prompt=prompt,
    )
    assert v.points[0].covered


def test_words_of_the_prompt_are_no_evidence():
    v = verdict("A transformer architecture is important for generative AI.")
    assert v.score == 0 and v.suggested_grade == 0


def test_empty_and_dont_know_answers_score_zero():
    assert verdict("").score == 0 and verdict("I don't know, sorry.").score == 0
    assert verdict("").covered == [] and len(verdict("").missed) == 6


def test_a_question_without_key_points_scores_zero():
    assert check.check(GOOD, []).score == 0.0
