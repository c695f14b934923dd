"""The question bank as an Anki package (.apkg), built with genanki."""

from __future__ import annotations

import io
from collections.abc import Iterable

import genanki

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
"""

MODEL = genanki.Model(
    MODEL_ID,
    "GenAI Prep question",
    fields=[{"name": "Prompt"}, {"name": "Answer"}, {"name": "Level"}, {"name": "Key"}],
    templates=[
        {
            "name": "Recall",
            "qfmt": '<div class="level">{{Level}}</div>{{Prompt}}',
            "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}',
        }
    ],
    css=CSS + highlight.anki_stylesheet(),
)


def guid_for(key: str) -> str:
    return genanki.guid_for(GUID_SALT, key)


def build_package(questions: Iterable[Question], *, timestamp: float = 0) -> bytes:
    """An .apkg with one sub-deck per level; fields hold the sanitised HTML."""
    decks = {
        level: genanki.Deck(DECK_ID + level, f"{DECK_NAME}::{level}. {label}")
        for level, label in Level.choices
    }
    for question in questions:
        label = Level(question.level).label
        decks[question.level].add_note(
            genanki.Note(
                model=MODEL,
                fields=[
                    question.prompt_html,
                    question.answer_html,
                    label,
                    question.key,
                ],
                guid=guid_for(question.key),
                tags=["genai-prep", label.lower()],
            )
        )
    buffer = io.BytesIO()
    # A fixed timestamp keeps note and card ids the same from one export to the next.
    genanki.Package([d for d in decks.values() if d.notes]).write_to_file(
        buffer, timestamp=timestamp or 1_700_000_000
    )
    return buffer.getvalue()
