"""Reminder settings per learner and one delivery record per (learner, local day)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

__all__ = ["DeliveryStatus", "ReminderDelivery", "ReminderSettings"]

ALL_DAYS = 0b1111111  # Monday is bit 0, as date.weekday()
DEFAULT_HOUR = 8


class ReminderSettings(models.Model):
    """Whether, when and where a learner gets the daily digest.

    `next_send_at` (UTC) is the next moment the digest is due, computed from the
    hour, the days and the learner's time zone (cards/reminders/timing.py); the
    tick picks rows by it, so it is indexed where reminders are on.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    is_enabled = models.BooleanField("daily reminder email", default=False)
    hour = models.PositiveSmallIntegerField(
        "send at",
        default=DEFAULT_HOUR,
        validators=[MaxValueValidator(23)],
        help_text="Local hour (0-23) in your time zone.",
    )
    weekdays = models.PositiveSmallIntegerField(
        default=ALL_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(ALL_DAYS)],
        help_text="Days of the week, one bit each (Monday = 1, Sunday = 64).",
    )
    verified_email = models.EmailField(
        blank=True,
        help_text="The address confirmed by a signed link; mail goes only here, "
        "and only while it is still the account's address.",
    )
    next_send_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hour__lte=23), name="reminder_hour_0_23"
            ),
            models.CheckConstraint(
                condition=models.Q(weekdays__gte=1, weekdays__lte=ALL_DAYS),
                name="reminder_weekdays_bits",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_send_at"],
                condition=models.Q(is_enabled=True),
                name="reminder_due",
            ),
        ]

    def __str__(self) -> str:
        state = f"on at {self.hour:02d}:00" if self.is_enabled else "off"
        return f"Reminders of {self.user}: {state}"

    @property
    def is_email_verified(self) -> bool:
        email = self.user.email
        return bool(email) and self.verified_email.lower() == email.lower()


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"


class ReminderDelivery(models.Model):
    """The one digest of a learner's local day: created with its job, never twice.

    The unique (user, local_date) row is written in the transaction that
    enqueues the send, so a second tick (or a retry) can never add another.
    A worker moves it queued -> sending before talking to SMTP and
    sending -> sent/queued(retry)/failed after; a crash mid-send leaves it
    `sending`, which is never sent again (at most once).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    local_date = models.DateField(help_text="The learner's calendar day of the send.")
    due_at = models.DateTimeField(help_text="The moment the digest was due (UTC).")
    status = models.CharField(
        max_length=8, choices=DeliveryStatus, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "reminder deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "local_date"], name="one_reminder_per_learner_day"
            ),
        ]
        # Pruning (daily maintenance) and the metrics' last-day counts.
        indexes = [models.Index(fields=["created_at"], name="delivery_created")]

    def __str__(self) -> str:
        return f"Reminder to {self.user} for {self.local_date}: {self.status}"
