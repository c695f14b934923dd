"""Forms of a mock interview: the setup, a draft, a hand-in, a grade."""

from django import forms

from cards.mock import plan
from cards.models import Level
from cards.review import buttons, typed
from cards.review.forms import TOO_LONG, confidence_field
from cards.web.numbers import WholeNumberField, coerce_whole_number


class SetupForm(forms.Form):
    count = WholeNumberField(
        label="Number of questions",
        min_value=1,
        max_value=plan.MAX_COUNT,
        max_digits=2,
        strip=True,
        initial=plan.DEFAULT_COUNT,
        help_text=f"1 to {plan.MAX_COUNT}.",
    )
    level = forms.TypedMultipleChoiceField(
        label="Levels",
        choices=Level.choices,
        coerce=coerce_whole_number,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: a mix of every level, weighted towards what "
        "you are least likely to recall today.",
        error_messages={"invalid_choice": "There is no level %(value)s."},
    )
    topic = forms.MultipleChoiceField(
        label="Topics",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every topic you study.",
        error_messages={"invalid_choice": "There is no topic %(value)s."},
    )
    seconds = WholeNumberField(
        label="Seconds per question",
        min_value=plan.MIN_LIMIT,
        max_value=plan.MAX_LIMIT,
        max_digits=3,
        strip=True,
        required=False,
        help_text="Empty: by level (Basic 90, Intermediate 150, Advanced 240). "
        f"Or {plan.MIN_LIMIT} to {plan.MAX_LIMIT} for every question.",
    )

    def __init__(self, *args: object, topics: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = topics

    def levels(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.cleaned_data.get("level") or ())))

    def topics(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.cleaned_data.get("topic") or ())))


def _text() -> forms.CharField:
    return forms.CharField(
        required=False,
        strip=False,
        max_length=typed.MAX_TYPED_CHARS,
        error_messages={"max_length": TOO_LONG},
    )


class DraftForm(forms.Form):
    answer = WholeNumberField(max_digits=18)
    text = _text()

    def clean_text(self) -> str:
        return self.cleaned_data["text"].replace("\r\n", "\n")


class HandInForm(DraftForm):
    confidence = confidence_field()


class ConfirmForm(forms.Form):
    grade = WholeNumberField(
        max_digits=1,
        min_value=0,
        max_value=5,
        error_messages={"required": "Choose a grade."},
    )

    def __init__(self, *args: object, scale: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.scale = scale

    def clean_grade(self) -> int:
        grade = self.cleaned_data["grade"]
        if grade not in buttons.allowed_grades(self.scale):
            raise forms.ValidationError(f"Grade {grade} is not one of your buttons.")
        return grade
