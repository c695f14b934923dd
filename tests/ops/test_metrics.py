"""/metrics: Prometheus text behind a token and the internal networks, counting
requests by view and status, grades and database errors."""

from datetime import timedelta

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import make_question, make_user
from tests.reminders.smtp import db_queue  # noqa: F401 (fixture)

TOKEN = "scrape-token-" + "t" * 32
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def scraper(settings, db):  # the queue gauges read the database
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8", "10.0.0.0/8"]
    return Client(REMOTE_ADDR="127.0.0.1")


def samples(text: str) -> dict[tuple, float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def scrape(client: Client) -> dict[tuple, float]:
    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return samples(response.text)


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_off_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers=AUTH).status_code == 404


@pytest.mark.parametrize(
    ("address", "forwarded", "headers", "status"),
    [
        ("203.0.113.9", "", AUTH, 403),  # from outside, even with the token
        ("127.0.0.1", "203.0.113.9", AUTH, 403),  # through our proxy from outside
        ("10.1.2.3", "", {}, 401),
        ("10.1.2.3", "", {"Authorization": "Bearer wrong"}, 401),
        ("10.1.2.3", "", {"Authorization": TOKEN}, 401),  # not a bearer header
        ("10.1.2.3", "", AUTH, 200),
        ("::ffff:10.1.2.3", "", AUTH, 200),
    ],
)
def test_metrics_need_the_internal_network_and_the_token(
    scraper, settings, address, forwarded, headers, status
):
    settings.TRUSTED_PROXY = bool(forwarded)
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    response = Client(REMOTE_ADDR=address, **extra).get("/metrics", headers=headers)
    assert response.status_code == status
    if status == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'


def test_metrics_answer_head(scraper):
    assert scraper.head("/metrics", headers=AUTH).status_code == 200


def test_requests_are_counted_by_view_method_and_status(scraper):
    before = scrape(scraper)
    for _ in range(3):
        scraper.get("/healthz")
    scraper.head("/healthz")
    scraper.get("/no-such-page/")
    after = scrape(scraper)

    def delta(**labels):
        name = "genai_prep_http_requests_total"
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta(view="healthz", method="GET", status="200") == 3
    assert delta(view="healthz", method="HEAD", status="200") == 1
    assert delta(view="unmatched", method="GET", status="404") == 1
    duration = "genai_prep_http_request_duration_seconds_count"
    assert (
        value(after, duration, view="healthz") - value(before, duration, view="healthz")
        == 4
    )


def test_grades_latency_and_outcomes_are_counted(scraper, logged_in_client):
    question = make_question()
    url = f"/review/{question.pk}/grade/"
    before = scrape(scraper)
    assert logged_in_client.post(url, {"grade": "4", "version": "0"}).status_code == 302
    replay = logged_in_client.post(url, {"grade": "4", "version": "0"})
    assert replay.status_code == 409
    bad = logged_in_client.post(url, {"grade": "9", "version": "0"})
    assert bad.status_code == 400
    after = scrape(scraper)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("genai_prep_grades_total", outcome="recorded") == 1
    assert delta("genai_prep_grades_total", outcome="conflict") == 1
    assert delta("genai_prep_grades_total", outcome="rejected") == 1
    assert delta("genai_prep_grade_duration_seconds_count") == 3
    assert delta("genai_prep_grade_duration_seconds_bucket", le="+Inf") == 3


def test_database_errors_are_counted(scraper, settings, db):
    settings.ROOT_URLCONF = "tests.ops.urls"
    before = scrape(scraper)
    assert Client().get("/test/database-gone/").status_code == 503
    after = scrape(scraper)
    name = "genai_prep_database_errors_total"
    assert value(after, name) - value(before, name) == 1


@pytest.mark.usefixtures("db_queue")
def test_queue_depth_failed_mails_and_maintenance_are_gauged(scraper, clock):
    from django_tasks_db.models import DBTaskResult

    from cards import tasks
    from cards.models import DeliveryStatus, MaintenanceRun, ReminderDelivery

    for ids in ([1], [2], [3]):
        tasks.send_reminders.enqueue(delivery_ids=ids)
    later = tasks.send_reminders.using(run_after=clock.now + timedelta(minutes=5))
    later.enqueue(delivery_ids=[4])  # a retry waiting for its backoff
    first, second, third = DBTaskResult.objects.filter(
        run_after__year__gt=clock.now.year + 100
    ).order_by("enqueued_at")[:3]
    DBTaskResult.objects.filter(pk=first.pk).update(status="RUNNING")
    for job, hours in ((second, 1), (third, 30)):
        DBTaskResult.objects.filter(pk=job.pk).update(
            status="FAILED", finished_at=clock.now - timedelta(hours=hours)
        )
    tasks.send_reminders.enqueue(delivery_ids=[5])
    user, other = make_user(), make_user()
    statuses = [DeliveryStatus.SENT] * 3 + [DeliveryStatus.FAILED]
    for i, status in enumerate(statuses):
        ReminderDelivery.objects.create(
            user=user,
            local_date=clock.now.date() - timedelta(days=i),
            due_at=clock.now,
            status=status,
        )
    old = ReminderDelivery.objects.create(
        user=other, local_date=clock.now.date(), due_at=clock.now, status="failed"
    )
    ReminderDelivery.objects.filter(pk=old.pk).update(
        created_at=clock.now - timedelta(days=2)
    )
    MaintenanceRun.objects.create(
        on=clock.now.date(), enqueued_at=clock.now, finished_at=clock.now
    )
    clock.shift(seconds=30)
    found = scrape(scraper)

    def jobs(state):
        return value(found, "genai_prep_task_queue_jobs", queue="default", state=state)

    assert value(found, "genai_prep_queue_metrics_up") == 1
    assert (jobs("ready"), jobs("scheduled"), jobs("running")) == (1, 1, 1)
    assert jobs("failed_24h") == 1  # the one of 30 hours ago is not counted
    assert value(found, "genai_prep_task_queue_oldest_ready_seconds") == 30
    mails = "genai_prep_reminder_deliveries"
    assert value(found, mails, status="sent") == 3
    assert value(found, mails, status="failed") == 1
    assert value(found, mails, status="queued") == 0
    last = "genai_prep_maintenance_last_finished_timestamp_seconds"
    assert value(found, last) == (clock.now - timedelta(seconds=30)).timestamp()


def test_an_empty_queue_reads_zero(scraper, db):
    found = scrape(scraper)
    for state in ("ready", "scheduled", "running", "failed_24h"):
        assert (
            value(found, "genai_prep_task_queue_jobs", queue="default", state=state)
            == 0
        )
    assert (
        "genai_prep_task_queue_jobs",
        (("queue", "default"), ("state", "ready")),
    ) in found
    assert value(found, "genai_prep_maintenance_last_finished_timestamp_seconds") == 0
