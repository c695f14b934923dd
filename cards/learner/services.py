"""A learner's writes: sign-up, and settings that keep today's cards due."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cards.learner.usernames import username_key
from cards.models import LearnerProfile, ReviewSchedule, UsernameSkeleton


class UsernameTaken(ValueError):
    """The username looks like an existing one (same TR39 skeleton)."""


def _current(rows):
    return rows.filter(user__username=F("username"))


def is_username_confusable(username: str) -> bool:
    """Some account's username has the same skeleton as `username`."""
    key = username_key(username)
    if _current(UsernameSkeleton.objects.filter(skeleton=key)).exists():
        return True
    # Accounts made outside sign-up (createsuperuser, the demo) or renamed
    # since have no current row: few, so their keys are computed here.
    unrecorded = get_user_model().objects.exclude(
        username_skeleton__username=F("username")
    )
    return any(
        username_key(name) == key
        for name in unrecorded.values_list("username", flat=True).iterator()
    )


@transaction.atomic
def sign_up(
    *, username: str, email: str, password: str, time_zone: str = "UTC"
) -> AbstractBaseUser:
    """Create a learner and their settings; every active question starts as new.

    Raises UsernameTaken, writing nothing, for a look-alike of a username.
    """
    username = get_user_model().normalize_username(username)
    if is_username_confusable(username):
        raise UsernameTaken(username)
    user = get_user_model().objects.create_user(
        username=username, email=email, password=password
    )
    LearnerProfile.objects.create(user=user, time_zone=time_zone)
    key = username_key(username)
    stale = UsernameSkeleton.objects.filter(skeleton=key)
    stale.exclude(pk__in=_current(stale).values("pk")).delete()
    try:
        with transaction.atomic():
            UsernameSkeleton.objects.create(user=user, username=username, skeleton=key)
    except IntegrityError:  # a look-alike signed up at the same moment
        raise UsernameTaken(username) from None
    return user


@transaction.atomic
def save_settings(
    *, profile: LearnerProfile, now: datetime | None = None
) -> LearnerProfile:
    profile.full_clean()
    keep_due_cards_due(profile=profile, now=now or timezone.now())
    profile.save()
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
