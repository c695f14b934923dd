"""Question bank in the admin: analytics columns, import preview, export, revisions."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cards.models import Question, QuestionRevision, ReviewSchedule
from tests.bank.test_analytics import log
from tests.bank.test_formats import SEED
from tests.factories import NO_KEY_POINT_FORMS, make_question, make_schedule, make_user

CHANGELIST = reverse("admin:cards_question_changelist")
IMPORT = reverse("admin:cards_question_import")
EXPORT = reverse("admin:cards_question_export")


@pytest.fixture
def admin_user(db):
    return make_user(username="root", is_superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


# Analytics in the question list -----------------------------------------------


def test_question_list_shows_sortable_analytics(admin_client, db):
    hard = make_question(prompt="Hard one?")
    log(make_schedule(user=make_user(), question=hard, ease="1.30", lapses=3), 0, 1, 4)
    make_question(prompt="Fresh one?")
    r = admin_client.get(CHANGELIST)
    assert r.status_code == 200
    for header in ("Learners", "Reviews", "Again", "Lapses", "Avg ease", "Rewrite?"):
        assert f">{header}</a>" in r.text  # a sort link
    assert '<td class="field-again">67%</td>' in r.text
    assert '<td class="field-ease">1.30</td>' in r.text
    flags = re.findall(r'<td class="field-needs_rewriting_flag">(.*?)</td>', r.text)
    assert sorted(flags) == [
        "-",
        '<span class="gp-flag" title="Ease at the 1.3 floor or frequent lapses">Rewrite</span>',
    ]
    # Sorted by "Again" descending, the struggling question comes first.
    columns = r.context["cl"].list_display
    o = columns.index("again")
    r = admin_client.get(CHANGELIST, {"o": f"-{o}"})
    assert r.text.index("Hard one?") < r.text.index("Fresh one?")
    r = admin_client.get(CHANGELIST, {"rewrite": "yes"})
    assert "Hard one?" in r.text and "Fresh one?" not in r.text


def count_changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    return len(queries)


def test_question_list_costs_a_fixed_number_of_queries(admin_client, db):
    def add(n):
        for _ in range(n):
            question = make_question()
            for _ in range(2):
                schedule = make_schedule(user=make_user(), question=question)
                log(schedule, 1, 4)

    add(3)
    few = count_changelist_queries(admin_client)
    add(27)
    many = count_changelist_queries(admin_client)
    print(f"\nquestion changelist: {few} queries for 3 questions, {many} for 30")
    assert few == many
    # session, user, the topic filter's choices, filtered count, total count, page
    assert many == 6


# Import ------------------------------------------------------------------------


def test_import_previews_then_applies(admin_client, admin_user):
    r = admin_client.get(IMPORT)
    assert r.status_code == 200 and 'type="file"' in r.text
    r = admin_client.post(IMPORT, {"file": upload("seed.txt", SEED.read_bytes())})
    assert r.status_code == 200
    assert "10 to create" in r.text and "0 to update" in r.text
    assert "seed.txt, line 50: repaired encoding damage" in r.text
    assert not Question.objects.exists()  # a preview writes nothing
    r = admin_client.post(IMPORT, {"token": token_of(r.text)})
    assert r.status_code == 302 and r.url == CHANGELIST
    assert Question.objects.count() == 10
    assert (
        QuestionRevision.objects.filter(editor=admin_user, source="import").count()
        == 10
    )
    r = admin_client.get(CHANGELIST)
    assert "Imported seed.txt: 10 created, 0 updated, 0 unchanged." in r.text


def test_import_preview_shows_the_diff_of_an_update(admin_client, questions):
    text = SEED.read_text("utf-8").replace("Stable Diffusion:", "SDXL:")
    r = admin_client.post(IMPORT, {"file": upload("bank.md", text.encode())})
    assert "1 to update" in r.text and "9 unchanged" in r.text
    assert "<del>Stable Diffusion</del>" in r.text and "<ins>SDXL</ins>" in r.text
    before = Question.objects.get(position=2).answer
    assert "SDXL" not in before


def test_invalid_file_is_refused_with_lines_and_nothing_written(admin_client, db):
    bad = b"## Basic\n**Q1: P?**\n\n**Q2: R?**\n**A:** x\n"
    r = admin_client.post(IMPORT, {"file": upload("bad.md", bad)})
    assert r.status_code == 400
    assert "Nothing was imported" in r.text
    assert "bad.md, line 2: question Q1 has no answer" in r.text
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"x", "bank.pdf", "the file name does not say"),
        (b"\xff\xfe##", "bank.md", "is not UTF-8"),
        (b"## Basic\n\x00", "bank.md", "NUL byte"),
    ],
)
def test_unreadable_uploads_are_400(admin_client, db, data, name, expected):
    r = admin_client.post(IMPORT, {"file": upload(name, data)})
    assert r.status_code == 400 and expected in r.text


def test_altered_token_is_refused(admin_client, db):
    r = admin_client.post(IMPORT, {"file": upload("seed.txt", SEED.read_bytes())})
    token = token_of(r.text)
    r = admin_client.post(IMPORT, {"token": token[:-3] + "abc"})
    assert r.status_code == 400 and "expired or was altered" in r.text
    assert not Question.objects.exists()


def test_bank_changed_since_preview_is_409_and_shows_a_new_preview(admin_client, db):
    r = admin_client.post(IMPORT, {"file": upload("seed.txt", SEED.read_bytes())})
    make_question(key="what-is-generative-ai", prompt="What is Generative AI?")
    r = admin_client.post(IMPORT, {"token": token_of(r.text)})
    assert r.status_code == 409 and "changed since this preview" in r.text
    assert "9 to create" in r.text
    assert Question.objects.count() == 1
    r = admin_client.post(IMPORT, {"token": token_of(r.text)})
    assert r.status_code == 302 and Question.objects.count() == 10


def test_learners_and_view_only_staff_cannot_import(client, db):
    learner = make_user()
    client.force_login(learner)
    r = client.get(IMPORT)
    assert r.status_code == 302 and "/admin/login/" in r.url
    staff = make_user(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_question"))
    client.force_login(staff)
    assert (
        client.post(IMPORT, {"file": upload("s.txt", SEED.read_bytes())}).status_code
        == 403
    )
    assert client.get(EXPORT).status_code == 200  # viewing includes exporting


# Export ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("markdown", "text/markdown; charset=utf-8", b"# GenAI Prep question bank\n"),
        (
            "csv",
            "text/csv; charset=utf-8",
            b"key,level,position,prompt,answer,active,key_points,topics,sources,verified\r\n",
        ),
        ("json", "application/json", b'[\n  {\n    "model": "cards.question"'),
        ("apkg", "application/apkg", b"PK"),
    ],
)
def test_export_downloads(admin_client, questions, fmt, content_type, start):
    r = admin_client.get(EXPORT, {"format": fmt})
    assert r.status_code == 200 and r["Content-Type"] == content_type
    assert r["Content-Disposition"].startswith("attachment; filename=")
    assert r.content.startswith(start)


def test_export_page_and_bad_format(admin_client, db):
    assert "Anki deck (.apkg)" in admin_client.get(EXPORT).text
    assert admin_client.get(EXPORT, {"format": "pdf"}).status_code == 400


def test_export_names_the_question_markdown_cannot_carry(admin_client, db):
    question = make_question(key="bad", answer="Intro\n## Heading")
    r = admin_client.get(EXPORT, {"format": "markdown"}, follow=True)
    assert "Cannot export as markdown" in r.text
    assert reverse("admin:cards_question_change", args=[question.pk]) in r.text


# Edits and revisions -------------------------------------------------------------


def edit(client, question, **changes):
    data = (
        {
            "key": question.key,
            "level": question.level,
            "position": question.position,
            "prompt": question.prompt,
            "answer": question.answer,
            "is_active": "on",
        }
        | NO_KEY_POINT_FORMS
        | changes
    )
    url = reverse("admin:cards_question_change", args=[question.pk])
    return client.post(url, data)


def test_admin_edit_keeps_a_revision_with_who_and_what(admin_client, admin_user, db):
    question = make_question(answer="Old text.")
    r = edit(admin_client, question, answer="New text.\r\nSecond line.")
    assert r.status_code == 302, r.text
    (revision,) = question.revisions.all()
    assert (revision.editor, revision.changed, revision.source) == (
        admin_user,
        "answer",
        "admin",
    )
    assert (revision.old_answer, revision.new_answer) == (
        "Old text.",
        "New text.\nSecond line.",
    )
    r = admin_client.get(reverse("admin:cards_question_change", args=[question.pk]))
    assert "Revisions (newest first)" in r.text and "root" in r.text
    r = admin_client.get(
        reverse("admin:cards_questionrevision_change", args=[revision.pk])
    )
    assert r.status_code == 200
    assert "<del>Old </del>" in r.text and "<ins>New </ins>" in r.text


def test_substantial_checkbox_brings_the_question_back(admin_client, db):
    schedule = make_schedule(user=make_user(), due_on=date(2030, 1, 1))
    question = schedule.question
    r = edit(admin_client, question, answer="Rewritten.", substantial_edit="on")
    assert r.status_code == 302, r.text
    schedule.refresh_from_db()
    assert schedule.due_on < date(2030, 1, 1) and schedule.has_unseen_change
    assert question.revisions.get().is_substantial
    r = admin_client.get(CHANGELIST)
    assert "1 learner(s) who knew this question will see it again" in r.text


def test_substantial_without_a_text_change_is_refused(admin_client, db):
    schedule = make_schedule(user=make_user(), due_on=date(2030, 1, 1))
    r = edit(admin_client, schedule.question, position=7, substantial_edit="on")
    assert r.status_code == 200 and "changes the prompt or the answer" in r.text
    assert ReviewSchedule.objects.get(pk=schedule.pk).due_on == date(2030, 1, 1)


def test_admin_form_reports_encoding_damage(admin_client, db):
    question = make_question()
    r = edit(admin_client, question, answer="Itâ€™s broken")
    assert r.status_code == 200 and "looks like encoding damage" in r.text
    assert not question.revisions.exists()


def test_add_page_has_no_substantial_checkbox(admin_client, db):
    r = admin_client.get(reverse("admin:cards_question_add"))
    assert r.status_code == 200 and "substantial_edit" not in r.text
