"""The scheduler setting (issue 19): SM-2 or FSRS, and FSRS's desired retention."""

from decimal import Decimal

from django import forms

from cards.models import SchedulerChoice

COST = (
    "Above 0.90 the workload rises quickly: each step towards 1.00 buys less "
    "extra recall for many more reviews."
)


class SchedulerForm(forms.Form):
    scheduler = forms.ChoiceField(
        label="Scheduling algorithm",
        choices=SchedulerChoice.choices,
        widget=forms.RadioSelect,
    )
    desired_retention = forms.DecimalField(
        label="Desired retention (FSRS)",
        min_value=Decimal("0.70"),
        max_value=Decimal("0.97"),
        max_digits=3,
        decimal_places=2,
        help_text="From 0.70 to 0.97 (0.90 by default): the share of cards you "
        "want to recall when they come due. " + COST,
        widget=forms.NumberInput(attrs={"min": "0.70", "max": "0.97", "step": "0.01"}),
    )
