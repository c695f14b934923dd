"""A learner's writes: sign-up, and settings that keep today's study day whole."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cards.learner.usernames import username_key
from cards.models import LearnerProfile, ReviewLog, ReviewSchedule, UsernameSkeleton
from cards.scheduling import days


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


def settle_pending(profile: LearnerProfile, *, now: datetime) -> None:
    """Move pending day settings whose time has come into place (not saved)."""
    if profile.pending_from is not None and now >= profile.pending_from:
        profile.time_zone, profile.rollover_hour = profile.day_settings_at(now)
        clear_pending(profile)


def clear_pending(profile: LearnerProfile) -> None:
    profile.pending_time_zone, profile.pending_rollover_hour = "", None
    profile.pending_from = None


@transaction.atomic
def save_settings(
    *, profile: LearnerProfile, now: datetime | None = None
) -> LearnerProfile:
    """Save `profile` as edited (its time zone and rollover hour as chosen).

    For a learner who has answered cards, a new time zone or rollover hour
    takes effect at the next rollover under the settings in force: changing
    them never starts a study day early, so one evening cannot give extra
    study days, daily limits or streak days. They are kept as pending_* and
    study_day() applies them from `pending_from`; the next save stores them.
    """
    from cards.reminders import services as reminders

    now = now or timezone.now()
    profile.full_clean()
    stored = LearnerProfile.objects.select_for_update().filter(user=profile.user)
    current = stored.first() or LearnerProfile(user=profile.user)
    settle_pending(current, now=now)
    chosen = (profile.time_zone, profile.rollover_hour)
    in_force = (current.time_zone, current.rollover_hour)
    studied = ReviewLog.objects.for_user(profile.user).exists()
    if chosen == in_force or not studied:
        clear_pending(profile)
        keep_due_cards_due(
            user=profile.user,
            old_day=current.study_day(now),
            new_day=profile.study_day(now),
        )
    else:
        profile.time_zone, profile.rollover_hour = in_force
        profile.pending_time_zone, profile.pending_rollover_hour = chosen
        profile.pending_from = current.pending_from or days.next_rollover(
            now, tz=current.tzinfo, rollover_hour=current.rollover_hour
        )
        # Today ends as it would have; if the new settings then start on an
        # earlier date (far west), what is due today stays due.
        keep_due_cards_due(
            user=profile.user,
            old_day=current.study_day(now),
            new_day=profile.study_day(profile.pending_from),
            redrills=False,
        )
    profile.save()
    # The reminder hour is local: a new time zone moves its UTC instant.
    reminders.reschedule_for(user=profile.user, now=now)
    return profile


def keep_due_cards_due(
    *, user: object, old_day: date, new_day: date, redrills: bool = True
) -> int:
    """Keep what is due on `old_day` due when the learner's day becomes `new_day`.

    Moving back a day (going west) would hide the cards due today until
    tomorrow, so they become due on the new day. With `redrills`, re-drills
    of the old day follow the day (a change in force at once). Returns the
    number of schedules moved.
    """
    if new_day == old_day:
        return 0
    mine = ReviewSchedule.objects.for_user(user)
    moved = (
        mine.filter(redrill_on=old_day).update(redrill_on=new_day) if redrills else 0
    )
    if new_day < old_day:
        moved += mine.filter(due_on__gt=new_day, due_on__lte=old_day).update(
            due_on=new_day
        )
    return moved


def save_theme(*, user, theme: str) -> None:
    """Store the learner's light/dark choice (a profile row appears if none)."""
    LearnerProfile.objects.update_or_create(user=user, defaults={"theme": theme})
