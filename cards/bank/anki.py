"""The question bank as an Anki package (.apkg), built with genanki."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable

import genanki
from django.utils.html import escape

from cards import highlight
from cards.models import Level, Question

# Fixed ids, so that importing a newer export into Anki updates the same note
# type and decks instead of adding copies (genanki's documented practice).
MODEL_ID = 1_720_415_301
DECK_ID = 1_720_415_400
DECK_NAME = "GenAI Prep"
# Notes also keep a stable guid derived from the question key.
GUID_SALT = "genai-prep"

CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.5;
  text-align: left; color: #1c1c28; background: #fff; max-width: 40em; margin: 0 auto; }
.nightMode .card, .card.nightMode { color: #ececf4; background: #1b1b26; }
.level { font-size: 13px; color: #545468; text-transform: uppercase; letter-spacing: .05em; }
pre { background: #eef0ff; padding: .6em .8em; border-radius: 6px; overflow-x: auto; }
hr#answer { margin: 1em 0; }
.sources { font-size: 13px; color: #545468; margin-top: 1em; }
"""

MODEL = genanki.Model(
    MODEL_ID,
    "GenAI Prep question",
    fields=[
        {"name": "Prompt"},
        {"name": "Answer"},
        {"name": "Level"},
        {"name": "Key"},
        # Issue 16: one line each (<br> between), as the bank's text formats.
        {"name": "Topics"},
        {"name": "KeyPoints"},
        {"name": "Sources"},
        {"name": "Verified"},
    ],
    templates=[
        {
            "name": "Recall",
            "qfmt": '<div class="level">{{Level}}</div>{{Prompt}}',
            "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}'
            '<div class="sources">{{Sources}}</div>',
        }
    ],
    css=CSS + highlight.anki_stylesheet(),
)


def p_line(point: object) -> str:
    """A stored key point as the bank's one text line (`must: s | also: a`)."""
    kind = "wrong" if point.is_misconception else "must" if point.is_must else "point"
    also = f" | also: {'; '.join(point.alias_list)}" if point.alias_list else ""
    return f"{kind}: {point.statement}{also}"


def guid_for(key: str) -> str:
    return genanki.guid_for(GUID_SALT, key)


def deck_name(question: Question) -> str:
    """`GenAI Prep::<first topic>::<n. Level>` (no topic: `GenAI Prep::<n. Level>`)."""
    level = f"{question.level}. {Level(question.level).label}"
    topics = list(question.topics.all())
    return (
        f"{DECK_NAME}::{topics[0].name}::{level}" if topics else f"{DECK_NAME}::{level}"
    )


def tag_for(topic_slug: str) -> str:
    return f"topic::{topic_slug}"


def _lines(values: Iterable[str]) -> str:
    return "<br>".join(escape(v) for v in values)


def build_package(questions: Iterable[Question], *, timestamp: float = 0) -> bytes:
    """An .apkg with a sub-deck per (first) topic and level, a tag per topic;
    fields hold the sanitised HTML and the key points, sources and date."""
    decks: dict[str, genanki.Deck] = {}
    for question in questions:
        label = Level(question.level).label
        name = deck_name(question)
        if name not in decks:
            # Ids from the name: stable across exports and installations.
            decks[name] = genanki.Deck(DECK_ID + zlib.crc32(name.encode()), name)
        topics = list(question.topics.all())
        decks[name].add_note(
            genanki.Note(
                model=MODEL,
                fields=[
                    question.prompt_html,
                    question.answer_html,
                    label,
                    question.key,
                    _lines(t.name for t in topics),
                    _lines(p_line(p) for p in question.key_points.all()),
                    _lines(question.source_list),
                    question.verified_on.isoformat() if question.verified_on else "",
                ],
                guid=guid_for(question.key),
                tags=["genai-prep", label.lower(), *(tag_for(t.slug) for t in topics)],
            )
        )
    buffer = io.BytesIO()
    # A fixed timestamp keeps note and card ids the same from one export to the next.
    genanki.Package(list(decks.values())).write_to_file(
        buffer, timestamp=timestamp or 1_700_000_000
    )
    return buffer.getvalue()
