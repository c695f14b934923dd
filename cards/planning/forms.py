"""Forms of the plan: the interview date, a break, a backlog spread."""

from django import forms

from cards.models import Level
from cards.scheduling import plan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InterviewForm(forms.Form):
    interview_on = forms.DateField(
        label="Interview date",
        widget=DATE,
        help_text="The plan makes sure every chosen question is known on the day.",
        error_messages={
            "required": "Enter the interview date.",
            "invalid": "Enter a date such as 2026-03-01.",
        },
    )
    levels = forms.TypedMultipleChoiceField(
        label="Levels that matter",
        choices=Level.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every level.",
    )
    minutes_per_day = forms.IntegerField(
        label="Minutes a day you can give",
        required=False,
        min_value=plan.core.MIN_MINUTES,
        max_value=plan.core.MAX_MINUTES,
        widget=forms.NumberInput(
            attrs={"min": plan.core.MIN_MINUTES, "max": plan.core.MAX_MINUTES}
        ),
        help_text="Optional, 5 to 600. The plan tells you what fits.",
    )


class BreakForm(forms.Form):
    starts_on = forms.DateField(label="I'm away from", widget=DATE)
    ends_on = forms.DateField(label="to (last day away)", widget=DATE)

    def clean(self):
        data = super().clean()
        first, last = data.get("starts_on"), data.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", "The last day away is before the first.")
        return data


class BacklogForm(forms.Form):
    days = forms.IntegerField(label="Spread over (days)", min_value=1, max_value=90)
