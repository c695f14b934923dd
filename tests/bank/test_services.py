"""Importing, exporting and editing the question bank (cards/bank_services + commands)."""

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards.bank import formats as bank
from cards.bank import services as bank_services
from cards.models import Question, QuestionRevision, ReviewSchedule, RevisionSource
from tests.bank.test_formats import FIXTURE, SEED
from tests.bank.test_formats_fuzz import documents
from tests.factories import make_question, make_schedule, make_user

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
FIELDS = ("key", "level", "position", "prompt", "answer")


def bank_rows() -> list[tuple]:
    return list(Question.objects.order_by("key").values_list(*FIELDS, "is_active"))


def run(*args: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_importing_the_seed_gives_exactly_the_fixture(db):
    output = run("import_questions", str(SEED))
    assert "Imported: 10 created, 0 updated, 0 unchanged." in output
    assert "line 50: repaired encoding damage" in output
    expected = sorted(
        tuple(item["fields"][f] for f in FIELDS) + (True,)
        for item in json.loads(FIXTURE.read_text("utf-8"))
    )
    assert bank_rows() == expected


def test_reimport_is_idempotent_and_matches_the_loaded_fixture(questions):
    before = bank_rows()
    stamps = list(Question.objects.values_list("updated_at", flat=True))
    assert "0 created, 0 updated, 10 unchanged" in run("import_questions", str(SEED))
    assert "0 created, 0 updated, 10 unchanged" in run("import_questions", str(SEED))
    assert bank_rows() == before
    assert list(Question.objects.values_list("updated_at", flat=True)) == stamps
    assert not QuestionRevision.objects.exists()


def test_dry_run_reports_and_writes_nothing(questions, tmp_path):
    text = SEED.read_text("utf-8").replace("Stable Diffusion:", "SDXL:")
    text += "\n**Q11: What is RAG?**\n**A:** Retrieval-augmented generation.\n"
    path = write(tmp_path, "bank.md", text)
    before = bank_rows()
    output = run("import_questions", str(path), "--dry-run")
    assert "  create  what-is-rag" in output
    assert "  update  what-are-some-popular-generative-ai-models (answer)" in output
    assert (
        "Dry run: would be 1 created, 1 updated, 9 unchanged. Nothing written."
        in output
    )
    assert bank_rows() == before
    assert not QuestionRevision.objects.exists()


def test_import_updates_in_place_and_keeps_revisions(questions, tmp_path):
    learner = make_user()
    schedule = make_schedule(user=learner, question=questions[1])
    text = SEED.read_text("utf-8").replace("Stable Diffusion:", "SDXL:")
    output = run("import_questions", str(write(tmp_path, "bank.md", text)))
    assert "0 created, 1 updated, 9 unchanged" in output
    question = Question.objects.get(pk=questions[1].pk)
    assert "SDXL:" in question.answer and Question.objects.count() == 10
    (revision,) = QuestionRevision.objects.all()
    assert (revision.source, revision.changed, revision.editor) == (
        RevisionSource.IMPORT,
        "answer",
        None,
    )
    assert "Stable Diffusion:" in revision.old_answer and "SDXL:" in revision.new_answer
    schedule.refresh_from_db()
    assert (schedule.due_on, schedule.unseen_change) == (date(2026, 1, 5), None)


def test_a_bad_line_writes_nothing(questions, tmp_path):
    text = SEED.read_text("utf-8").replace("Stable Diffusion:", "SDXL:")
    text += "\n**Q11 missing colon**\n**A:** x\n"
    path = write(tmp_path, "bank.md", text)
    before = bank_rows()
    with pytest.raises(CommandError) as info:
        run("import_questions", str(path))
    message = str(info.value)
    assert f"{path}, line 55: expected a question line '**Qn: prompt**'" in message
    assert message.endswith("Nothing was imported.")
    assert bank_rows() == before


def test_failure_while_writing_rolls_back_everything(db, monkeypatch):
    saved = []
    original = Question.save

    def fail_on_fifth(self, *args, **kwargs):
        saved.append(self.key)
        if len(saved) == 5:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Question, "save", fail_on_fifth)
    with pytest.raises(RuntimeError):
        bank_services.import_questions(
            parsed=bank.parse_markdown(SEED.read_text("utf-8")), editor=None, now=NOW
        )
    assert len(saved) == 5
    assert not Question.objects.exists() and not QuestionRevision.objects.exists()


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("bank.pdf", "x", "unknown extension"),
        (
            "bank.csv",
            "level,prompt,answer\nExpert,P?,A\n",
            "bank.csv, line 2: expected a level",
        ),
        ("bank.json", "[", "bank.json, line 1: expected a JSON value"),
    ],
)
def test_command_errors_name_file_and_line(db, tmp_path, name, text, expected):
    with pytest.raises(CommandError, match=expected):
        run("import_questions", str(write(tmp_path, name, text)))


def test_missing_file_is_a_clean_error(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("import_questions", str(tmp_path / "nope.md"))


@pytest.mark.parametrize("fmt", ["markdown", "csv", "json"])
def test_export_then_import_changes_nothing(questions, tmp_path, fmt):
    Question.objects.filter(position=4).update(is_active=False)
    make_question(
        prompt="Multi-line?", answer="```python\n## not a level\n```", key="ml"
    )
    before = bank_rows()
    path = tmp_path / f"bank.{ {'markdown': 'md'}.get(fmt, fmt) }"
    call_command(
        "export_questions", "--format", fmt, "--output", str(path), stderr=io.StringIO()
    )
    assert "0 created, 0 updated, 11 unchanged" in run("import_questions", str(path))
    assert bank_rows() == before
    # ...and into an empty bank it recreates every question, retired ones too.
    Question.objects.all().delete()
    assert "11 created" in run("import_questions", str(path))
    assert bank_rows() == before


def test_export_markdown_to_stdout_marks_keys_and_retired_questions(questions):
    Question.objects.filter(position=4).update(is_active=False)
    text = run("export_questions")
    assert (
        "<!-- key: what-is-generative-ai -->\n<!-- topics: Foundations -->\n"
        "**Q1: What is Generative AI?**\n**A:** " in text
    )
    assert "## Intermediate\n\n<!-- key: what-is-a-transformer" in text
    assert (
        "-architecture-and-why-is-it-important-for-generative-ai; inactive -->" in text
    )


def test_export_refuses_a_question_markdown_cannot_carry(db):
    make_question(key="bad", answer="Intro\n## Heading inside")
    with pytest.raises(CommandError, match="question 'bad'.*question structure"):
        run("export_questions")
    assert "bad" in run("export_questions", "--format", "csv")


def test_apkg_export_needs_an_output_file(db):
    with pytest.raises(CommandError, match="give --output"):
        run("export_questions", "--format", "apkg")


# Edits, revisions and substantial changes -------------------------------------


def test_minor_edit_keeps_a_revision_and_changes_nothing_for_learners(db):
    editor = make_user(is_staff=True)
    schedule = make_schedule(user=make_user(), due_on=date(2026, 3, 1), repetitions=3)
    question = schedule.question
    question.answer = "A **reference** answer, typo fixed."
    revision, learners = bank_services.save_question(
        question=question, editor=editor, now=NOW
    )
    assert learners == 0
    assert (revision.editor, revision.changed, revision.is_substantial) == (
        editor,
        "answer",
        False,
    )
    schedule.refresh_from_db()
    assert (schedule.due_on, schedule.unseen_change_id, schedule.version) == (
        date(2026, 3, 1),
        None,
        2,
    )


def test_saving_without_changes_keeps_no_revision(db):
    question = make_question()
    assert bank_services.save_question(question=question, editor=None, now=NOW) == (
        None,
        0,
    )
    assert not QuestionRevision.objects.exists()


def test_substantial_edit_brings_the_question_back_for_learners_who_know_it(db):
    question = make_question(answer="Old answer.")
    knows = make_schedule(user=make_user(), question=question, due_on=date(2026, 4, 1))
    # At 12:00 UTC it is 02:00 on 6 January in Kiritimati (UTC+14).
    far = make_user(time_zone="Pacific/Kiritimati", rollover_hour=0)
    knows_east = make_schedule(user=far, question=question, due_on=date(2026, 4, 1))
    due_soon = make_schedule(
        user=make_user(), question=question, due_on=date(2026, 1, 5)
    )
    relearning = make_schedule(
        user=make_user(), question=question, repetitions=0, due_on=date(2026, 1, 9)
    )
    question.answer = "New answer."
    revision, learners = bank_services.save_question(
        question=question, editor=None, now=NOW, substantial=True
    )
    assert learners == 3 and revision.is_substantial
    for schedule, due in [
        (knows, date(2026, 1, 6)),
        (knows_east, date(2026, 1, 7)),
        (due_soon, date(2026, 1, 5)),
    ]:
        schedule.refresh_from_db()
        assert (schedule.due_on, schedule.unseen_change) == (due, revision)
        assert schedule.has_unseen_change and schedule.repetitions == 2
        assert schedule.version == 2
    relearning.refresh_from_db()
    assert (relearning.due_on, relearning.has_unseen_change) == (
        date(2026, 1, 9),
        False,
    )


def test_a_second_substantial_edit_keeps_the_first_unseen_change(db):
    schedule = make_schedule(user=make_user(), due_on=date(2026, 4, 1))
    question = schedule.question
    question.answer = "Second."
    first, _ = bank_services.save_question(
        question=question, editor=None, now=NOW, substantial=True
    )
    question.answer = "Third."
    bank_services.save_question(
        question=question, editor=None, now=NOW, substantial=True
    )
    schedule.refresh_from_db()
    assert schedule.unseen_change == first


def test_substantial_needs_a_text_change(db):
    schedule = make_schedule(user=make_user(), due_on=date(2026, 4, 1))
    question = schedule.question
    old_position = question.position
    question.position = 99
    revision, learners = bank_services.save_question(
        question=question, editor=None, now=NOW, substantial=True
    )
    assert (learners, revision.is_substantial, revision.changed) == (
        0,
        False,
        f"position {old_position} -> 99",
    )
    assert ReviewSchedule.objects.get(pk=schedule.pk).due_on == date(2026, 4, 1)


def test_answering_the_card_clears_the_note(db):
    from cards.review import services

    user = make_user()
    schedule = make_schedule(user=user, due_on=date(2026, 4, 1))
    question = schedule.question
    question.answer = "Rewritten."
    bank_services.save_question(
        question=question, editor=None, now=NOW, substantial=True
    )
    schedule.refresh_from_db()
    services.record_review(
        user=user,
        question=question,
        grade=4,
        version=schedule.version,
        now=NOW.replace(day=6),
    )
    schedule.refresh_from_db()
    assert not schedule.has_unseen_change


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents, st.sampled_from(bank.FORMATS))
def test_every_accepted_file_stores_on_this_database(db, text, fmt):
    # RELIABILITY 14: whatever the parser accepts, PostgreSQL must store too.
    try:
        parsed = bank.parse(text, fmt)
    except bank.BankError:
        return
    with transaction.atomic():
        plan = bank_services.import_questions(parsed=parsed, editor=None, now=NOW)
        assert Question.objects.count() == plan.counts["create"]
        transaction.set_rollback(True)


def test_set_questions_active_keeps_schedules(user):
    schedule = make_schedule(user=user)
    bank_services.set_questions_active(
        questions=Question.objects.filter(pk=schedule.question_id), is_active=False
    )
    schedule.refresh_from_db()
    assert schedule.question.is_active is False


PACK = Path(__file__).resolve().parents[2] / "fixtures" / "packs" / "rag.md"


def pack_rows() -> list:
    return [
        (q.key, sorted(t.slug for t in q.topics.all()), q.sources, q.verified_on)
        + tuple(bank_services.point_data(p) for p in q.key_points.all())
        for q in Question.objects.order_by("key").prefetch_related(
            "topics", "key_points"
        )
    ]


@pytest.mark.parametrize("fmt", ["markdown", "csv", "json"])
def test_a_pack_imports_with_topics_sources_and_date_and_round_trips(tmp_path, fmt, db):
    assert "14 created" in run("import_questions", str(PACK))
    question = Question.objects.get(key="what-is-retrieval-augmented-generation")
    assert [t.slug for t in question.topics.all()] == ["rag"]
    assert question.source_list and question.verified_on == date(2026, 12, 1)
    assert "<!--" not in question.answer
    before = pack_rows()
    path = tmp_path / f"bank.{ {'markdown': 'md'}.get(fmt, fmt) }"
    call_command(
        "export_questions", "--format", fmt, "--output", str(path), stderr=io.StringIO()
    )
    assert "0 created, 0 updated, 14 unchanged" in run("import_questions", str(path))
    Question.objects.all().delete()
    assert "14 created" in run("import_questions", str(path))
    assert pack_rows() == before


def test_an_import_changes_topics_and_names_a_new_topic(db):
    make_question(key="k", prompt="P?", answer="A.")
    text = "## Basic\n\n<!-- key: k -->\n<!-- topics: Evaluation; Speech -->\n**Q1: P?**\n**A:** A.\n"
    parsed = bank.parse_markdown(text)
    plan = bank_services.import_questions(
        parsed=parsed, editor=None, now=datetime(2026, 1, 5, tzinfo=UTC)
    )
    assert plan.counts["update"] == 1 and plan.changes[0].fields[-1] == "topics"
    question = Question.objects.get(key="k")
    assert sorted(t.name for t in question.topics.all()) == ["Evaluation", "Speech"]
    assert question.revisions.first().changed.endswith("topics")


def test_an_import_looks_each_topic_name_up_once(db):
    """The seed and packs name a dozen topics hundreds of times (625 lookups for
    the 178 shipped questions): one lookup per name an import gives, however
    many questions repeat it, and a name in other case finds the same topic."""
    names = ["Evaluation; Speech", "speech; Evaluation", "Evaluation; New topic"]
    text = "## Basic\n\n" + "".join(
        f"<!-- key: t{n} -->\n<!-- topics: {names[n % 3]} -->\n**Q{n + 1}: P{n}?**\n**A:** A.\n\n"
        for n in range(30)
    )
    with CaptureQueriesContext(connection) as queries:
        bank_services.import_questions(
            parsed=bank.parse_markdown(text),
            editor=None,
            now=datetime(2026, 1, 5, tzinfo=UTC),
        )
    by_name = [
        q["sql"]
        for q in queries.captured_queries
        # The lookup by name: name__iexact (LIKE on SQLite, UPPER on PostgreSQL) or slug.
        if q["sql"].startswith('SELECT "cards_topic"')
        and ("LIKE" in q["sql"] or "UPPER(" in q["sql"])
    ]
    assert len(by_name) == 4, by_name  # Evaluation, Speech, speech, New topic
    topics = {
        q.key: sorted(t.name for t in q.topics.all()) for q in Question.objects.all()
    }
    assert topics["t0"] == topics["t1"] == ["Evaluation", "Speech"]
    assert topics["t2"] == ["Evaluation", "New topic"]
    assert Question.objects.get(key="t29").revisions.count() == 1
