"""The reminder settings form: on/off, the local hour, the days of the week."""

from __future__ import annotations

import calendar

from django import forms

from cards.models import ReminderSettings

DAY_CHOICES = [(str(i), calendar.day_name[i]) for i in range(7)]


class ReminderSettingsForm(forms.ModelForm):
    hour = forms.TypedChoiceField(
        label="Send at",
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        coerce=int,
        help_text="In your time zone; the email arrives within 15 minutes.",
    )
    days = forms.MultipleChoiceField(
        label="On these days",
        choices=DAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day."},
    )

    class Meta:
        model = ReminderSettings
        fields = ["is_enabled", "hour"]
        labels = {"is_enabled": "Email me a daily reminder"}
        help_texts = {
            "is_enabled": "Only on days when cards are due and you have not "
            "studied yet. Every email has a one-click unsubscribe link."
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bits = self.instance.weekdays
        self.initial["days"] = [str(i) for i in range(7) if bits & (1 << i)]
        for name in ("is_enabled", "hour"):
            described = f"id_{name}_helptext"
            self.fields[name].widget.attrs["aria-describedby"] = described

    def clean(self):
        cleaned = super().clean()
        days = cleaned.get("days")
        if days is not None:
            self.instance.weekdays = sum(1 << int(d) for d in set(days))
        return cleaned


def fieldset_context(user, form: ReminderSettingsForm | None = None) -> dict:
    """What the reminders fieldset of the settings page shows."""
    from cards.reminders import services

    reminder = form.instance if form is not None else services.settings_for(user)
    return {
        "reminder_form": form or ReminderSettingsForm(instance=reminder),
        "reminder": reminder,
        "email_verified": reminder.is_email_verified,
    }
