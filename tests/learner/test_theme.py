"""The light/dark switch over HTTP: per learner, a cookie before logging in."""

import re

from django.test import Client
from django.urls import reverse

from cards.models import LearnerProfile

HTMX = {"HX-Request": "true"}


def html_theme(client: Client, path: str = "/") -> str | None:
    text = client.get(path).text
    found = re.search(r'<html lang="en"(?: data-theme="(\w+)")?>', text)
    assert found, text[:200]
    return found.group(1)


def offered(client: Client, path: str = "/") -> str:
    return re.search(r'name="theme" value="(\w+)"', client.get(path).text).group(1)


def test_no_choice_follows_the_device(logged_in_client):
    assert html_theme(logged_in_client) is None
    assert offered(logged_in_client, "/settings/") == "dark"


def test_a_learner_s_choice_is_stored_and_rendered_on_every_page(
    logged_in_client, user, other_user
):
    r = logged_in_client.post(
        reverse("cards:theme"), {"theme": "dark", "next": "/progress/?days=90"}
    )
    assert r.status_code == 302 and r.url == "/progress/?days=90"
    assert LearnerProfile.objects.get(user=user).theme == "dark"
    for path in ("/", "/review/", "/progress/", "/settings/", "/account/"):
        assert html_theme(logged_in_client, path) == "dark"
    assert offered(logged_in_client) == "light"
    # Per learner: another learner on the same browser profile is unaffected.
    other = Client()
    other.force_login(other_user)
    assert html_theme(other) is None
    # The learner's stored choice wins over the browser's cookie.
    logged_in_client.cookies["theme"] = "light"
    assert html_theme(logged_in_client) == "dark"


def test_back_to_the_device_scheme(logged_in_client, user):
    logged_in_client.post(reverse("cards:theme"), {"theme": "dark"})
    r = logged_in_client.post(reverse("cards:theme"), {"theme": "auto"}, headers=HTMX)
    assert r.status_code == 204
    assert LearnerProfile.objects.get(user=user).theme == "auto"
    assert html_theme(logged_in_client) is None


def test_anonymous_choice_is_a_cookie(db, client):
    r = client.post(
        reverse("cards:theme"), {"theme": "light", "next": "/accounts/login/"}
    )
    assert r.status_code == 302 and r.url == "/accounts/login/"
    cookie = r.cookies["theme"]
    assert (
        cookie.value == "light" and cookie["httponly"] and cookie["samesite"] == "Lax"
    )
    assert html_theme(client, "/accounts/login/") == "light"
    assert html_theme(client, "/") == "light"
    assert not LearnerProfile.objects.exists()


def test_bad_input_is_refused_and_writes_nothing(logged_in_client, user):
    for value in ("", "blue", "DARK", "dark "):
        r = logged_in_client.post(reverse("cards:theme"), {"theme": value})
        assert r.status_code == 400 and "light, dark or auto" in r.text
        assert "theme" not in r.cookies
    assert LearnerProfile.objects.get(user=user).theme == "auto"
    assert logged_in_client.get(reverse("cards:theme")).status_code == 405


def test_next_must_stay_on_the_site(logged_in_client):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        r = logged_in_client.post(
            reverse("cards:theme"), {"theme": "dark", "next": target}
        )
        assert r.status_code == 302 and r.url == "/"


def test_csrf_is_required(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("cards:theme"), {"theme": "dark"}).status_code == 403
    assert LearnerProfile.objects.get(user=user).theme == "auto"
