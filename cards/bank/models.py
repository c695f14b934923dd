"""The bank's content models beyond the question itself (one app label: cards).

Imported at the end of cards/models.py so that the app registry finds them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cards.models import Question


class TopicManager(models.Manager["Topic"]):
    def get_by_natural_key(self, slug: str) -> Topic:
        return self.get(slug=slug)


class Topic(models.Model):
    """What a question is about (issue 16); a question may have several."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_opt_in = models.BooleanField(
        "opt-in",
        default=False,
        help_text="Studied only by learners who choose it, and hidden from the "
        "others (the demo's placeholder questions).",
    )

    objects = TopicManager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class LearnerTopic(models.Model):
    """A learner's choice for one topic, where it differs from the default.

    Without a row a learner studies every topic that is not opt-in.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    is_studied = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], name="one_choice_per_user_topic"
            ),
        ]

    def __str__(self) -> str:
        verb = "studies" if self.is_studied else "skips"
        return f"{self.user} {verb} {self.topic}"


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


# Revisions (issue 5) ----------------------------------------------------------


class RevisionSource(models.TextChoices):
    ADMIN = "admin", "Admin edit"
    IMPORT = "import", "Import"


class QuestionRevision(models.Model):
    """One change to a question: who, when, and its text before and after."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="revisions"
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()
    source = models.CharField(max_length=8, choices=RevisionSource)
    changed = models.CharField(
        max_length=200, help_text="What changed, e.g. 'answer; level 1 -> 2'."
    )
    is_substantial = models.BooleanField(
        "substantial",
        default=False,
        help_text="Learners who knew the question were shown it again.",
    )
    old_prompt = models.TextField(blank=True)
    new_prompt = models.TextField()
    old_answer = models.TextField(blank=True)
    new_answer = models.TextField()
    # One `must: statement | also: alias` line per key point (issue 15).
    old_key_points = models.TextField(blank=True, default="")
    new_key_points = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["question", "-created_at"], name="revision_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question} ({self.changed}, {self.created_at:%Y-%m-%d %H:%M})"
