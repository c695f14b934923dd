"""An import never silently reverts a newer edit: conflicts need a choice."""

import re
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cards.bank import conflicts
from cards.bank import formats as bank
from cards.bank import services as bank_services
from cards.models import Question
from tests.bank.test_admin_bank import edit, token_of, upload
from tests.factories import make_user

IMPORT = reverse("admin:cards_question_import")
FILE = """## Basic

<!-- key: kv-cache -->
**Q1: What does the KV cache store?**

**A:** The keys and values of past tokens.

<!-- key: rope -->
**Q2: What does RoPE rotate?**

**A:** Query and key vectors, by position.
"""
EDITED = "The keys and values of past tokens, per layer and head."


def import_text(text, **options):
    return bank_services.import_questions(
        parsed=bank.parse(text, "markdown"),
        editor=None,
        now=datetime(2026, 1, 5, tzinfo=UTC),
        **options,
    )


@pytest.fixture
def admin(db):
    return make_user(username="editor", is_superuser=True)


@pytest.fixture
def edited(client, admin):
    """The file imported, then its first answer edited in the admin."""
    import_text(FILE)
    client.force_login(admin)
    r = edit(client, Question.objects.get(key="kv-cache"), answer=EDITED)
    assert r.status_code == 302, r.text
    return client


def test_an_older_file_is_a_conflict_with_who_changed_what(edited):
    found = conflicts.find(import_text(FILE, dry_run=True))
    assert list(found) == ["kv-cache"]
    assert found["kv-cache"].fields == ("answer",)
    assert found["kv-cache"].changed_by == "editor"


def test_a_new_text_the_bank_never_had_is_no_conflict(edited):
    text = FILE.replace("The keys and values of past tokens.", "Something new.")
    assert conflicts.find(import_text(text, dry_run=True)) == {}


def test_applying_without_a_choice_writes_nothing(edited):
    with pytest.raises(conflicts.UnresolvedConflicts):
        import_text(FILE)
    assert Question.objects.get(key="kv-cache").answer == EDITED


@pytest.mark.parametrize(
    ("choice", "answer"),
    [("keep", EDITED), ("take", "The keys and values of past tokens.")],
)
def test_the_choice_keeps_mine_or_takes_the_files(edited, choice, answer):
    import_text(FILE, resolutions={"kv-cache": choice})
    assert Question.objects.get(key="kv-cache").answer == answer


def test_the_preview_shows_the_conflict_and_apply_needs_a_choice(edited):
    r = edited.post(IMPORT, {"file": upload("bank.md", FILE.encode())})
    assert r.status_code == 200
    assert "Conflict:" in r.text and "by editor" in r.text
    assert re.search(r'name="conflict-kv-cache" value="keep" required', r.text)
    token = token_of(r.text)
    r = edited.post(IMPORT, {"token": token})
    assert r.status_code == 400 and "choose what to do with 1 conflict" in r.text
    assert Question.objects.get(key="kv-cache").answer == EDITED
    r = edited.post(IMPORT, {"token": token, "conflict-kv-cache": "keep"})
    assert r.status_code == 302
    assert Question.objects.get(key="kv-cache").answer == EDITED
    messages = edited.get(reverse("admin:cards_question_changelist")).text
    assert "1 kept as stored (conflicts)" in messages


def test_a_nonsense_choice_is_no_choice(edited):
    with pytest.raises(conflicts.UnresolvedConflicts):
        import_text(FILE, resolutions={"kv-cache": "both"})


def test_the_command_needs_a_choice_too(edited, tmp_path):
    path = tmp_path / "bank.md"
    path.write_text(FILE)
    with pytest.raises(CommandError, match="kv-cache"):
        call_command("import_questions", str(path))
    assert Question.objects.get(key="kv-cache").answer == EDITED
    call_command("import_questions", str(path), "--on-conflict", "take")
    assert Question.objects.get(key="kv-cache").answer.endswith("past tokens.")
