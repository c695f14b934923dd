"""The bank's content models beyond the question itself (one app label: cards).

Imported at the end of cards/models.py so that the app registry finds them.
"""

from __future__ import annotations

from django.db import models

from cards.models import Question


class KeyPoint(models.Model):
    """What a strict, fair interviewer listens for (cards/review/check.py).

    A `must` point weighs more; asserting a misconception costs score.
    """

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="key_points"
    )
    order = models.PositiveSmallIntegerField(default=0)
    statement = models.CharField(max_length=300)
    aliases = models.CharField(
        max_length=500,
        blank=True,
        help_text="Other ways to say it, separated by semicolons: MHA; multi-head.",
    )
    is_must = models.BooleanField("must mention", default=False)
    is_misconception = models.BooleanField(
        "misconception",
        default=False,
        help_text="A wrong claim: asserting it costs score.",
    )

    class Meta:
        ordering = ["question", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(is_must=True, is_misconception=True),
                name="key_point_must_is_not_wrong",
            ),
        ]

    def __str__(self) -> str:
        kind = "wrong" if self.is_misconception else "must" if self.is_must else "point"
        return f"{kind}: {self.statement}"

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.split(";") if a.strip()]
