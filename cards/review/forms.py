"""Forms of the review screen: levels, the card shown, grades, undo."""

from django import forms

from cards.learner.choices import Confidence
from cards.models import Level
from cards.review import buttons, typed
from cards.web.numbers import WholeNumberField, coerce_whole_number


class _SharedFields(dict):
    def __deepcopy__(self, memo: dict) -> dict:
        return dict(self)


def parse_only[F: type[forms.Form]](form_class: F) -> F:
    """Let `form_class`'s instances share its fields instead of deep-copying
    them (Django copies every field and widget per instance, ~0.3 ms for a
    grade's six). Only for forms that parse and are never rendered and never
    change a field per request: these forms, which the review views only
    validate and read `cleaned_data` and errors from."""
    form_class.base_fields = _SharedFields(form_class.base_fields)
    return form_class


# Grades, versions and ids go through the one strict parser (cards/web/numbers):
# int() accepts " 3", "-0" and "٣" (Arabic-Indic three).


def _digits(max_digits: int, name: str, *, required: bool = True) -> WholeNumberField:
    return WholeNumberField(
        max_digits=max_digits,
        required=required,
        error_messages={
            "required": f"The {name} is missing.",
            "invalid": f"The {name} %(problem)s.",
            "max_length": f"The {name} is too long.",
        },
    )


@parse_only
class LevelsForm(forms.Form):
    """The levels a review session is restricted to (none chosen = all)."""

    level = forms.TypedMultipleChoiceField(
        choices=Level.choices,
        coerce=coerce_whole_number,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "There is no level %(value)s."},
    )

    def levels(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.cleaned_data.get("level") or ())))


@parse_only
class ReviewPageForm(LevelsForm):
    card = _digits(12, "card number", required=False)


def confidence_field() -> forms.TypedChoiceField:
    """Issue 18: Unsure / Fairly sure / Certain (1-3), rated before the reveal;
    optional, and sent in the same request as the reveal or the grade."""
    return forms.TypedChoiceField(
        choices=Confidence.choices,
        coerce=coerce_whole_number,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Confidence is 1, 2 or 3, not %(value)s."},
    )


@parse_only
class RevealForm(LevelsForm):
    version = _digits(9, "card version")
    shown_at = _digits(15, "display time", required=False)
    confidence = confidence_field()


TOO_LONG = (
    "Your answer has %(show_value)s characters; answers are limited to "
    f"{typed.MAX_TYPED_CHARS:,}. Shorten it, or skip to the answer."
)


def _typed_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        required=required,
        strip=False,
        max_length=typed.MAX_TYPED_CHARS,
        error_messages={
            "required": "Type an answer first, or skip to the answer.",
            "max_length": TOO_LONG,
        },
    )


@parse_only
class CheckForm(RevealForm):
    """A typed answer, to be checked against the key points before the reveal."""

    typed = _typed_field(required=True)

    def clean_typed(self) -> str:
        text = self.cleaned_data["typed"].replace("\r\n", "\n")
        if not text.strip():
            raise forms.ValidationError("Type an answer first, or skip to the answer.")
        return text


@parse_only
class GradeForm(RevealForm):
    grade = WholeNumberField(
        max_digits=1,
        min_value=0,
        max_value=5,
        error_messages={
            "required": "Choose a grade.",
            **dict.fromkeys(
                ["invalid", "max_length", "min_value", "max_value"],
                "A grade is a single digit from 0 to 5.",
            ),
        },
    )

    typed = _typed_field(required=False)

    def __init__(self, *args: object, scale: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.scale = scale

    def clean_typed(self) -> str:
        return self.cleaned_data["typed"].replace("\r\n", "\n")

    def clean_grade(self) -> int:
        grade = self.cleaned_data["grade"]
        if grade not in buttons.allowed_grades(self.scale):
            raise forms.ValidationError(
                f"Grade {grade} is not one of your buttons; "
                "reload the page if you changed your settings."
            )
        return grade

    def duration_ms(self, now_ms: int) -> int | None:
        shown_at = self.cleaned_data.get("shown_at")
        return None if shown_at is None else max(0, now_ms - shown_at)


@parse_only
class UndoForm(LevelsForm):
    log = _digits(18, "answer to undo")


def first_error(form: forms.Form) -> str:
    """The first error of `form` as one sentence, for a 400 response."""
    for errors in form.errors.values():
        return str(errors[0])
    return "The request was not understood."
