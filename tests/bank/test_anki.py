"""The Anki package (cards/anki): a real .apkg, checked with zipfile and sqlite3."""

import io
import json
import sqlite3
import zipfile

from cards.bank import anki
from cards.bank import services as bank_services
from cards.models import Question


def open_collection(data: bytes, tmp_path) -> sqlite3.Connection:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert set(package.namelist()) == {"collection.anki2", "media"}
        assert json.loads(package.read("media")) == {}
        path = tmp_path / "collection.anki2"
        path.write_bytes(package.read("collection.anki2"))
    return sqlite3.connect(path)


def test_apkg_holds_every_active_question_as_a_note(questions, tmp_path):
    Question.objects.filter(position=10).update(is_active=False)
    export = bank_services.export("apkg")
    assert export.filename.endswith(".apkg")
    db = open_collection(export.content, tmp_path)
    notes = db.execute("select guid, flds, tags from notes order by id").fetchall()
    assert len(notes) == 9
    active = Question.objects.active().order_by("level", "position", "key")
    for (guid, flds, tags), question in zip(notes, active, strict=True):
        prompt, answer, level, key = flds.split("\x1f")
        assert (prompt, answer, key) == (
            question.prompt_html,
            question.answer_html,
            question.key,
        )
        assert level == question.get_level_display()
        assert guid == anki.guid_for(question.key)
        assert f" {level.lower()} " in f" {tags.strip()} "
    assert db.execute("select count(*) from cards").fetchone() == (9,)
    (models_json, decks_json) = db.execute("select models, decks from col").fetchone()
    names = {deck["name"] for deck in json.loads(decks_json).values()}
    assert {"GenAI Prep::1. Basic", "GenAI Prep::3. Advanced"} <= names
    (model,) = [
        m for m in json.loads(models_json).values() if m["name"].startswith("GenAI")
    ]
    assert [f["name"] for f in model["flds"]] == ["Prompt", "Answer", "Level", "Key"]


def test_apkg_keeps_note_and_card_ids_across_exports(questions, tmp_path):
    # Stable ids let Anki update the notes on a re-import instead of adding copies.
    first = open_collection(bank_services.export("apkg").content, tmp_path)
    ids = first.execute("select id, guid from notes order by id").fetchall()
    first.close()
    again = open_collection(bank_services.export("apkg").content, tmp_path)
    assert again.execute("select id, guid from notes order by id").fetchall() == ids
