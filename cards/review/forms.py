"""Forms: sign-up, grading and settings."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from cards import progress
from cards.models import (
    LearnerProfile,
    Level,
    time_zone_names,
    validate_time_zone,
)
from cards.review import buttons as grades


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=False,
        help_text="Optional. Needed only to reset a forgotten password.",
    )
    # Filled in from the browser (static/js/app.js); UTC when JavaScript is off.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_time_zone(self) -> str:
        value = self.cleaned_data.get("time_zone") or "UTC"
        try:
            validate_time_zone(value)
        except forms.ValidationError:
            return "UTC"
        return value


# --- Progress page (issue 4) -------------------------------------------------


class ProgressRangeForm(forms.Form):
    """The ?days= switch of the progress page; missing means the default."""

    days = forms.TypedChoiceField(
        choices=[(str(n), label) for n, label in progress.RANGES.items()],
        coerce=int,
        required=False,
        empty_value=progress.DEFAULT_RANGE,
    )


# --- Review session and settings (issue 3) -----------------------------------
# Grades, versions and ids are checked against exact patterns rather than with
# int(): int() accepts " 3", "-0" and "٣" (Arabic-Indic three).

DIGITS_ERROR = "must be a whole number written with the digits 0-9"


def _digits(max_digits: int, name: str, *, required: bool = True) -> forms.RegexField:
    return forms.RegexField(
        # Canonical only: no sign, no spaces, no leading zeros.
        regex=rf"\A(?:0|[1-9][0-9]{{0,{max_digits - 1}}})\Z",
        required=required,
        max_length=max_digits,
        error_messages={
            "required": f"The {name} is missing.",
            "invalid": f"The {name} {DIGITS_ERROR}.",
            "max_length": f"The {name} is too long.",
        },
    )


class LevelsForm(forms.Form):
    """The levels a review session is restricted to (none chosen = all)."""

    level = forms.TypedMultipleChoiceField(
        choices=Level.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "There is no level %(value)s."},
    )

    def levels(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.cleaned_data.get("level") or ())))


class ReviewPageForm(LevelsForm):
    card = _digits(12, "card number", required=False)


class RevealForm(LevelsForm):
    version = _digits(9, "card version")
    shown_at = _digits(15, "display time", required=False)


class GradeForm(RevealForm):
    grade = forms.RegexField(
        regex=r"\A[0-5]\Z",
        error_messages={
            "required": "Choose a grade.",
            "invalid": "A grade is a single digit from 0 to 5.",
        },
    )

    def __init__(self, *args: object, scale: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.scale = scale

    def clean_grade(self) -> int:
        grade = int(self.cleaned_data["grade"])
        if grade not in grades.allowed_grades(self.scale):
            raise forms.ValidationError(
                f"Grade {grade} is not one of your buttons; "
                "reload the page if you changed your settings."
            )
        return grade

    def duration_ms(self, now_ms: int) -> int | None:
        shown_at = self.cleaned_data.get("shown_at")
        return None if not shown_at else max(0, now_ms - int(shown_at))


class UndoForm(LevelsForm):
    log = _digits(18, "answer to undo")


def first_error(form: forms.Form) -> str:
    """The first error of `form` as one sentence, for a 400 response."""
    for errors in form.errors.values():
        return str(errors[0])
    return "The request was not understood."


def _hour_label(hour: int) -> str:
    label = f"{hour:02d}:00"
    return {0: f"{label} (midnight)", 4: f"{label} (default, as Anki)"}.get(hour, label)


def _time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in time_zone_names():
        region = name.split("/", 1)[0] if "/" in name else "Other"
        groups.setdefault(region, []).append((name, name.replace("_", " ")))
    return list(groups.items())


class SettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=_time_zone_choices,
        help_text="Your day starts and ends in this time zone.",
    )
    rollover_hour = forms.TypedChoiceField(
        label="New day starts at",
        choices=[(h, _hour_label(h)) for h in range(24)],
        coerce=int,
        help_text="Cards answered before this hour count for the previous day, "
        "so a late session does not eat into tomorrow.",
    )

    class Meta:
        model = LearnerProfile
        fields = [
            "time_zone",
            "rollover_hour",
            "new_cards_per_day",
            "reviews_per_day",
            "grade_scale",
        ]
        labels = {
            "new_cards_per_day": "New cards per day",
            "reviews_per_day": "Reviews per day",
            "grade_scale": "Grade buttons",
        }
        help_texts = {
            "new_cards_per_day": "0 to 500. Questions you have never answered.",
            "reviews_per_day": "1 to 5,000. When you reach it the session ends, "
            "even if more cards are due.",
        }
        widgets = {
            "new_cards_per_day": forms.NumberInput(attrs={"min": 0, "max": 500}),
            "reviews_per_day": forms.NumberInput(attrs={"min": 1, "max": 5000}),
            "grade_scale": forms.RadioSelect,
        }


# --- The learner's own data (issue 6) ----------------------------------------


class ImportDataForm(forms.Form):
    file = forms.FileField(
        label="Data file",
        help_text="A .json file from “Download my data” (at most 20 MB).",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        from cards.learner.userdata import MAX_IMPORT_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB.")
        return upload


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To confirm that it is you.",
    )

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
