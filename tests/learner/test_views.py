"""Landing page, dashboard and the account pages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from cards.models import LearnerProfile
from tests.factories import PASSWORD, make_schedule


def test_landing_page_for_visitors(client, questions):
    r = client.get("/")
    assert r.status_code == 200
    assert "Start learning free" in r.text
    assert "10 curated interview questions" in r.text


def test_dashboard_counts_due_and_new(logged_in_client, user, questions):
    r = logged_in_client.get("/")
    assert r.status_code == 200
    assert "<strong>10</strong> new questions waiting" in r.text
    assert "Start review" in r.text


def test_dashboard_excludes_cards_not_yet_due(logged_in_client, user, questions):
    make_schedule(user=user, question=questions[0], due_on="2999-01-01")
    r = logged_in_client.get("/")
    assert "<strong>9</strong> new questions" in r.text
    assert re.search(r'big-number">0</strong> reviews', r.text)


def test_pages_carry_csp_nonce_on_every_script(client, questions):
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    scripts = re.findall(r"<script[^>]*>", r.text)
    assert len(scripts) >= 2
    assert all(f'nonce="{nonce}"' in s for s in scripts)
    assert "style=" not in r.text
    assert "default-src 'self'" in csp and "object-src 'none'" in csp


def test_signup_creates_learner_with_browser_time_zone(client, questions):
    r = client.post(
        reverse("signup"),
        {
            "username": "dana",
            "email": "dana@example.com",
            "password1": "a-long-pass-phrase-7",
            "password2": "a-long-pass-phrase-7",
            "time_zone": "Asia/Kolkata",
        },
    )
    assert r.status_code == 302 and r.url == "/"
    user = get_user_model().objects.get(username="dana")
    assert LearnerProfile.objects.get(user=user).time_zone == "Asia/Kolkata"
    assert "new questions waiting" in client.get("/").text


def test_signup_with_bogus_time_zone_falls_back_to_utc(client, db):
    client.post(
        reverse("signup"),
        {
            "username": "erin",
            "password1": "a-long-pass-phrase-7",
            "password2": "a-long-pass-phrase-7",
            "time_zone": "Nowhere/Land",
        },
    )
    assert LearnerProfile.objects.get(user__username="erin").time_zone == "UTC"


def test_signup_errors_write_nothing(client, db):
    r = client.post(
        reverse("signup"),
        {"username": "frank", "password1": "short", "password2": "different"},
    )
    assert r.status_code == 200
    assert "didn’t match" in r.text or "didn't match" in r.text
    assert not get_user_model().objects.exists()


def test_login_and_logout(client, user):
    r = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert r.status_code == 302
    assert "Hello, alice" in client.get("/").text
    assert client.get(reverse("logout")).status_code == 405  # logout is POST only
    r = client.post(reverse("logout"))
    assert r.status_code == 302
    assert "Start learning free" in client.get("/").text


def test_login_rejects_a_wrong_password(client, user):
    r = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert r.status_code == 200
    assert "correct username and password" in r.text


def test_password_reset_sends_a_single_use_link(client, user):
    r = client.post(reverse("password_reset"), {"email": user.email})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    r = client.get(path, follow=True)
    assert "Choose a new password" in r.text
    form_url = r.redirect_chain[-1][0]
    r = client.post(
        form_url,
        {"new_password1": "another-pass-77x", "new_password2": "another-pass-77x"},
    )
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-pass-77x")
    assert "no longer works" in client.get(path, follow=True).text


def test_password_reset_for_unknown_email_sends_nothing(client, db):
    r = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert r.status_code == 302
    assert mail.outbox == []


def test_password_change(logged_in_client, user):
    r = logged_in_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "brand-new-pass-42",
            "new_password2": "brand-new-pass-42",
        },
    )
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-pass-42")


@pytest.mark.parametrize("url", ["/accounts/password_change/"])
def test_private_pages_require_login(client, db, url):
    r = client.get(url)
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")


def test_signup_page_redirects_a_logged_in_user(logged_in_client):
    assert logged_in_client.get(reverse("signup")).status_code == 302


def test_home_answers_get_only(client, db):
    assert client.post("/").status_code == 405
