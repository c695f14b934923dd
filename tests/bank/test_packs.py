"""The curated packs (issue 16): loaded by ensure_question_bank after the seed,
never over admins' edits, and no prompt near-duplicates another."""

import itertools
from collections import Counter
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from rapidfuzz import fuzz

from cards.bank import formats as bank
from cards.bank import services
from cards.models import Question
from tests.paths import ROOT, SEED

PACKS = sorted(
    p for p in (ROOT / "fixtures" / "packs").glob("*.md") if p.stem != "REVIEW"
)
NOW = datetime(2026, 12, 2, 9, tzinfo=UTC)


def pack_questions() -> list[bank.QuestionData]:
    return [
        q for p in PACKS for q in bank.parse_markdown(p.read_text("utf-8")).questions
    ]


def test_the_packs_hold_168_questions_in_every_topic_and_level():
    questions = pack_questions()
    assert len(questions) == 168 and len({q.key for q in questions}) == 168
    levels = Counter(q.level for q in questions)
    assert set(levels) == {1, 2, 3}
    topics = Counter(t for q in questions for t in q.topics)
    assert len(topics) == 12 and min(topics.values()) >= 10


# Two seed prompts (fixed: the seed matches shared/seed word for word) score
# 89.7: the words of the first are almost a subset of the second's, which is
# what token_set_ratio rewards. They ask different things (name models vs.
# training challenges), so this one pair is exempt; any other pair fails.
KNOWN_FALSE_ALARM = (
    "What are some popular generative AI models?",
    "What are some challenges associated with training generative AI models?",
)


def test_no_two_prompts_of_the_packs_and_the_seed_are_near_duplicates():
    prompts = [q.prompt for q in pack_questions()]
    prompts += [
        q.prompt for q in bank.parse_markdown(SEED.read_text("utf-8")).questions
    ]
    close = [
        (a, b, score)
        for a, b in itertools.combinations(prompts, 2)
        if (score := fuzz.token_set_ratio(a, b)) >= 85
    ]
    assert [(a, b) for a, b, _ in close] == [KNOWN_FALSE_ALARM]


def test_ensure_question_bank_loads_the_seed_then_every_pack(db):
    call_command("ensure_question_bank", verbosity=0)
    assert Question.objects.filter(stage=0).count() == 10
    assert Question.objects.filter(stage=services.PACK_STAGE).count() == 168
    question = Question.objects.get(key="what-is-retrieval-augmented-generation")
    assert question.key_points.count() >= 2 and question.source_list
    assert [t.slug for t in question.topics.all()] == ["rag"]


def test_ensure_question_bank_leaves_a_loaded_pack_alone(db):
    call_command("ensure_question_bank", verbosity=0)
    edited = Question.objects.get(key="what-is-retrieval-augmented-generation")
    edited.prompt = "Edited by an admin"
    edited.save()
    gone = Question.objects.filter(stage=1).exclude(pk=edited.pk).first()
    gone.delete()
    call_command("ensure_question_bank", verbosity=0)
    assert Question.objects.get(pk=edited.pk).prompt == "Edited by an admin"
    assert not Question.objects.filter(key=gone.key).exists()
    assert Question.objects.count() == 177


def test_load_pack_refuses_a_broken_pack_and_writes_nothing(db):
    with pytest.raises(bank.BankError):
        services.load_pack(b"## Basic\n\n<!-- topics: A -->\n", now=NOW)
    assert not Question.objects.exists()


def test_pack_aliases_add_words_and_misconceptions_have_their_own():
    # The checker ignores an alias made of the prompt's words (it only echoes
    # the question) and needs a misconception word that no key point uses
    # (check.contrast_words): pack data that fails either says nothing.
    from cards.review import check
    from cards.review.wording import content_stems, stem, words

    circular, blind = [], []
    for q in pack_questions():
        ignore = frozenset(content_stems(q.prompt))
        points = [
            check.Point(p.statement, tuple(p.aliases), p.is_must, p.is_misconception)
            for p in q.key_points or ()
        ]
        for p in points:
            if p.is_misconception:
                if not check.contrast_words(p, points, ignore):
                    blind.append((q.key, p.statement))
                continue
            for alias in p.aliases:
                wanted = content_stems(alias) or tuple(stem(w) for w in words(alias))
                if ignore.issuperset(wanted):
                    circular.append((q.key, alias))
    assert not circular and not blind
