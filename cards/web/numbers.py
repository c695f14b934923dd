"""The one strict parser of whole numbers read from forms and query strings.

int() accepts " 3", "+3", "03", "3_0" and any Unicode decimal digit ("٣",
"３"), so a value could be stored that the learner never typed as such. Every
numeric field the app reads goes through `parse_whole_number`, directly or
through `WholeNumberField` (or as the `coerce` of a choice field).
"""

from __future__ import annotations

import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

# On str patterns [0-9] is ASCII only (unlike \d). Canonical: no sign, no
# spaces, no leading zeros, so each number has one spelling.
_CANONICAL = re.compile(r"\A(?:0|[1-9][0-9]*)\Z")
MAX_DIGITS = 18  # fits a 64-bit integer column

DIGITS_MESSAGE = "must be a whole number written with the digits 0-9"


class NotAWholeNumber(ValueError):
    """`text` is not a canonical whole number; `code` is "invalid" or "max_length"."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


def parse_whole_number(text: object, *, max_digits: int = MAX_DIGITS) -> int:
    if not isinstance(text, str):
        raise NotAWholeNumber(DIGITS_MESSAGE)
    if len(text) > max_digits:
        raise NotAWholeNumber(
            f"is too long (at most {max_digits} digits)", code="max_length"
        )
    if not _CANONICAL.match(text):
        foreign = [c for c in text if c.isdigit() and not c.isascii()]
        if foreign:
            raise NotAWholeNumber(
                f"must be written with the digits 0-9, not {foreign[0]}"
            )
        if re.fullmatch(r"-[0-9]+", text):
            raise NotAWholeNumber("must not be negative")
        if re.fullmatch(r"0[0-9]+", text):
            raise NotAWholeNumber("must be written without leading zeros")
        raise NotAWholeNumber(DIGITS_MESSAGE)
    return int(text)


def coerce_whole_number(text: object) -> int:
    """`coerce` for TypedChoiceField (raises ValueError, which it reports)."""
    return text if type(text) is int else parse_whole_number(text)


class WholeNumberField(forms.Field):
    """A form field for whole numbers through `parse_whole_number`.

    `strip` drops surrounding spaces (a person typing); machine-written
    fields (versions, ids) keep it off. Error messages may use %(problem)s.
    """

    widget = forms.NumberInput
    default_error_messages = {
        "invalid": "Enter a whole number: this %(problem)s.",
        "max_length": "Enter a whole number: this %(problem)s.",
    }

    def __init__(
        self,
        *,
        min_value: int | None = None,
        max_value: int | None = None,
        max_digits: int = MAX_DIGITS,
        strip: bool = False,
        **kwargs,
    ) -> None:
        kwargs.pop("step_size", None)
        self.min_value, self.max_value = min_value, max_value
        self.max_digits, self.strip = max_digits, strip
        super().__init__(**kwargs)
        if min_value is not None:
            self.validators.append(MinValueValidator(min_value))
        if max_value is not None:
            self.validators.append(MaxValueValidator(max_value))

    def to_python(self, value: object) -> int | None:
        if value in self.empty_values:
            return None
        if type(value) is int:
            return value
        text = value.strip() if self.strip and isinstance(value, str) else value
        if text == "":
            return None
        try:
            return parse_whole_number(text, max_digits=self.max_digits)
        except NotAWholeNumber as error:
            raise forms.ValidationError(
                self.error_messages[error.code],
                code=error.code,
                params={"problem": str(error)},
            ) from None

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.NumberInput):
            if self.min_value is not None:
                attrs["min"] = self.min_value
            if self.max_value is not None:
                attrs["max"] = self.max_value
        return attrs
