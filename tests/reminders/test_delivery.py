"""The digest through the real queue to a real SMTP server (aiosmtpd)."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from cards.models import DeliveryStatus, ReminderDelivery
from cards.reminders import services
from tests.factories import make_reminder, make_schedule, make_user
from tests.reminders.smtp import run_worker

# The worker closes connections between jobs as in production, which a test
# transaction would not survive: these tests commit (transaction=True).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _pinned_monday(clock):
    """These tests spell out dates and hours of Monday 2026-01-05 04:00 in
    London (CI's moment): pinned there, so the clock sweep cannot move them."""
    clock.move_to(datetime(2026, 1, 5, 4, 0, tzinfo=UTC))


@pytest.fixture
def learner(clock):
    user = make_user(username="ada", email="ada@example.com", time_zone="Europe/London")
    make_schedule(user=user)  # one review due today
    make_reminder(user=user, hour=8, now=clock.now)
    return user


def at_eight_past(clock):
    clock.shift(hours=4, minutes=5)  # Monday 08:05 in London


def test_the_digest_arrives_with_headers_text_html_and_unsubscribe(
    smtp, db_queue, learner, clock, client
):
    at_eight_past(clock)
    result = services.tick(now=clock.now)
    assert (result.picked, result.enqueued) == (1, 1)
    assert smtp.messages == []  # enqueued, not sent by the tick
    assert run_worker() == 1

    (message,) = smtp.to("ada@example.com")
    assert "1 card waiting today" in message["Subject"]
    unsubscribe = re.fullmatch(r"<(http://[^>]+)>", message["List-Unsubscribe"])
    assert unsubscribe, message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # On the wire, the URL itself: mail clients do not decode RFC 2047 words
    # in this header, and Django's default folding at 78 characters made them.
    ((_, raw),) = smtp.raw
    on_wire = re.search(rb"^List-Unsubscribe: (.*?)\r?$", raw, re.MULTILINE)
    assert on_wire and on_wire.group(1).decode() == message["List-Unsubscribe"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "1 review" in text and "Start reviewing: http://" in text
    assert unsubscribe.group(1) in text and "/settings/#reminders" in text
    assert "<li>1 review</li>" in html and unsubscribe.group(1) in html
    assert "<img" not in html  # no tracking pixels
    assert ReminderDelivery.objects.get().status == DeliveryStatus.SENT

    # The link works without logging in: GET asks, POST unsubscribes.
    path = unsubscribe.group(1).removeprefix("http://127.0.0.1:8000")
    asked = client.get(path)
    assert asked.status_code == 200 and "Unsubscribe" in asked.text
    assert learner.reminders.is_enabled
    done = client.post(path, {"List-Unsubscribe": "One-Click"})
    learner.reminders.refresh_from_db()
    assert done.status_code == 200 and not learner.reminders.is_enabled
    assert learner.reminders.next_send_at is None


def test_two_ticks_and_a_replayed_job_send_once(smtp, db_queue, learner, clock):
    at_eight_past(clock)
    services.tick(now=clock.now)
    assert services.tick(now=clock.now).picked == 0
    delivery = ReminderDelivery.objects.get()
    from cards import tasks

    tasks.send_reminders.enqueue(delivery_ids=[delivery.pk])  # a stray duplicate job
    assert run_worker() == 2
    assert len(smtp.messages) == 1
    # The next tick that day finds the learner due tomorrow, not again today.
    clock.shift(hours=3)
    assert services.tick(now=clock.now).picked == 0


def test_smtp_down_is_retried_with_backoff_then_failed_never_doubled(
    smtp, db_queue, learner, clock, settings
):
    settings.REMINDER_RETRY_DELAYS = (60, 300)
    smtp.refuse = True
    at_eight_past(clock)
    services.tick(now=clock.now)
    assert run_worker() == 1
    delivery = ReminderDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.QUEUED, 1)
    assert run_worker() == 0  # the retry waits for its backoff
    clock.shift(seconds=61)
    assert run_worker() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.QUEUED, 2)
    clock.shift(seconds=301)
    assert run_worker() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert "451" in delivery.detail
    smtp.refuse = False
    clock.shift(hours=1)
    assert run_worker() == 0 and smtp.messages == []


def test_a_retry_that_succeeds_sends_exactly_one_mail(
    smtp, db_queue, learner, clock, settings
):
    settings.REMINDER_RETRY_DELAYS = (60,)
    smtp.refuse = True
    at_eight_past(clock)
    services.tick(now=clock.now)
    run_worker()
    smtp.refuse = False
    clock.shift(seconds=61)
    run_worker()
    assert len(smtp.messages) == 1
    assert ReminderDelivery.objects.get().status == DeliveryStatus.SENT


def test_an_account_deleted_before_its_send_gets_nothing(
    smtp, db_queue, learner, clock
):
    at_eight_past(clock)
    services.tick(now=clock.now)
    learner.delete()
    run_worker()
    assert smtp.messages == [] and not ReminderDelivery.objects.exists()


def test_nothing_is_sent_when_the_learner_already_studied_today(
    smtp, db_queue, learner, clock, questions, client
):
    client.force_login(learner)
    at_eight_past(clock)
    question = questions[0]
    graded = client.post(
        reverse("cards:grade", args=[question.pk]), {"grade": 4, "version": 0}
    )
    assert graded.status_code in (200, 302)
    services.tick(now=clock.now)
    run_worker()
    delivery = ReminderDelivery.objects.get()
    assert smtp.messages == []
    assert (delivery.status, delivery.detail) == (
        DeliveryStatus.SKIPPED,
        "already studied today",
    )


def test_nothing_is_sent_when_nothing_is_due(smtp, db_queue, clock):
    user = make_user(email="idle@example.com", time_zone="Europe/London")
    make_reminder(user=user, hour=8, now=clock.now)
    at_eight_past(clock)
    services.tick(now=clock.now)
    run_worker()
    assert smtp.messages == []
    assert ReminderDelivery.objects.get().detail == "nothing due"


def test_an_address_changed_after_verification_gets_nothing(
    smtp, db_queue, learner, clock
):
    learner.email = "new@example.com"
    learner.save()
    at_eight_past(clock)
    services.tick(now=clock.now)
    run_worker()
    assert smtp.messages == []
    assert ReminderDelivery.objects.get().detail == "email address not verified"


def test_a_tick_hours_late_skips_the_day_instead_of_mailing_at_night(
    smtp, db_queue, learner, clock
):
    clock.shift(hours=10)  # 14:00: the 08:00 digest is six hours late
    result = services.tick(now=clock.now)
    assert (result.picked, result.enqueued, result.skipped) == (1, 0, 1)
    learner.reminders.refresh_from_db()
    assert learner.reminders.next_send_at.isoformat() == "2026-01-06T08:00:00+00:00"


def test_a_delivery_whose_job_was_lost_is_sent_by_a_later_tick(
    smtp, db_queue, learner, clock
):
    from django_tasks_db.models import DBTaskResult

    at_eight_past(clock)
    services.tick(now=clock.now)
    DBTaskResult.objects.all().delete()  # as if a broker lost the job
    clock.shift(minutes=31)
    services.tick(now=clock.now)
    assert run_worker() == 1
    assert len(smtp.messages) == 1
    clock.shift(minutes=31)
    services.tick(now=clock.now)
    assert run_worker() == 0 and len(smtp.messages) == 1


def test_a_timeout_after_data_is_failed_not_retried_so_never_doubled(
    smtp, db_queue, learner, clock, settings
):
    settings.MAILERS["default"]["OPTIONS"]["timeout"] = 1
    smtp.stall = 3  # the server keeps the mail but answers too late
    at_eight_past(clock)
    services.tick(now=clock.now)
    assert run_worker() == 1
    delivery = ReminderDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.detail.startswith("unknown whether delivered")
    clock.shift(hours=1)
    assert run_worker() == 0 and len(smtp.raw) == 1
