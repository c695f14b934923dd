"""Reminder writes: settings, verification, unsubscribe, the tick and delivery."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F

from cards.models import DeliveryStatus, ReminderDelivery, ReminderSettings, profile_for
from cards.reminders import digest, timing, tokens

log = logging.getLogger(__name__)

BATCH_SIZE = 500  # learners locked and enqueued per transaction of the tick
CHUNK_SIZE = 50  # deliveries per send job: one SMTP connection for all of them
# A digest more than this late (the tick was down) is skipped for the day: a
# reminder at 03:00 for an 08:00 choice would help nobody.
LATE_AFTER = timedelta(hours=1)


def retry_delays() -> tuple[float, ...]:
    """Seconds to wait before each retry of a failed send; then it has failed."""
    return tuple(getattr(settings, "REMINDER_RETRY_DELAYS", (60, 300, 1800)))


def settings_for(user: AbstractBaseUser) -> ReminderSettings:
    """The learner's reminder settings; unsaved defaults (off) if none were stored."""
    try:
        return user.reminders
    except ReminderSettings.DoesNotExist:
        return ReminderSettings(user=user)


def reschedule(reminder: ReminderSettings, *, now: datetime) -> None:
    """Set `next_send_at` from the settings and the learner's zone (no save)."""
    if not reminder.is_enabled:
        reminder.next_send_at = None
        return
    reminder.next_send_at = timing.next_send_at(
        now,
        hour=reminder.hour,
        weekdays=reminder.weekdays,
        tz=profile_for(reminder.user).tzinfo,
    )


@transaction.atomic
def save_reminder_settings(
    *, reminder: ReminderSettings, now: datetime
) -> ReminderSettings:
    """Save the settings; reminders can be on only for a verified address."""
    if reminder.is_enabled and not reminder.is_email_verified:
        raise ValidationError(
            {"is_enabled": "Confirm your email address before turning reminders on."}
        )
    reminder.full_clean()
    reschedule(reminder, now=now)
    reminder.save()
    return reminder


def reschedule_for(*, user: AbstractBaseUser, now: datetime) -> None:
    """Recompute the next send after the learner's time zone changed."""
    reminder = ReminderSettings.objects.filter(user=user, is_enabled=True).first()
    if reminder is not None:
        reschedule(reminder, now=now)
        reminder.save(update_fields=["next_send_at", "updated_at"])


def request_verification(*, user: AbstractBaseUser) -> bool:
    """Queue a signed confirmation link to the account's address (False: none)."""
    from cards import tasks

    if not user.email:
        return False
    transaction.on_commit(
        lambda: tasks.send_verification_email.enqueue(user_id=user.pk)
    )
    return True


@transaction.atomic
def verify_email(*, token: str) -> AbstractBaseUser | None:
    """Mark the address in `token` verified, if it is still the account's."""
    found = tokens.read_verify_token(token)
    if found is None:
        return None
    user_id, email = found
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or user.email.lower() != email:
        return None
    reminder = settings_for(user)
    reminder.verified_email = user.email
    reminder.save()
    return user


@transaction.atomic
def unsubscribe(*, token: str) -> AbstractBaseUser | None:
    """Turn reminders off for the learner in a signed unsubscribe token."""
    user_id = tokens.read_unsubscribe_token(token)
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return None
    ReminderSettings.objects.filter(user=user).update(
        is_enabled=False, next_send_at=None
    )
    return user


def export(*, user: AbstractBaseUser) -> dict:
    """The learner's reminder settings for "Your data" (the address is not)."""
    reminder = settings_for(user)
    days = [d for d in range(7) if reminder.weekdays & (1 << d)]
    return {"enabled": reminder.is_enabled, "hour": reminder.hour, "days": days}


def restore(*, user: AbstractBaseUser, data: dict, now: datetime) -> None:
    """Import them: reminders come back on only for an already verified address."""
    reminder = settings_for(user)
    reminder.hour = data["hour"]
    reminder.weekdays = sum(1 << d for d in data["days"])
    reminder.is_enabled = data["enabled"] and reminder.is_email_verified
    reminder.full_clean()
    reschedule(reminder, now=now)
    reminder.save()


# The tick -------------------------------------------------------------------


@dataclass(frozen=True)
class TickResult:
    picked: int = 0
    enqueued: int = 0
    skipped: int = 0

    def __add__(self, other: TickResult) -> TickResult:
        return TickResult(
            self.picked + other.picked,
            self.enqueued + other.enqueued,
            self.skipped + other.skipped,
        )


def due_reminders(*, now: datetime):
    """The pick query: enabled learners whose digest is due (uses `reminder_due`)."""
    return ReminderSettings.objects.filter(
        is_enabled=True, next_send_at__lte=now
    ).order_by("next_send_at")


def tick(*, now: datetime, batch_size: int = BATCH_SIZE) -> TickResult:
    """Enqueue every digest due at `now`, one batch per transaction."""
    requeue_stranded(now=now)
    total = TickResult()
    while True:
        done = _tick_batch(now=now, batch_size=batch_size)
        total += done
        if done.picked < batch_size:
            return total


@transaction.atomic
def _tick_batch(*, now: datetime, batch_size: int) -> TickResult:
    from cards import tasks

    # SKIP LOCKED: two ticks at once take disjoint learners; the unique
    # (user, local_date) below is the backstop if they ever overlap.
    picked = list(
        due_reminders(now=now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("user__profile")[:batch_size]
    )
    if not picked:
        return TickResult()
    new: list[ReminderDelivery] = []
    skipped = 0
    for reminder in picked:
        tz = profile_for(reminder.user).tzinfo
        due_at = reminder.next_send_at
        if now - due_at <= LATE_AFTER:
            day = timing.local_date_of(due_at, tz=tz)
            new.append(
                ReminderDelivery(
                    user_id=reminder.user_id, local_date=day, due_at=due_at
                )
            )
        else:
            skipped += 1
        reminder.next_send_at = timing.next_send_at(
            now, hour=reminder.hour, weekdays=reminder.weekdays, tz=tz
        )
    ReminderSettings.objects.bulk_update(picked, ["next_send_at"])
    taken = set(
        ReminderDelivery.objects.filter(
            user_id__in=[d.user_id for d in new],
            local_date__in={d.local_date for d in new},
        ).values_list("user_id", "local_date")
    )
    fresh = [d for d in new if (d.user_id, d.local_date) not in taken]
    created = ReminderDelivery.objects.bulk_create(fresh)
    ids = [d.pk for d in created]
    for start in range(0, len(ids), CHUNK_SIZE):
        _enqueue(tasks.send_reminders, delivery_ids=ids[start : start + CHUNK_SIZE])
    return TickResult(
        picked=len(picked),
        enqueued=len(ids),
        skipped=skipped + len(new) - len(fresh),
    )


def _enqueue(task, **kwargs) -> None:
    """Enqueue in this transaction on the database queue, else after commit.

    The database queue writes its job row in the caller's transaction, so the
    deliveries and their job commit together or not at all. A broker (Redis)
    is outside it: its job is sent once the rows exist, and if the process
    dies in between, `requeue_stranded` sends it on a later tick.
    """
    from django_tasks_db import DatabaseBackend

    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(**kwargs))


STRANDED_AFTER = timedelta(minutes=30)


def requeue_stranded(*, now: datetime) -> int:
    """Enqueue again deliveries never attempted long after their tick.

    Only a job lost between a commit and a broker (see `_enqueue`) leaves
    one; the claim makes a second job for the same delivery harmless.
    """
    from cards import tasks

    ids = list(
        ReminderDelivery.objects.filter(
            status=DeliveryStatus.QUEUED,
            attempts=0,
            created_at__lt=now - STRANDED_AFTER,
            due_at__gte=now - STRANDED_AFTER - LATE_AFTER,
        ).values_list("pk", flat=True)
    )
    for start in range(0, len(ids), CHUNK_SIZE):
        tasks.send_reminders.enqueue(delivery_ids=ids[start : start + CHUNK_SIZE])
    return len(ids)


# Delivery ---------------------------------------------------------------------


@transaction.atomic
def _claim(ids: Iterable[int]) -> list[ReminderDelivery]:
    claimed = list(
        ReminderDelivery.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=list(ids), status=DeliveryStatus.QUEUED)
        .select_related("user__profile", "user__reminders")
    )
    # One UPDATE for the lot (bulk_update's CASE per row cost ~1 ms a mail).
    ReminderDelivery.objects.filter(pk__in=[d.pk for d in claimed]).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1
    )
    for delivery in claimed:
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
    return claimed


def deliver(*, delivery_ids: Sequence[int], now: datetime) -> dict[str, int]:
    """Send the queued digests among `delivery_ids` over one SMTP connection.

    Each is claimed (queued -> sending) before any mail leaves, so a second
    worker or a replayed job finds nothing to send. A send that fails goes
    back to queued with a later job (backoff), and after the last retry is
    recorded failed.
    """
    claimed = _claim(delivery_ids)
    outcomes: dict[int, tuple[str, str]] = {}
    outgoing = []
    days = digest.study_days((d.user_id for d in claimed), now=now)
    for delivery in claimed:
        message, why_not = digest.build(
            delivery=delivery, now=now, days=days.get(delivery.user_id, set())
        )
        if message is None:
            outcomes[delivery.pk] = (DeliveryStatus.SKIPPED, why_not)
        else:
            outgoing.append((delivery, message))
    if outgoing:
        _send_all(outgoing, outcomes)
    _finish(claimed, outcomes, now=now)
    return _count(outcomes.values())


def _send_all(outgoing, outcomes) -> None:
    connection = mailers.default
    pending = list(outgoing)
    try:
        while pending:
            try:
                connection.open()
            except OSError as error:  # down: nothing of these left, retry them all
                for delivery, _ in pending:
                    outcomes[delivery.pk] = (DeliveryStatus.QUEUED, _why(error))
                return
            pending = _send_on(connection, pending, outcomes)
    finally:
        connection.close()


def _send_on(connection, pending, outcomes) -> list:
    """Send over an open connection; what is left if the session broke."""
    for i, (delivery, message) in enumerate(pending):
        try:
            connection.send_messages([message])
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as e:
            # The server answered no: nothing was delivered, try again later.
            outcomes[delivery.pk] = (DeliveryStatus.QUEUED, _why(e))
        except OSError as error:
            # A timeout or a dropped connection mid-send: the server may have
            # taken the mail already, so a retry could double it. Never.
            why = "unknown whether delivered; not retried: " + _why(error)
            outcomes[delivery.pk] = (DeliveryStatus.FAILED, why[:300])
            connection.close()  # the rest go over a new session
            return pending[i + 1 :]
        else:
            outcomes[delivery.pk] = (DeliveryStatus.SENT, "")
    return []


def _why(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]


@transaction.atomic
def _finish(claimed, outcomes, *, now: datetime) -> None:
    from cards import tasks

    delays = retry_delays()
    retry: dict[float, list[int]] = {}
    same: dict[tuple, list[int]] = {}
    for delivery in claimed:
        status, detail = outcomes.get(
            delivery.pk, (DeliveryStatus.QUEUED, "not attempted")
        )
        if status == DeliveryStatus.QUEUED:
            if delivery.attempts > len(delays):
                status = DeliveryStatus.FAILED
            else:
                retry.setdefault(delays[delivery.attempts - 1], []).append(delivery.pk)
        delivery.status, delivery.detail = status, detail
        if status != DeliveryStatus.QUEUED:
            delivery.finished_at = now
        same.setdefault((status, detail, delivery.finished_at), []).append(delivery.pk)
    # One UPDATE per outcome: usually a single "sent" for the whole job.
    for (status, detail, finished_at), ids in same.items():
        ReminderDelivery.objects.filter(pk__in=ids).update(
            status=status, detail=detail, finished_at=finished_at
        )
    for delay, ids in retry.items():
        later = tasks.send_reminders.using(run_after=now + timedelta(seconds=delay))
        _enqueue(later, delivery_ids=ids)


def _count(outcomes: Iterable[tuple[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status, _ in outcomes:
        counts[status] = counts.get(status, 0) + 1
    return counts
