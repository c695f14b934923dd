"""The fresh blind labelled sets (issue 15) keep the shape their md promises.

Seven sets, written independently by labellers blind to the checker and to
each other's work (tests/data/labelled_answers_fresh.md, _fresh_b.md,
_fresh_c.md, _fresh_d.md, _fresh_e.md, _fresh_f.md and _fresh_g.md)."""

import json
from collections import Counter

import pytest

from tests.paths import DATA, ROOT

FRESH = DATA / "labelled_answers_fresh.json"
FRESH_B = DATA / "labelled_answers_fresh_b.json"
FRESH_C = DATA / "labelled_answers_fresh_c.json"
FRESH_D = DATA / "labelled_answers_fresh_d.json"
FRESH_E = DATA / "labelled_answers_fresh_e.json"
FRESH_F = DATA / "labelled_answers_fresh_f.json"
FRESH_G = DATA / "labelled_answers_fresh_g.json"
KEYS = {"question", "category", "band", "answer", "note"}
BANDS = {"again", "hard", "good"}
# The vocabulary of tests/data/labelled_answers.md.
CATEGORIES = {
    "complete-own-words",
    "paraphrase",
    "terse",
    "partial",
    "one-idea",
    "contradicting",
    "other-question",
    "dont-know",
    "keyword-list",
    "padded",
}
MIN_PER_QUESTION = 16


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


@pytest.fixture(
    scope="module",
    params=[FRESH, FRESH_B, FRESH_C, FRESH_D, FRESH_E, FRESH_F, FRESH_G],
    ids=["set-a", "set-b", "set-c", "set-d", "set-e", "set-f", "set-g"],
)
def items(request):
    data = _load(request.param)
    assert isinstance(data, list) and data
    return data


@pytest.fixture(scope="module")
def seed_keys():
    return {row["fields"]["key"] for row in _load(ROOT / "fixtures" / "questions.json")}


def test_categories_are_those_of_the_labelling_rules():
    rules = (DATA / "labelled_answers.md").read_text(encoding="utf-8")
    assert [c for c in sorted(CATEGORIES) if c not in rules] == []


def test_every_item_has_exactly_the_five_keys(items):
    assert [i for i, item in enumerate(items) if set(item) != KEYS] == []


def test_fields_are_strings_with_an_answer_and_a_one_line_note(items):
    for item in items:
        assert all(isinstance(item[key], str) for key in KEYS)
        assert item["answer"].strip()
        assert item["note"].strip() and "\n" not in item["note"]


def test_questions_are_seed_question_keys(items, seed_keys):
    assert {item["question"] for item in items} <= seed_keys


def test_bands_and_categories_use_the_vocabulary(items):
    assert {item["band"] for item in items} <= BANDS
    assert {item["category"] for item in items} <= CATEGORIES


def test_every_seed_question_has_enough_answers_in_every_category(items, seed_keys):
    for key in sorted(seed_keys):
        own = [item for item in items if item["question"] == key]
        assert len(own) >= MIN_PER_QUESTION, key
        assert {item["category"] for item in own} == CATEGORIES, key


def test_no_answer_appears_twice(items):
    counts = Counter(_normal(item["answer"]) for item in items)
    assert [text for text, n in counts.items() if n > 1] == []


def test_no_answer_is_copied_from_the_first_set(items):
    first = {_normal(item["answer"]) for item in _load(DATA / "labelled_answers.json")}
    assert [item["answer"] for item in items if _normal(item["answer"]) in first] == []


def test_bands_are_roughly_balanced(items):
    counts = Counter(item["band"] for item in items)
    shares = {band: counts[band] / len(items) for band in BANDS}
    assert all(0.25 <= share <= 0.45 for share in shares.values()), shares


def test_the_two_fresh_sets_share_no_answer():
    a = {_normal(item["answer"]) for item in _load(FRESH)}
    assert [i["answer"] for i in _load(FRESH_B) if _normal(i["answer"]) in a] == []


def test_set_c_shares_no_answer_with_the_other_sets():
    paths = (DATA / "labelled_answers.json", FRESH, FRESH_B)
    others = {_normal(item["answer"]) for path in paths for item in _load(path)}
    assert [i["answer"] for i in _load(FRESH_C) if _normal(i["answer"]) in others] == []


def test_every_question_has_all_three_bands_in_set_c(seed_keys):
    data = _load(FRESH_C)
    for key in sorted(seed_keys):
        assert {item["band"] for item in data if item["question"] == key} == BANDS, key


def test_set_d_shares_no_answer_with_the_other_sets():
    paths = (DATA / "labelled_answers.json", FRESH, FRESH_B, FRESH_C)
    others = {_normal(item["answer"]) for path in paths for item in _load(path)}
    assert [i["answer"] for i in _load(FRESH_D) if _normal(i["answer"]) in others] == []


def test_every_question_has_all_three_bands_in_set_d(seed_keys):
    data = _load(FRESH_D)
    for key in sorted(seed_keys):
        assert {item["band"] for item in data if item["question"] == key} == BANDS, key


def test_set_e_shares_no_answer_with_the_other_sets():
    paths = (DATA / "labelled_answers.json", FRESH, FRESH_B, FRESH_C, FRESH_D)
    others = {_normal(item["answer"]) for path in paths for item in _load(path)}
    assert [i["answer"] for i in _load(FRESH_E) if _normal(i["answer"]) in others] == []


def test_every_question_has_all_three_bands_in_set_e(seed_keys):
    data = _load(FRESH_E)
    for key in sorted(seed_keys):
        assert {item["band"] for item in data if item["question"] == key} == BANDS, key


def test_set_f_shares_no_answer_with_the_other_sets():
    paths = (DATA / "labelled_answers.json", FRESH, FRESH_B, FRESH_C, FRESH_D, FRESH_E)
    others = {_normal(item["answer"]) for path in paths for item in _load(path)}
    assert [i["answer"] for i in _load(FRESH_F) if _normal(i["answer"]) in others] == []


def test_every_question_has_all_three_bands_in_set_f(seed_keys):
    data = _load(FRESH_F)
    for key in sorted(seed_keys):
        assert {item["band"] for item in data if item["question"] == key} == BANDS, key


def test_set_g_shares_no_answer_with_the_other_sets():
    paths = (
        DATA / "labelled_answers.json",
        FRESH,
        FRESH_B,
        FRESH_C,
        FRESH_D,
        FRESH_E,
        FRESH_F,
    )
    others = {_normal(item["answer"]) for path in paths for item in _load(path)}
    assert [i["answer"] for i in _load(FRESH_G) if _normal(i["answer"]) in others] == []


def test_every_question_has_all_three_bands_in_set_g(seed_keys):
    data = _load(FRESH_G)
    for key in sorted(seed_keys):
        assert {item["band"] for item in data if item["question"] == key} == BANDS, key
