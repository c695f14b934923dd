"""daily_maintenance: expired sessions, old login records and finished task
results go; everything still in use stays."""

from datetime import UTC, datetime, time, timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import isolate_apps

from cards.models import MaintenanceRun, ReminderDelivery
from cards.ops import maintenance
from tests.factories import make_user
from tests.reminders.smtp import db_queue, run_worker  # noqa: F401 (fixture)


def make_session(clock, *, expires_in: timedelta) -> str:
    store = SessionStore()
    store["n"] = 1
    store.set_expiry(clock.now + expires_in)
    store.save()
    return store.session_key


def make_login_records(clock, *, days_ago: int, who: str) -> None:
    at = clock.now - timedelta(days=days_ago)
    fields = {"username": who, "ip_address": "203.0.113.1", "user_agent": "t"}
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        row = model.objects.create(
            **fields, **({"failures_since_start": 1} if model is AccessAttempt else {})
        )
        model.objects.filter(pk=row.pk).update(attempt_time=at)  # auto_now_add


def test_daily_maintenance_prunes_only_what_is_old(db, clock):
    expired = make_session(clock, expires_in=timedelta(seconds=-1))
    live = make_session(clock, expires_in=timedelta(days=1))
    make_login_records(clock, days_ago=91, who="old")
    make_login_records(clock, days_ago=89, who="recent")
    make_login_records(clock, days_ago=0, who="today")
    out = StringIO()
    call_command("daily_maintenance", stdout=out)
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert expired != live
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert sorted(model.objects.values_list("username", flat=True)) == [
            "recent",
            "today",
        ]
    assert out.getvalue().splitlines() == [
        "Deleted:",
        "  expired sessions: 1",
        "  login attempts (axes): 1",
        "  login log entries (axes): 1",
        "  login failure log entries (axes): 1",
        "  finished task results: 0",  # django-tasks-db's table (issue 20)
        "  reminder delivery records: 0",
    ]
    # A second run finds nothing more.
    again = maintenance.run_daily_maintenance(now=clock.now)
    assert (again.sessions, again.axes_attempts, again.axes_logs) == (0, 0, 0)


def test_the_retention_period_is_a_setting(db, clock, settings):
    settings.AXES_LOG_RETENTION_DAYS = 30
    make_login_records(clock, days_ago=31, who="old")
    assert maintenance.run_daily_maintenance(now=clock.now).axes_attempts == 1


def test_cache_sessions_expire_by_themselves(db, clock, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    assert maintenance.run_daily_maintenance(now=clock.now).sessions is None


@pytest.mark.django_db(transaction=True)
@isolate_apps("cards")
def test_finished_task_results_older_than_a_week_are_pruned(clock):
    class DBTaskResult(models.Model):  # the fields django-tasks-db's model prunes by
        status = models.CharField(max_length=20)
        finished_at = models.DateTimeField(null=True)

        class Meta:
            app_label = "cards"
            db_table = "ops_test_dbtaskresult"

        def __str__(self):
            return self.status

    with connection.schema_editor() as editor:
        editor.create_model(DBTaskResult)
    try:
        week = timedelta(days=7)
        rows = {
            "old-success": ("SUCCESSFUL", clock.now - week - timedelta(hours=1)),
            "old-failure": ("FAILED", clock.now - week - timedelta(hours=1)),
            "recent-failure": ("FAILED", clock.now - timedelta(days=6)),
            "running": ("RUNNING", None),
            "waiting": ("READY", None),
        }
        ids = {
            name: DBTaskResult.objects.create(status=s, finished_at=f).pk
            for name, (s, f) in rows.items()
        }
        deleted = maintenance.prune_task_results(DBTaskResult, before=clock.now - week)
        kept = set(DBTaskResult.objects.values_list("pk", flat=True))
        assert deleted == 2
        assert kept == {ids["recent-failure"], ids["running"], ids["waiting"]}
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(DBTaskResult)


def to_utc(clock, hour: int, minute: int = 0) -> None:
    """Move the clock to hour:minute UTC of its next UTC day."""
    day = clock.now.astimezone(UTC).date() + timedelta(days=1)
    clock.shift(
        seconds=(
            datetime.combine(day, time(hour, minute), UTC) - clock.now
        ).total_seconds()
    )


def test_old_reminder_delivery_records_are_pruned(db, clock):
    user = make_user()
    for days_ago in (31, 29):
        delivery = ReminderDelivery.objects.create(
            user=user,
            local_date=clock.now.date() - timedelta(days=days_ago),
            due_at=clock.now,
        )
        ReminderDelivery.objects.filter(pk=delivery.pk).update(
            created_at=clock.now - timedelta(days=days_ago)
        )  # auto_now_add
    assert maintenance.run_daily_maintenance(now=clock.now).reminder_deliveries == 1
    assert ReminderDelivery.objects.count() == 1


# The reminders' scheduler runs it: every tick asks, one run a day is enqueued.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("db_queue")
def test_the_reminders_tick_runs_the_maintenance_once_a_day(clock):
    to_utc(clock, 2, 55)
    call_command("reminders_tick", stdout=StringIO())
    assert not MaintenanceRun.objects.exists()  # before MAINTENANCE_HOUR_UTC
    clock.shift(minutes=10)  # 03:05 UTC
    expired = make_session(clock, expires_in=timedelta(seconds=-1))
    out = StringIO()
    for _ in range(3):  # cron on three machines, or three ticks that day
        call_command("reminders_tick", stdout=out)
    assert out.getvalue().count("maintenance: today's run enqueued") == 1
    (run,) = MaintenanceRun.objects.all()
    assert run.on == clock.now.date() and run.finished_at is None
    assert run_worker() == 1
    run.refresh_from_db()
    assert run.finished_at == clock.now and run.deleted["sessions"] == 1
    assert not Session.objects.filter(session_key=expired).exists()
    clock.shift(hours=20)  # 23:05: still the same UTC day
    call_command("reminders_tick", stdout=StringIO())
    clock.shift(hours=4)  # 03:05 the next day
    call_command("reminders_tick", stdout=StringIO())
    assert MaintenanceRun.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("db_queue")
def test_a_second_call_the_same_day_enqueues_nothing(clock):
    to_utc(clock, 3, 1)
    assert [maintenance.schedule_daily(now=clock.now) for _ in range(2)] == [
        True,
        False,
    ]
    assert run_worker() == 1 and MaintenanceRun.objects.count() == 1
