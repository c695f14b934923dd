"""The progress page's range switch."""

from django import forms

from cards import progress


class ProgressRangeForm(forms.Form):
    """The ?days= switch of the progress page; missing means the default."""

    days = forms.TypedChoiceField(
        choices=[(str(n), label) for n, label in progress.RANGES.items()],
        coerce=int,
        required=False,
        empty_value=progress.DEFAULT_RANGE,
    )
