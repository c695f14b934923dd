"""A learner's writes: sign-up, and settings that keep today's cards due."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from cards.models import LearnerProfile, ReviewSchedule


@transaction.atomic
def sign_up(
    *, username: str, email: str, password: str, time_zone: str = "UTC"
) -> AbstractBaseUser:
    """Create a learner and their settings; every active question starts as new."""
    user = get_user_model().objects.create_user(
        username=username, email=email, password=password
    )
    LearnerProfile.objects.create(user=user, time_zone=time_zone)
    return user


@transaction.atomic
def save_settings(
    *, profile: LearnerProfile, now: datetime | None = None
) -> LearnerProfile:
    from cards.reminders import services as reminders

    now = now or timezone.now()
    profile.full_clean()
    keep_due_cards_due(profile=profile, now=now)
    profile.save()
    # The reminder hour is local: a new time zone moves its UTC instant.
    reminders.reschedule_for(user=profile.user, now=now)
    return profile


def keep_due_cards_due(*, profile: LearnerProfile, now: datetime) -> int:
    """Keep what is due today due when `profile`'s day moves (before saving it).

    A new time zone or rollover hour can put "today" on another date. Moving
    back a day (going west) would hide the cards due today until tomorrow, so
    they become due on the new today; re-drills of today follow today either
    way. Returns the number of schedules moved.
    """
    stored = LearnerProfile.objects.filter(user=profile.user).first()
    old_day = (stored or LearnerProfile(user=profile.user)).study_day(now)
    new_day = profile.study_day(now)
    if new_day == old_day:
        return 0
    mine = ReviewSchedule.objects.for_user(profile.user)
    moved = mine.filter(redrill_on=old_day).update(redrill_on=new_day)
    if new_day < old_day:
        moved += mine.filter(due_on__gt=new_day, due_on__lte=old_day).update(
            due_on=new_day
        )
    return moved
