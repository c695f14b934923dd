"""The label-free cross-check over the whole bank (tests/review/crosscheck.py)
holds its recorded figures as floors (docs/ANSWERS.md, session 20)."""

from tests.review import crosscheck


def test_reference_answers_pass_and_other_topics_answers_are_counted():
    figures = crosscheck.run()
    assert figures["questions"] == 178
    # Its own reference answer, typed back: Good for 174 of 178 (4 Hard).
    assert figures["own answer"].get("good", 0) >= 174
    assert "again" not in figures["own answer"]
    # Another topic's reference answer: Again for only 95 of 890, because the
    # paraphrase floor lifts 726 that cover no point to Hard. A floor, not a
    # target: the ninth round is to raise it (docs/ANSWERS.md).
    other = figures["other topic's answer"]
    assert sum(other.values()) == 890
    assert other.get("again", 0) >= 95
    assert figures["passed covering no point"] <= 726
