"""Forms of sign-up, settings and "Your data"."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from cards.learner import zones
from cards.learner.services import is_username_confusable
from cards.learner.userdata import MAX_DECOMPRESSED_BYTES
from cards.models import LearnerProfile, validate_time_zone
from cards.web.numbers import WholeNumberField, coerce_whole_number

LOOKALIKE = (
    "This username looks too much like an existing username (some letters "
    "from other alphabets, or pairs such as “rn” and “m”, look the same). "
    "Please choose another."
)


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

    def clean_username(self) -> str:
        username = super().clean_username()
        if username and is_username_confusable(username):
            raise forms.ValidationError(LOOKALIKE, code="confusable")
        return username

    def clean_time_zone(self) -> str:
        value = self.cleaned_data.get("time_zone") or "UTC"
        try:
            validate_time_zone(value)
        except forms.ValidationError:
            return "UTC"
        return value


def _hour_label(hour: int) -> str:
    label = f"{hour:02d}:00"
    return {0: f"{label} (midnight)", 4: f"{label} (default, as Anki)"}.get(hour, label)


class SettingsForm(forms.ModelForm):
    # A text field over a datalist of zones (a native combobox, no script
    # needed): a zone from the list, or a city typed ("tokyo").
    time_zone = forms.CharField(
        max_length=64,
        help_text="Type a city, such as Tokyo or New York, and pick it from the "
        "list. Your day starts and ends in this time zone. A change takes effect "
        "from tomorrow, when your current study day ends.",
    )
    new_cards_per_day = WholeNumberField(
        label="New cards per day",
        min_value=0,
        max_value=500,
        strip=True,
        help_text="0 to 500. Questions you have never answered.",
    )
    reviews_per_day = WholeNumberField(
        label="Reviews per day",
        min_value=1,
        max_value=5_000,
        strip=True,
        help_text="1 to 5,000. When you reach it the session ends, "
        "even if more cards are due.",
    )
    rollover_hour = forms.TypedChoiceField(
        label="New day starts at",
        choices=[(h, _hour_label(h)) for h in range(24)],
        coerce=coerce_whole_number,
        help_text="Cards answered before this hour count for the previous day, "
        "so a late session does not eat into tomorrow. A change takes effect "
        "from tomorrow.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        profile = self.instance
        if profile.has_pending:  # show what the learner chose, in force or not
            zone, hour = profile.day_settings_at(profile.pending_from)
            self.initial.update(time_zone=zone, rollover_hour=hour)

    def clean_time_zone(self) -> str:
        typed = self.cleaned_data["time_zone"]
        zone = zones.resolve(typed)
        if zone is None:
            raise forms.ValidationError(
                "“%(typed)s” is not a time zone or city we know. Type a city "
                "(such as Tokyo) and pick it from the list.",
                params={"typed": typed[:64]},
            )
        return zone

    class Meta:
        model = LearnerProfile
        fields = [
            "time_zone",
            "rollover_hour",
            "new_cards_per_day",
            "reviews_per_day",
            "grade_scale",
            "type_answer_first",
            "rate_confidence",
        ]
        labels = {
            "type_answer_first": "Type my answer first",
            "rate_confidence": "Rate my confidence before the answer",
            "grade_scale": "Grade buttons",
        }
        help_texts = {
            "type_answer_first": "Type your answer before it is shown: you see "
            "which key points you covered and a suggested grade.",
            "rate_confidence": "Before each answer is shown (in reviews and mock "
            "interviews), say how sure you are: Unsure, Fairly sure or Certain "
            "(keys 1, 2, 3). Your progress page then shows how often each "
            "feeling is right.",
        }
        widgets = {"grade_scale": forms.RadioSelect}


class ImportDataForm(forms.Form):
    file = forms.FileField(
        label="Data file",
        help_text="A file from “Download my data” (.jsonl.gz, or .json from "
        f"before December 2026), at most {MAX_DECOMPRESSED_BYTES // 2**20} MB "
        "once decompressed.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".gz,.jsonl,.json,application/gzip,application/json"}
        ),
    )

    def clean_file(self):
        # The limit that matters is on the decompressed bytes (checked while
        # reading); an upload larger than that cannot be a valid file.
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DECOMPRESSED_BYTES:
            limit = MAX_DECOMPRESSED_BYTES // 2**20
            raise forms.ValidationError(f"The file is larger than {limit} MB.")
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
