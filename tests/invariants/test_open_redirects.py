"""Open redirects through next= (plan item 20)."""

from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_user

# The seven from Django's own auth tests, then three that browsers normalise.
HOSTILE = [
    "http://example.com",
    "http:///example.com",
    "https://example.com",
    "ftp://example.com",
    "///example.com",
    "//example.com",
    'javascript:alert("XSS")',
    "/\\evil.example",
    "https:evil.example",
    "%2F%2Fevil.example",
]


def leaves_site(location: str, base: str) -> bool:
    """Where a browser would go: backslashes count as slashes (WHATWG URL)."""
    target = urljoin(base, location.strip().replace("\\", "/"))
    parts = urlsplit(target)
    return parts.scheme not in {"http", "https"} or parts.hostname != "testserver"


def redirect_after(view: str, next_value: str) -> str:
    client = Client()
    if view == "login":
        url = reverse("login")
        response = client.post(
            url, {"username": "alice", "password": PASSWORD, "next": next_value}
        )
    else:
        client.force_login(make_user())
        url = reverse("logout")
        response = client.post(url, {"next": next_value})
    assert response.status_code == 302, (view, next_value, response.status_code)
    return urljoin("http://testserver" + url, response["Location"])


@pytest.mark.parametrize("view", ["login", "logout"])
def test_hostile_next_values_stay_on_site(db, view, figure):
    make_user(username="alice")
    escaped = [
        v for v in HOSTILE if leaves_site(redirect_after(view, v), "http://testserver/")
    ]
    figure(
        20,
        f"{view}: {len(escaped)} of {len(HOSTILE)} hostile next values leave the site",
    )
    assert escaped == []


def test_safe_next_is_honoured(db):
    make_user(username="alice")
    location = redirect_after("login", "/account/")
    assert location == "http://testserver/account/"


def test_the_check_spots_an_escape():
    assert leaves_site("//evil.example/", "http://testserver/")
    assert leaves_site("/\\evil.example", "http://testserver/")
    assert not leaves_site("/account/", "http://testserver/")
