"""The password-reset mail leaves through the job queue (issue 20)."""

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.factories import make_user
from tests.reminders.smtp import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_known_and_unknown_addresses_enqueue_one_job_and_send_nothing_inline(
    smtp, db_queue
):
    make_user(username="alice", email="alice@example.com")
    known = Client().post(reverse("password_reset"), {"email": "alice@example.com"})
    unknown = Client().post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert DBTaskResult.objects.count() == 2 and smtp.messages == []

    assert run_worker() == 2
    (message,) = smtp.messages
    assert message["To"] == "alice@example.com"
    body = message.get_body(("plain",)).get_content()
    assert "http://testserver/accounts/reset/" in body
