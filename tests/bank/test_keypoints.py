"""Key points in the bank: the Markdown comment syntax, CSV, JSON, the fixture,
imports that replace them, revisions and the admin inline (issue 15)."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from cards.bank import formats as bank
from cards.bank import services as bank_services
from cards.bank.formats.core import key_points_problem
from cards.models import KeyPoint, Question, QuestionRevision
from tests.factories import NO_KEY_POINT_FORMS, make_question, make_user
from tests.paths import ROOT

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
SEED_MD = ROOT / "fixtures" / "seed_keypoints.md"
DOC = """## Basic

**Q1: What is attention?**
**A:** Every token weighs every other token.

<!-- must: self-attention weighs every token against every other | also: MHA; multi-head attention -->
<!-- point: the weights come from a softmax over query-key scores -->
<!-- wrong: transformers process tokens one at a time -->
"""


def test_markdown_reads_the_three_kinds_with_aliases():
    (q,) = bank.parse_markdown(DOC).questions
    assert q.answer == "Every token weighs every other token."
    must, point, wrong = q.key_points
    assert must == bank.KeyPointData(
        "self-attention weighs every token against every other",
        ("MHA", "multi-head attention"),
        is_must=True,
    )
    assert (point.is_must, point.is_misconception, point.aliases) == (False, False, ())
    assert wrong.is_misconception and not wrong.is_must


def test_a_file_without_key_points_says_nothing_about_them():
    text = "## Basic\n\n**Q1: What?**\n**A:** That.\n"
    assert bank.parse_markdown(text).questions[0].key_points is None


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("<!-- must: -->", "expected a statement after 'must:'"),
        ("<!-- point: x | aka: y -->", "expected '| also: alias; alias'"),
        ("<!-- point: x | also: -->", "expected at least one alias"),
        ("<!-- point: " + "x" * 301 + " -->", "at most 300"),
        ("<!-- must: unclosed", "expected '<!-- must: ... -->'"),
    ],
)
def test_bad_key_point_lines_are_refused_with_their_line(line, message):
    with pytest.raises(bank.BankError) as error:
        bank.parse_markdown(
            DOC.replace("<!-- wrong: transformers", line + "\n<!-- wrong: t")
        )
    assert error.value.problems[0].line == 8
    assert message in error.value.problems[0].message


def test_key_points_go_after_the_answer_and_end_it():
    before = "## Basic\n\n<!-- point: too early -->\n**Q1: What?**\n**A:** That.\n"
    with pytest.raises(bank.BankError, match="after a question's answer"):
        bank.parse_markdown(before)
    after = DOC + "More answer text.\n"
    with pytest.raises(bank.BankError) as error:
        bank.parse_markdown(after)
    assert error.value.problems[0].line == 9
    assert "found text after them" in error.value.problems[0].message


def test_a_question_needs_two_to_seven_key_points():
    one = DOC.replace("<!-- point: the weights", "<!-- wrong: the weights")
    with pytest.raises(bank.BankError, match="expected 2 to 7 key points"):
        bank.parse_markdown(one)
    many = DOC + "".join(f"<!-- point: extra {i} -->\n" for i in range(6))
    with pytest.raises(bank.BankError, match="found 8"):
        bank.parse_markdown(many)


@pytest.mark.parametrize("fmt", bank.FORMATS)
def test_every_format_round_trips_key_points(fmt):
    parsed = bank.parse_markdown(DOC).questions
    again = bank.parse(bank.serialise(list(parsed), fmt), fmt).questions
    assert again[0].key_points == parsed[0].key_points


def test_json_refuses_a_point_that_is_both_must_and_wrong():
    item = {"level": 1, "prompt": "P", "answer": "A"}
    item["key_points"] = [{"statement": "s", "must": True, "wrong": True}]
    with pytest.raises(bank.BankError, match="both must and wrong"):
        bank.parse_json(json.dumps([item]))


def test_a_statement_with_the_syntax_inside_cannot_be_exported():
    q = bank.QuestionData(
        "k", 1, 1, "P", "A", key_points=(bank.KeyPointData("a | b"),) * 2
    )
    with pytest.raises(bank.Unrepresentable):
        bank.write_markdown([q])


def test_seed_questions_have_key_points_and_the_markdown_copy_matches(questions):
    points = KeyPoint.objects.all()
    assert {p.question_id for p in points} == {q.pk for q in questions}
    for question in questions:
        problem = key_points_problem(bank_services.as_data(question).key_points)
        assert problem is None, question.key
        assert question.key_points.filter(is_misconception=True).exists()
    parsed = bank.parse_markdown(SEED_MD.read_text("utf-8")).questions
    assert list(parsed) == bank_services.bank_data()


def test_import_replaces_key_points_and_keeps_a_revision(questions):
    parsed = bank.parse_markdown(SEED_MD.read_text("utf-8"))
    plan = bank_services.import_questions(parsed=parsed, editor=None, now=NOW)
    assert plan.counts["unchanged"] == 10
    edited = re.sub(
        r"<!-- wrong: generative AI only classifies or labels existing data.*\n",
        "",
        SEED_MD.read_text("utf-8"),
    )
    plan = bank_services.import_questions(
        parsed=bank.parse_markdown(edited), editor=None, now=NOW
    )
    assert plan.counts == {"create": 0, "update": 1, "unchanged": 9}
    question = Question.objects.get(key="what-is-generative-ai")
    assert question.key_points.count() == 6
    assert [p.order for p in question.key_points.all()] == [1, 2, 3, 4, 5, 6]
    revision = QuestionRevision.objects.get()
    assert revision.changed == "key points"
    assert "wrong: generative AI only classifies" in revision.old_key_points
    assert "only classifies" not in revision.new_key_points


def test_seed_file_without_key_points_leaves_them_alone(questions):
    from tests.paths import SEED

    before = KeyPoint.objects.count()
    parsed = bank.parse_markdown(bank.decode(SEED.read_bytes()))
    plan = bank_services.import_questions(parsed=parsed, editor=None, now=NOW)
    assert plan.counts["unchanged"] == 10 and KeyPoint.objects.count() == before


def test_admin_inline_edits_key_points_with_a_revision(client, db):
    admin = make_user(username="root", is_superuser=True)
    client.force_login(admin)
    question = make_question()
    url = reverse("admin:cards_question_change", args=[question.pk])
    assert 'id="key_points-group"' in client.get(url).text
    base = {
        "key": question.key,
        "level": question.level,
        "position": question.position,
        "prompt": question.prompt,
        "answer": question.answer,
        "is_active": "on",
    }
    forms = {
        "key_points-TOTAL_FORMS": "2",
        "key_points-INITIAL_FORMS": "0",
        "key_points-0-order": "1",
        "key_points-0-statement": "self-attention relates every token",
        "key_points-0-aliases": "MHA; attention",
        "key_points-0-is_must": "on",
        "key_points-1-order": "2",
        "key_points-1-statement": "it runs in parallel",
    }
    r = client.post(url, base | forms)
    assert r.status_code == 302, r.text
    must, point = question.key_points.all()
    assert must.is_must and must.alias_list == ["MHA", "attention"]
    assert point.statement == "it runs in parallel" and not point.is_must
    revision = QuestionRevision.objects.get(question=question)
    assert revision.editor == admin and revision.changed == "key points"
    assert revision.new_key_points.startswith("must: self-attention relates")
    # Saving again without touching them adds no revision.
    client.post(url, base | NO_KEY_POINT_FORMS)
    assert QuestionRevision.objects.filter(question=question).count() == 1


def test_admin_try_an_answer_shows_the_verdict_and_stores_nothing(client, questions):
    from cards.models import ReviewLog

    client.force_login(make_user(username="root", is_superuser=True))
    question = Question.objects.get(position=4)
    url = reverse("admin:cards_question_try", args=[question.pk])
    change = client.get(reverse("admin:cards_question_change", args=[question.pk]))
    assert url in change.text
    r = client.get(url)
    assert r.status_code == 200 and "must: self-attention lets every token" in r.text
    r = client.post(url, {"answer": "It uses <b>MHA</b> and runs in parallel."})
    assert "Covered:</strong> self-attention lets every token" in r.text
    assert "&lt;b&gt;MHA&lt;/b&gt;" in r.text and "Verdict: score" in r.text
    assert not ReviewLog.objects.exists()


def test_a_learner_cannot_reach_the_try_page(client, questions):
    client.force_login(make_user(username="learner"))
    url = reverse("admin:cards_question_try", args=[questions[0].pk])
    assert client.get(url).status_code == 302


def test_admin_shows_miss_rate_per_key_point_and_override_rate(client, questions):
    from cards.review import services

    question = Question.objects.get(position=4)
    first, second = question.key_points.all()[:2]
    for n, (grade, suggested, missed) in enumerate(
        [(4, 4, [first.pk]), (1, 4, [first.pk, second.pk]), (3, 3, [])]
    ):
        services.record_review(
            user=make_user(username=f"u{n}"),
            question=question,
            grade=grade,
            version=0,
            now=NOW,
            typed=services.TypedAnswer("typed", 0.5, suggested, tuple(missed)),
        )
    client.force_login(make_user(username="root", is_superuser=True))
    listing = client.get(reverse("admin:cards_question_changelist")).text
    assert "Overrides" in listing and "33% of 3" in listing
    change = client.get(reverse("admin:cards_question_change", args=[question.pk])).text
    assert "67% (2 of 3)" in change and "33% (1 of 3)" in change


def test_admin_inline_refuses_one_key_point_and_must_with_wrong(client, db):
    client.force_login(make_user(username="root", is_superuser=True))
    question = make_question()
    url = reverse("admin:cards_question_change", args=[question.pk])
    base = {
        "key": question.key,
        "level": question.level,
        "position": question.position,
        "prompt": question.prompt,
        "answer": question.answer,
        "is_active": "on",
        "key_points-INITIAL_FORMS": "0",
    }
    one = {
        "key_points-TOTAL_FORMS": "1",
        "key_points-0-order": "1",
        "key_points-0-statement": "only one point",
    }
    r = client.post(url, base | one)
    assert r.status_code == 200 and "expected 2 to 7 key points" in r.text
    both = one | {
        "key_points-TOTAL_FORMS": "2",
        "key_points-0-is_must": "on",
        "key_points-0-is_misconception": "on",
        "key_points-1-order": "2",
        "key_points-1-statement": "another point",
    }
    r = client.post(url, base | both)
    assert r.status_code == 200 and "errorlist" in r.text
    assert not question.key_points.exists()
