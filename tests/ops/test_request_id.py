"""Request ids: on every response, taken from our proxy only when well formed,
and shown on the 500 and 503 pages; errors are mailed to ADMINS."""

import re

import pytest
from django.core import mail
from django.test import Client

from cards.ops.logs import WELL_FORMED_ID

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.ops.urls"
    settings.ADMINS = ["ops@example.com"]


def test_every_response_carries_a_fresh_request_id(client):
    first, second = client.get("/healthz"), client.get("/no-such-page/")
    ids = [first["X-Request-ID"], second["X-Request-ID"]]
    assert all(GENERATED.fullmatch(i) for i in ids) and ids[0] != ids[1]


def test_a_clients_request_id_is_ignored_without_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXY = False
    response = client.get("/healthz", headers={"X-Request-ID": "haproxy-1234abcd"})
    assert GENERATED.fullmatch(response["X-Request-ID"])


@pytest.mark.parametrize(
    ("offered", "kept"),
    [
        ("7F000001:C35A_0A00:5F5E1000", True),  # haproxy's unique-id-format
        ("0b5c2c7e-4bb1-4a53-9d3b-4f0f8f3f2a11", True),  # a UUID
        ("short", False),
        ("x" * 101, False),
        ("abcdefgh\nFAKE LOG LINE", False),
        ("abcdefgh</code><script>", False),
        ("", False),
    ],
)
def test_a_trusted_proxys_id_is_kept_only_when_well_formed(
    client, settings, offered, kept
):
    settings.TRUSTED_PROXY = True
    response = client.get("/healthz", headers={"X-Request-ID": offered})
    assert (response["X-Request-ID"] == offered) is kept
    assert WELL_FORMED_ID.fullmatch(response["X-Request-ID"])


def test_the_500_page_shows_the_request_id_and_admins_get_a_mail(db, failing_urls):
    client = Client(raise_request_exception=False)
    response = client.get("/test/boom/")
    request_id = response["X-Request-ID"]
    assert response.status_code == 500
    assert f"<code>{request_id}</code>" in response.text
    assert "boom for the error-path tests" not in response.text  # no details
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ops@example.com"]
    assert "ERROR" in message.subject and "/test/boom/" in message.subject
    assert message.body.startswith(f"Request id: {request_id}\n")
    assert "RuntimeError at /test/boom/" in message.body


def test_no_mail_without_admins(db, failing_urls, settings):
    settings.ADMINS = []
    Client(raise_request_exception=False).get("/test/boom/")
    assert mail.outbox == []


def test_the_503_page_and_its_htmx_notice_show_the_request_id(db, failing_urls):
    client = Client()
    page = client.get("/test/database-gone/")
    notice = client.get("/test/database-gone/", headers={"HX-Request": "true"})
    assert page.status_code == notice.status_code == 503
    assert f"<code>{page['X-Request-ID']}</code>" in page.text
    assert f"(Reference: {notice['X-Request-ID']})" in notice.text
