"""Daily retention: what must not pile up (run by `manage.py daily_maintenance`
from cron or a systemd timer, the scheduler that will also run the reminders).

- Sessions past their expiry date (the database copy; Redis expires its own).
- django-axes' login records older than AXES_LOG_RETENTION_DAYS (90 by
  default): long past any lockout (15 minutes), kept for a quarter for audits.
- Finished task results older than TASK_RESULT_RETENTION_DAYS (7), when a
  database task backend (django-tasks-db's DBTaskResult) is installed.
- Reminder delivery records older than REMINDER_DELIVERY_RETENTION_DAYS (30):
  one row per learner per day, needed only around its own day (exactly once).

`schedule_daily` is called by every reminders tick: the first tick of a UTC
day at or after MAINTENANCE_HOUR_UTC (3) enqueues the run for a worker.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models, transaction

AXES_LOG_RETENTION_DAYS = 90
TASK_RESULT_RETENTION_DAYS = 7
REMINDER_DELIVERY_RETENTION_DAYS = 30
MAINTENANCE_HOUR_UTC = 3
FINISHED_TASK_STATUSES = ("SUCCESSFUL", "FAILED")
DATABASE_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


@dataclass(frozen=True)
class Pruned:
    sessions: int | None  # None: the session engine keeps no rows
    axes_attempts: int
    axes_logs: int
    axes_failures: int
    task_results: int | None  # None: no task table
    reminder_deliveries: int = 0

    def lines(self) -> list[str]:
        def n(value: int | None, absent: str) -> str:
            return absent if value is None else f"{value:,}"

        return [
            f"expired sessions: {n(self.sessions, 'kept by the cache (expire by themselves)')}",
            f"login attempts (axes): {self.axes_attempts:,}",
            f"login log entries (axes): {self.axes_logs:,}",
            f"login failure log entries (axes): {self.axes_failures:,}",
            f"finished task results: {n(self.task_results, 'no task table')}",
            f"reminder delivery records: {self.reminder_deliveries:,}",
        ]

    def as_counts(self) -> dict[str, int | None]:
        return dataclasses.asdict(self)


def _days(name: str, default: int) -> timedelta:
    return timedelta(days=getattr(settings, name, default))


def clear_expired_sessions(*, now: datetime) -> int | None:
    if settings.SESSION_ENGINE in DATABASE_SESSION_ENGINES:
        deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
        return deleted
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return None


def find_task_result_model() -> type[models.Model] | None:
    """The database task backend's result model, if one is installed."""
    for model in apps.get_models():
        if model.__name__ == "DBTaskResult":
            return model
    return None


def prune_task_results(model: type[models.Model], *, before: datetime) -> int:
    deleted, _ = model.objects.filter(
        status__in=FINISHED_TASK_STATUSES, finished_at__lt=before
    ).delete()
    return deleted


@transaction.atomic
def run_daily_maintenance(*, now: datetime) -> Pruned:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from cards.models import ReminderDelivery

    login_cutoff = now - _days("AXES_LOG_RETENTION_DAYS", AXES_LOG_RETENTION_DAYS)
    task_model = find_task_result_model()
    return Pruned(
        sessions=clear_expired_sessions(now=now),
        axes_attempts=AccessAttempt.objects.filter(
            attempt_time__lt=login_cutoff
        ).delete()[0],
        axes_logs=AccessLog.objects.filter(attempt_time__lt=login_cutoff).delete()[0],
        axes_failures=AccessFailureLog.objects.filter(
            attempt_time__lt=login_cutoff
        ).delete()[0],
        task_results=None
        if task_model is None
        else prune_task_results(
            task_model,
            before=now
            - _days("TASK_RESULT_RETENTION_DAYS", TASK_RESULT_RETENTION_DAYS),
        ),
        reminder_deliveries=ReminderDelivery.objects.filter(
            created_at__lt=now
            - _days(
                "REMINDER_DELIVERY_RETENTION_DAYS", REMINDER_DELIVERY_RETENTION_DAYS
            )
        ).delete()[0],
    )


@transaction.atomic
def schedule_daily(*, now: datetime) -> bool:
    """Enqueue today's maintenance once (True if this call did); for the tick."""
    from cards import tasks
    from cards.models import MaintenanceRun
    from cards.reminders import services

    utc = now.astimezone(UTC)
    if utc.hour < getattr(settings, "MAINTENANCE_HOUR_UTC", MAINTENANCE_HOUR_UTC):
        return False
    _, created = MaintenanceRun.objects.get_or_create(
        on=utc.date(), defaults={"enqueued_at": now}
    )
    if created:
        services._enqueue(tasks.run_daily_maintenance, on=utc.date().isoformat())
    return created


def run_scheduled(*, on: str, now: datetime) -> dict[str, int | None]:
    """The job: run the maintenance and record what it deleted on the day's row."""
    from cards.models import MaintenanceRun

    counts = run_daily_maintenance(now=now).as_counts()
    MaintenanceRun.objects.filter(on=on).update(finished_at=now, deleted=counts)
    return counts
