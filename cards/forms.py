"""Forms: sign-up (and, later, grading and settings)."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

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


# --- The learner's own data (issue 6) ----------------------------------------


class ImportDataForm(forms.Form):
    file = forms.FileField(
        label="Data file",
        help_text="A .json file from “Download my data” (at most 20 MB).",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        from cards.userdata import MAX_IMPORT_BYTES

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
