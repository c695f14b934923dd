"""The progress page's range switch."""

from django import forms

from cards import progress
from cards.web.numbers import coerce_whole_number


class ProgressRangeForm(forms.Form):
    """The ?days= switch of the progress page; missing means the default."""

    days = forms.TypedChoiceField(
        choices=[(str(n), label) for n, label in progress.RANGES.items()],
        coerce=coerce_whole_number,
        required=False,
        empty_value=progress.DEFAULT_RANGE,
    )
