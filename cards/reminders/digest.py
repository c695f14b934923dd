"""The daily digest: what is due, whether the streak is at risk, as one email."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from cards.models import ReminderDelivery, ReminderSettings, ReviewLog, profile_for
from cards.planning import dashboard
from cards.progress.core import streaks
from cards.reminders import tokens
from cards.review import queue

STREAK_WINDOW_DAYS = 400


@dataclass(frozen=True)
class Digest:
    new: int
    reviews: int
    redrills: int
    streak: int  # days in a row up to yesterday; at risk if today is not studied
    today: date
    interview_on: date | None = None  # the interview plan's date, if one is set

    @property
    def days_to_interview(self) -> int | None:
        """Days left before the interview; None without one or once it has passed."""
        if self.interview_on is None or self.interview_on < self.today:
            return None
        return (self.interview_on - self.today).days

    @property
    def countdown(self) -> str:
        """The plan's own wording ("N days to your interview."), or ""."""
        left = self.days_to_interview
        if left is None:
            return ""
        return dashboard.Summary(row=None, days_left=left).days_left_text

    @property
    def total(self) -> int:
        return self.new + self.reviews + self.redrills


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(user_id: int) -> str:
    token = tokens.unsubscribe_token(user_id=user_id)
    return absolute(reverse("cards:reminders_unsubscribe", args=[token]))


def study_days(user_ids: Iterable[int], *, now: datetime) -> dict[int, set[date]]:
    """The recent study days of many learners in one query (for their streaks)."""
    since = now.date() - timedelta(days=STREAK_WINDOW_DAYS + 1)
    found: dict[int, set[date]] = {}
    rows = (
        ReviewLog.objects.filter(user_id__in=list(user_ids), study_day__gte=since)
        .values_list("user_id", "study_day")
        .distinct()
    )
    for user_id, day in rows:
        found.setdefault(user_id, set()).add(day)
    return found


def digest_for(
    user, *, now: datetime, days: set[date] | None = None
) -> tuple[Digest | None, str]:
    """The digest for `user` at `now`, or None and why nothing is sent."""
    profile = profile_for(user)
    snap = queue.snapshot(user=user, profile=profile, now=now)
    if snap.done:
        return None, "already studied today"
    if not snap.left:
        return None, "nothing due"
    if days is None:
        days = study_days([user.pk], now=now).get(user.pk, set())
    streak, _ = streaks(days, today=snap.today)
    return Digest(
        new=snap.new_left,
        reviews=snap.reviews_left,
        redrills=snap.redrills,
        streak=streak,
        today=snap.today,
        interview_on=snap.plan_on,
    ), ""


def _reminder_of(user) -> ReminderSettings | None:
    try:
        return user.reminders
    except ReminderSettings.DoesNotExist:
        return None


def build(
    *, delivery: ReminderDelivery, now: datetime, days: set[date] | None = None
) -> tuple[EmailMultiAlternatives | None, str]:
    """The message for `delivery`, or None and why it is skipped."""
    user = delivery.user
    reminder = _reminder_of(user)
    if not user.is_active:
        return None, "account inactive"
    if reminder is None or not reminder.is_enabled:
        return None, "reminders turned off"
    if not reminder.is_email_verified:
        return None, "email address not verified"
    found, why_not = digest_for(user, now=now, days=days)
    if found is None:
        return None, why_not
    return message_for(user, found), ""


def message_for(user, found: Digest) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(user.pk)
    context = {
        "user": user,
        "digest": found,
        "review_url": absolute(reverse("cards:review")),
        "settings_url": absolute(reverse("cards:settings")) + "#reminders",
        "unsubscribe_url": unsubscribe,
    }
    subject = (
        f"{found.total} card{'' if found.total == 1 else 's'} waiting today"
        + (f": keep your {found.streak}-day streak" if found.streak else "")
        + " · GenAI Prep"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("reminders/digest.txt", context),
        to=[user.email],
        headers={
            # RFC 8058 one-click unsubscribe; RFC 2369 List-Unsubscribe.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("reminders/digest.html", context), "text/html"
    )
    return message
