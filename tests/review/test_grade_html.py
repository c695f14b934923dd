"""The grade buttons formatted in Python are the template loop's HTML, byte for
byte (cards/review/grade_html.py replaced that loop in cards/review.html)."""

from dataclasses import replace
from types import SimpleNamespace

import pytest
from django.template import engines

from cards.review import buttons as grades
from cards.review import grade_html

# The loop as cards/review.html had it before grade_html (kept as the reference).
TEMPLATE_LOOP = """\
          <fieldset class="grades grades-{{ revealed.buttons|length }}">
            <legend class="grades-legend">How well did you know it?</legend>
            {% for button in revealed.buttons %}
              {# The name is the visible text ("Good 1 d"); the meaning and the spoken interval are its description. #}
              <button type="submit" name="grade" value="{{ button.grade }}"
                      class="grade grade-{{ button.choice.tone }}{% if button.grade == revealed.verdict.suggested_button %} is-suggested{% endif %}"
                      aria-describedby="grade-{{ button.grade }}-help" aria-keyshortcuts="{{ button.choice.key }}"
                      data-grade-key="{{ button.choice.key }}" title="{{ button.choice.meaning }}">
                <span class="grade-label">{{ button.choice.label }}</span>
                <span class="grade-interval">{{ button.interval }}{% if button.again_today %}<span class="again-mark" aria-hidden="true"> +↻</span>{% endif %}</span>
                <kbd class="grade-key" aria-hidden="true">{{ button.choice.key }}</kbd>
                {% if button.grade == revealed.verdict.suggested_button %}<span class="grade-suggested">Suggested</span>{% endif %}
              </button>
              <span id="grade-{{ button.grade }}-help" hidden>{{ button.description }}</span>
            {% endfor %}
          </fieldset>
"""


def _buttons(scale, *, again_today=(), interval="1 d"):
    return tuple(
        grades.GradeButton(
            choice=choice,
            interval=interval,
            again_today=choice.grade in again_today,
            description=f"{choice.meaning}: next in 1 day",
        )
        for choice in grades.choices(scale)
    )


def _template(buttons, suggested):
    verdict = None if suggested is None else SimpleNamespace(suggested_button=suggested)
    revealed = SimpleNamespace(buttons=list(buttons), verdict=verdict)
    return engines["django"].from_string(TEMPLATE_LOOP).render({"revealed": revealed})


def _in_page(buttons, suggested):
    # As the page has it: indented by the template's line, which ends after it.
    return "          " + grade_html.fieldset(buttons, suggested) + "\n"


@pytest.mark.parametrize("scale", [grades.FOUR, grades.SIX])
@pytest.mark.parametrize("suggested", [None, 4, 1])
@pytest.mark.parametrize("again_today", [(), (1, 3)])
def test_fieldset_is_the_template_loops_html(scale, suggested, again_today):
    buttons = _buttons(scale, again_today=again_today)
    assert _in_page(buttons, suggested) == _template(buttons, suggested)


def test_fieldset_escapes_what_it_shows():
    button = _buttons(grades.FOUR)[0]
    tricky = replace(
        button,
        interval='<b>"3" & more</b>',
        description="it's <i>next</i>",
        choice=replace(button.choice, label="A&B", meaning='say "no"'),
    )
    html = _in_page((tricky,), None)
    assert html == _template((tricky,), None)
    assert "<b>" not in html and "<i>" not in html and 'say "no"' not in html
