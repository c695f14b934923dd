"""The shipped question bank: fixtures/questions.json."""

import json
import re

from django.core.management import call_command

from cards.models import Level, Question
from tests.paths import ROOT, SEED

FIXTURE = ROOT / "fixtures" / "questions.json"
MOJIBAKE = re.compile("â€|Ã.|Â|\ufffd")


def test_question_bank_loads_and_validates(questions):
    assert len(questions) == 10
    for question in questions:
        question.full_clean()
    levels = [q.level for q in Question.objects.order_by("position")]
    assert levels == [Level.BASIC] * 3 + [Level.INTERMEDIATE] * 3 + [Level.ADVANCED] * 4


def test_question_bank_has_no_encoding_damage(questions):
    for question in questions:
        assert not MOJIBAKE.search(question.prompt + question.answer), question.key
    ethics = Question.objects.get(position=9)
    assert "It's vital to develop responsible AI practices" in ethics.answer


def test_question_bank_keeps_the_markdown(questions):
    models_q = Question.objects.get(position=2)
    assert models_q.answer.startswith("Some popular models include:\n*   **GPT")
    assert "<strong>DALL-E:</strong>" in models_q.answer_html
    assert models_q.answer_html.count("<li>") == 5


def test_loading_twice_changes_nothing(questions):
    first = list(Question.objects.values().order_by("pk"))
    call_command("loaddata", "questions", verbosity=0)
    assert list(Question.objects.values().order_by("pk")) == first


def test_ensure_question_bank_keeps_admin_edits(questions):
    Question.objects.filter(position=1).update(prompt="Edited by an admin")
    call_command("ensure_question_bank", verbosity=0)
    assert Question.objects.filter(stage=0).count() == 10  # the seed, kept
    assert Question.objects.get(position=1, stage=0).prompt == "Edited by an admin"


def test_fixture_matches_the_seed_word_for_word():
    seed = SEED.read_text(encoding="utf-8").replace("Itâ€™s", "It's")
    for item in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = item["fields"]
        assert f"**Q{fields['position']}: {fields['prompt']}**" in seed
        assert fields["answer"] in seed
