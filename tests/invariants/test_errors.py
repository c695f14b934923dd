"""Clean failure (invariant I4): database outages are 503s, bugs a plain 500."""

import pytest
from django.test import Client

from cards.web.errors import RETRY_AFTER_SECONDS


@pytest.fixture
def probe_client(settings, db):
    settings.ROOT_URLCONF = "tests.probe_urls"
    settings.MIDDLEWARE = [
        "tests.probe_urls.DatabaseDownMiddleware",
        *settings.MIDDLEWARE,
    ]
    return Client(raise_request_exception=False)


def test_database_error_in_a_view_is_a_503_page(probe_client):
    r = probe_client.get("/_probe/503/")
    assert r.status_code == 503
    assert r["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in r["Cache-Control"]
    assert "Briefly unavailable" in r.text and "Try again" in r.text
    assert "OperationalError" not in r.text and "connection refused" not in r.text


def test_database_error_for_htmx_is_an_out_of_band_message(probe_client):
    r = probe_client.get("/_probe/503/", headers={"HX-Request": "true"})
    assert r.status_code == 503 and r["Retry-After"]
    assert r["HX-Reswap"] == "none"
    assert 'id="flash"' in r.text and 'hx-swap-oob="true"' in r.text
    assert "briefly unavailable" in r.text and "<html" not in r.text


def test_database_error_outside_the_view_is_a_503_too(probe_client):
    r = probe_client.get("/_probe/middleware-down/")
    assert r.status_code == 503 and r["Retry-After"]
    assert "Briefly unavailable" in r.text


def test_interface_error_is_a_503(probe_client):
    assert probe_client.get("/_probe/503-interface/").status_code == 503


def test_a_bug_is_a_500_page_without_details(probe_client):
    r = probe_client.get("/_probe/500/")
    assert r.status_code == 500
    assert "Something went wrong" in r.text
    for leak in ("Traceback", "RuntimeError", "s3cr3t", "probe_urls", "SECRET_KEY"):
        assert leak not in r.text
    assert "no-store" in r["Cache-Control"]


def test_unknown_page_is_a_friendly_404(client, db):
    r = client.get("/no/such/page/")
    assert r.status_code == 404
    assert "Page not found" in r.text and "Back to today" in r.text
