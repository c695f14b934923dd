"""Job-queue and reminder gauges for /metrics, read from the database at scrape time.

Workers and ticks run in their own processes (often on other machines), so
counters kept in their memory would never reach a web server's /metrics.
The queue and the delivery records live in the shared database instead:
each scrape counts them there (indexed or over small, pruned tables).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.db import DatabaseError
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

from cards.ops import maintenance

RECENT = timedelta(hours=24)


def _jobs(now) -> Iterator[GaugeMetricFamily]:
    from django_tasks_db.models import get_date_max

    model = maintenance.find_task_result_model()
    if model is None:  # a broker-backed queue: use its own exporter
        return
    jobs = GaugeMetricFamily(
        "genai_prep_task_queue_jobs",
        "Jobs on the database queue: ready (runnable now), scheduled (a retry "
        "or deferred job waiting for its time), running; and failed in the last 24 h.",
        labels=["queue", "state"],
    )
    recent_failures = model.objects.filter(
        status="FAILED", finished_at__gte=now - RECENT
    )
    scheduled = model.objects.filter(status="READY", run_after__gt=now).exclude(
        run_after=get_date_max()
    )
    counts: dict[tuple[str, str], int] = {}
    for state, rows in (
        ("ready", model.objects.ready()),
        ("scheduled", scheduled),
        ("running", model.objects.running()),
        ("failed_24h", recent_failures),
    ):
        for queue, n in (
            rows.order_by().values_list("queue_name").annotate(n=Count("pk"))
        ):
            counts[queue, state] = n
    for queue in {q for q, _ in counts} or {"default"}:
        for state in ("ready", "scheduled", "running", "failed_24h"):
            jobs.add_metric([queue, state], counts.get((queue, state), 0))
    yield jobs
    oldest = model.objects.ready().aggregate(at=Min("enqueued_at"))["at"]
    lag = GaugeMetricFamily(
        "genai_prep_task_queue_oldest_ready_seconds",
        "Age of the oldest job ready to run (0: none waiting); a growing value "
        "means too few workers or stuck ones.",
    )
    lag.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
    yield lag


def _reminders(now) -> Iterator[GaugeMetricFamily]:
    from cards.models import MaintenanceRun, ReminderDelivery

    family = GaugeMetricFamily(
        "genai_prep_reminder_deliveries",
        "Reminder digests created in the last 24 h, by status: sent, skipped, "
        "queued (waiting or retrying), sending, failed (alert on failed).",
        labels=["status"],
    )
    counts = dict(
        ReminderDelivery.objects.filter(created_at__gte=now - RECENT)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    for status in ("queued", "sending", "sent", "skipped", "failed"):
        family.add_metric([status], counts.get(status, 0))
    yield family
    last = (
        MaintenanceRun.objects.filter(finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    done = GaugeMetricFamily(
        "genai_prep_maintenance_last_finished_timestamp_seconds",
        "When the daily maintenance last finished (Unix time; 0: never).",
    )
    done.add_metric([], last.timestamp() if last else 0.0)
    yield done


class QueueCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        up = GaugeMetricFamily(
            "genai_prep_queue_metrics_up",
            "1 if the queue and reminder gauges could be read from the database.",
        )
        try:
            found = [*_jobs(now), *_reminders(now)]
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from found


REGISTRY = CollectorRegistry(auto_describe=False)
REGISTRY.register(QueueCollector())
