"""The grade buttons' fieldset as HTML, formatted in Python (issue 12).

Every self-graded card carries its back, and so its four or six buttons: in the
template engine that loop cost ~0.45 ms a card (some 60 variable lookups, the
missing verdict's three failed lookups each). The markup depends only on the
buttons (their grade, labels and intervals) and the suggested one, which
repeat from card to card (every new card has the same), so it is formatted
here once per distinct set and kept. The HTML is the template's, byte for
byte (tests/review/test_grade_html.py renders both).
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString, mark_safe

from cards.review.buttons import GradeButton

# The template's comment line left its indentation behind.
_BUTTON = (
    "\n"
    + " " * 14
    + """
              <button type="submit" name="grade" value="{grade}"
                      class="grade grade-{tone}{suggested_class}"
                      aria-describedby="grade-{grade}-help" aria-keyshortcuts="{key}"
                      data-grade-key="{key}" title="{meaning}">
                <span class="grade-label">{label}</span>
                <span class="grade-interval">{interval}{again}</span>
                <kbd class="grade-key" aria-hidden="true">{key}</kbd>
                {suggested_mark}
              </button>
              <span id="grade-{grade}-help" hidden>{description}</span>
            """
)
_AGAIN = '<span class="again-mark" aria-hidden="true"> +↻</span>'
_SUGGESTED = '<span class="grade-suggested">Suggested</span>'


@lru_cache(maxsize=512)
def fieldset(buttons: tuple[GradeButton, ...], suggested: int | None) -> SafeString:
    """The `<fieldset>` of grade buttons; `suggested` marks the typed
    answer's suggested grade (None: no verdict)."""
    parts = [
        f'<fieldset class="grades grades-{len(buttons)}">\n'
        '            <legend class="grades-legend">How well did you know it?</legend>\n'
        "            "
    ]
    for button in buttons:
        choice, is_suggested = button.choice, button.grade == suggested
        parts.append(
            _BUTTON.format(
                grade=button.grade,
                tone=escape(choice.tone),
                suggested_class=" is-suggested" if is_suggested else "",
                key=escape(choice.key),
                meaning=escape(choice.meaning),
                label=escape(choice.label),
                interval=escape(button.interval),
                again=_AGAIN if button.again_today else "",
                suggested_mark=_SUGGESTED if is_suggested else "",
                description=escape(button.description),
            )
        )
    parts.append("\n          </fieldset>")
    return mark_safe("".join(parts))  # every value is escaped above
