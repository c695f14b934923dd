"""The answer checker's properties (cards/review/check.py), on the seed's key points."""

import pytest

from cards.review import check, embed
from tests.review import properties
from tests.review.evaluate import seed_points
from tests.review.properties import FINE_TUNING, GOOD, OTHER, TRANSFORMER

pytestmark = pytest.mark.once

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
    s = check.SETTINGS
    cuts = (0.0, 0.1, s.hard_from, s.good_from, 1.0)
    assert [check.grade_for(c) for c in cuts] == [0, 1, 3, 4, 5]
    assert check.grade_for(s.hard_from - 0.01) in (0, 1)
    assert check.grade_for(s.good_from - 0.01) == 3


def test_padding_or_repeating_an_answer_earns_nothing():
    partial = "Self-attention lets every token weigh every other token."
    base = pytest.approx(verdict(partial).score, abs=1e-6)
    # approx: BLAS rounds a float32 matrix product differently for 8 rows than
    # for 1 (CI saw 0.61252772 vs 0.61252766); a gain would be orders larger.
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


@pytest.mark.parametrize(
    "note",
    [
        "Risks: fraud, defamation, loss of trust. Mitigations: watermarks, detection.",
        "GANs: generator vs discriminator. Diffusion: add noise, learn to remove it.",
        "Keep training a pretrained model on your small dataset; cheap, fast, good.",
    ],
)
def test_a_terse_note_with_labelled_parts_or_a_clause_is_no_bare_list(note):
    assert not check.is_term_list(note)
    assert check.is_term_list("pretrained weights, task data, LoRA, less compute")


def test_stating_a_misconception_marks_the_answer_down():
    wrong = GOOD + " Attention has linear cost in the sequence length."
    v = verdict(wrong)
    assert [r.point.statement for r in v.misconceptions] == [
        "attention has linear cost in the sequence length"
    ]
    assert v.score <= verdict(GOOD).score - check.SETTINGS.wrong_penalty + 1e-9


def test_denying_a_misconception_is_not_asserting_it():
    v = verdict(GOOD + " Attention does not have linear cost in the sequence length.")
    assert not v.misconceptions


def test_a_negation_far_from_the_claims_words_does_not_deny_it():
    far = (
        GOOD + " It is not magic and it took years of research to get there, but "
        "attention has linear cost in the sequence length."
    )
    assert verdict(far).misconceptions
    near = GOOD + " Attention cost is not linear in the sequence length."
    assert not verdict(near).misconceptions


def test_an_answer_to_another_question_scores_low():
    assert verdict(OTHER, key=FINE_TUNING).score >= 0.6
    v = verdict(OTHER)
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


def test_every_answer_of_the_properties_file_gets_its_band():
    for key, text, band in properties.BANDS:
        assert check.band_of(verdict(text, key=key).suggested_grade) == band, text


DIFFUSION = "explain-the-concept-of-diffusion-models-and-how-they-differ-from-gans"
GENAI = "what-is-generative-ai"


def test_a_misconception_stated_of_they_is_matched_with_the_sentence_before():
    v = verdict(
        "Diffusion models have a generator and a discriminator. They generate "
        "samples much faster than GANs, in one step.",
        key=DIFFUSION,
    )
    assert "diffusion models generate samples faster than GANs do" in [
        r.point.statement for r in v.misconceptions
    ]


def test_the_sentence_before_lends_only_the_prompts_words():
    # "They" refers back, but the misconception's own words must be here.
    v = verdict(
        "Diffusion models add noise and learn to reverse it. They sample slowly.",
        key=DIFFUSION,
    )
    assert not v.misconceptions


def test_a_misconception_alias_needs_all_its_words():
    text = "They learn the patterns of their training data and look like it."
    assert not verdict(text, key=GENAI).misconceptions
    v = verdict("The model looks up its training data and copies it.", key=GENAI)
    assert v.misconceptions


def test_a_sentence_that_asserts_a_misconception_covers_no_point():
    key = "what-are-some-challenges-associated-with-training-generative-ai-models"
    wrong = "Mode collapse is when the model produces too many different outputs."
    v = verdict(wrong, key=key)
    assert v.misconceptions and not v.covered
    right = "Mode collapse is when the model produces only a few kinds of output."
    assert verdict(right, key=key).covered


def test_an_alias_of_the_prompts_words_only_is_no_evidence():
    v = verdict(
        "Fine-tuning a pre-trained language model means fine-tuning it.",
        key=FINE_TUNING,
    )
    assert v.covered == [] and v.score < check.SETTINGS.hard_from


def test_the_matcher_does_not_see_the_prompts_words():
    key = "explain-the-difference-between-supervised-unsupervised-and-reinforcement"
    echo = (
        "Supervised learning is supervised, unsupervised learning is not "
        "supervised, and reinforcement learning uses reinforcement."
    )
    v = verdict(echo, key=key)
    assert v.covered == [] and check.band_of(v.suggested_grade) == "again"


def test_a_missed_point_near_its_threshold_earns_part_credit_only():
    s = check.SETTINGS
    point = check.Point("x")
    near = check.PointResult(point, False, None, (1 + s.partial_from) / 2)
    far = check.PointResult(point, False, None, s.partial_from - 0.01)
    hit = check.PointResult(point, True, "x", 1.0)
    assert check._credit(far, s) == 0.0
    assert 0 < check._credit(near, s) <= check.PARTIAL_CREDIT < check._credit(hit, s)


def test_gather_then_score_is_check():
    prompt, points = seed_points()[TRANSFORMER]
    matcher = embed.default().similarities
    evidence = check.gather(GOOD, points, prompt=prompt, matcher=matcher)
    assert check.score(evidence) == check.check(
        GOOD, points, prompt=prompt, matcher=matcher
    )


def _pair_matcher(sentences, texts):
    # A matcher that finds the point only where both halves of it are said.
    return [
        [1.0 if {"static", "clean"} <= set(s.split()) else 0.0 for _ in texts]
        for s in sentences
    ]


def test_a_point_said_across_two_neighbouring_sentences_is_covered():
    point = check.Point("diffusion learns to reverse added noise", is_must=True)
    two = "Sprinkle static over a photo. The model learns to clean it up."
    assert check.check(two, [point], matcher=_pair_matcher).points[0].covered
    apart = "Sprinkle static over a photo. Cats sleep. The model learns to clean it."
    assert not check.check(apart, [point], matcher=_pair_matcher).points[0].covered


def test_a_contextual_matcher_reads_each_sentence_once_as_written():
    class Recording:
        contextual = True

        def __call__(self, sentences, texts):
            self.seen = list(sentences)
            return [[0.0] * len(texts) for _ in sentences]

    matcher = Recording()
    answer = "Self-attention weighs every token. It runs in parallel."
    prompt, points = seed_points()[TRANSFORMER]
    check.check(answer, points, prompt=prompt, matcher=matcher)
    assert matcher.seen == check.sentences(answer)


def _near_evidence(shares, words=40, wrong=False, listed=False, must=False):
    # One sentence that holds part of each point's words, none enough to cover.
    points = [check.Point(f"point {i}", is_must=must) for i in range(len(shares))]
    rows = [(share,) for share in shares]
    if wrong:
        points.append(check.Point("misconception", is_misconception=True))
        rows.append((1.0,))
    n = len(points)
    return check.Evidence(
        ("a sentence",),
        tuple(points),
        tuple(rows),
        tuple(rows),
        ((0.0,),) * n,
        ((False,),) * n,
        listed,
        words,
    )


def test_a_long_paraphrase_near_several_points_falls_to_hard_not_again():
    s = check.SETTINGS
    near = s.lexical_cover * check.FLOOR_CLOSENESS  # closeness at the floor
    shares = [near, near, near, 0.0]
    assert check.band_of(check.score(_near_evidence(shares)).suggested_grade) == "hard"
    for evidence in (
        _near_evidence(shares, words=check.FLOOR_WORDS - 1),  # too short
        _near_evidence([near, near, near * 0.9, 0.0]),  # only two points near
        _near_evidence(shares, wrong=True),  # asserts a misconception
        _near_evidence(shares, listed=True),  # a bare list
    ):
        assert check.score(evidence).score < s.hard_from
    # An answer that covers a point is scored as it is, floor or not.
    covering = check.score(_near_evidence([1.0, near, near, near], must=True))
    assert covering.score == check._score(covering.points, 0, s) < s.hard_from


def _table_matcher(table):
    # A matcher that gives each sentence fixed cosines to every text.
    def matcher(sentences, texts):
        return [list(table.get(s, [0.0] * len(texts))) for s in sentences]

    return matcher


def test_a_sentence_nearer_a_misconception_than_any_point_asserts_it():
    points = [
        check.Point("self-attention weighs every token", is_must=True),
        check.Point("a transformer reads tokens one at a time", is_misconception=True),
    ]
    answer = "It reads the sentence word after word"
    near = check.WRONG_NEAR + 0.01
    assert near < check.SETTINGS.wrong_semantic  # no word of it, and not that close
    bare = check.without(answer, frozenset())

    def verdict(point_cosine):
        table = {bare: [point_cosine, 0.0], answer: [0.0, near]}
        return check.check(answer, points, matcher=_table_matcher(table))

    wrong = verdict(near - check.WRONG_MARGIN - 0.01).misconceptions
    assert [r.point.statement for r in wrong] == [points[1].statement]
    # As near a key point as the error (within the margin): nothing asserted.
    assert verdict(near - check.WRONG_MARGIN + 0.02).misconceptions == ()
