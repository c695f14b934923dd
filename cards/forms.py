"""Forms: sign-up (and, later, grading and settings)."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from cards import progress
from cards.models import validate_time_zone


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
