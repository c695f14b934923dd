"""The Anki package (cards/anki): a real .apkg, checked with zipfile and sqlite3."""

import html
import io
import json
import sqlite3
import zipfile
from datetime import date

from cards.bank import anki
from cards.bank import formats as bank
from cards.bank import services as bank_services
from cards.models import Question, Topic
from tests.factories import make_question, make_topic


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
        prompt, answer, level, key, *_ = flds.split("\x1f")
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
    assert {
        "GenAI Prep::Foundations::1. Basic",
        "GenAI Prep::Safety, ethics & governance::3. Advanced",
    } <= names
    (model,) = [
        m for m in json.loads(models_json).values() if m["name"].startswith("GenAI")
    ]
    assert [f["name"] for f in model["flds"]] == [
        "Prompt",
        "Answer",
        "Level",
        "Key",
        "Topics",
        "KeyPoints",
        "Sources",
        "Verified",
    ]


def test_apkg_keeps_note_and_card_ids_across_exports(questions, tmp_path):
    # Stable ids let Anki update the notes on a re-import instead of adding copies.
    first = open_collection(bank_services.export("apkg").content, tmp_path)
    ids = first.execute("select id, guid from notes order by id").fetchall()
    first.close()
    again = open_collection(bank_services.export("apkg").content, tmp_path)
    assert again.execute("select id, guid from notes order by id").fetchall() == ids


def _lines(field: str) -> list[str]:
    return [html.unescape(x) for x in field.split("<br>") if x]


def test_apkg_carries_topics_key_points_sources_and_date_back(db, tmp_path):
    # Anki has no importer here: read the package and parse its fields with the
    # bank's own syntax; the question's data comes back whole.
    rag, agents = Topic.objects.get(slug="rag"), Topic.objects.get(slug="agents")
    question = make_question(prompt="What is <RAG>?", topics=[rag, agents])
    question.sources = "Lewis et al. 2020 <arXiv>\nhttps://example.org/a&b"
    question.verified_on = date(2026, 12, 1)
    question.save()
    points = (
        bank.KeyPointData("retrieve then generate", ("RAG", "look up"), is_must=True),
        bank.KeyPointData("cites sources"),
        bank.KeyPointData("it retrains the model", is_misconception=True),
    )
    bank_services.replace_key_points(question, points)
    db_ = open_collection(bank_services.export("apkg").content, tmp_path)
    ((flds, tags),) = db_.execute("select flds, tags from notes").fetchall()
    *_, key, topics, key_points, sources, verified = flds.split("\x1f")
    expected = bank_services.as_data(Question.objects.get(pk=question.pk))
    assert key == expected.key
    assert bank.parse_topics(_lines(topics)) == expected.topics
    assert tuple(bank.parse_key_point(p) for p in _lines(key_points)) == points
    assert tuple(_lines(sources)) == expected.sources
    assert date.fromisoformat(verified) == expected.verified_on
    assert {"topic::rag", "topic::agents"} <= set(tags.split())
    (decks_json,) = db_.execute("select decks from col").fetchone()
    names = {deck["name"] for deck in json.loads(decks_json).values()}
    assert "GenAI Prep::Retrieval & RAG::1. Basic" in names


def test_learners_deck_leaves_out_opt_in_topics(db, settings, tmp_path):
    from cards.bank import deck

    settings.DATA_DIR = tmp_path
    shared = make_question(prompt="Shared?")
    make_question(prompt="Demo only?", topics=[make_topic(is_opt_in=True)])
    with deck.open_deck(deck.bank_version()) as handle:
        db_ = open_collection(handle.read(), tmp_path)
    keys = [f.split("\x1f")[3] for (f,) in db_.execute("select flds from notes")]
    assert keys == [shared.key]
