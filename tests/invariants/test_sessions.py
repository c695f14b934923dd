"""Session fixation and lifecycle (plan item 17, ASVS 7.2.4 and 7.4)."""

import re
from datetime import timedelta

import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.clock import frozen_moment
from tests.factories import PASSWORD, make_user


def log_in(client: Client, username: str = "alice", password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def is_logged_in(client: Client) -> bool:
    return "Hello, alice" in client.get("/").text


def test_login_rotates_the_session_and_csrf_token(db):
    make_user(username="alice")
    client = Client()
    client.get(reverse("login"))  # an anonymous visit gets a CSRF cookie ...
    session = client.session  # ... and a session
    session["planted"] = "yes"
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = (session.session_key, client.cookies["csrftoken"].value)
    assert log_in(client).status_code == 302
    after = (
        client.cookies[settings.SESSION_COOKIE_NAME].value,
        client.cookies["csrftoken"].value,
    )
    assert after[0] != before[0] and after[1] != before[1]
    assert not SessionStore(session_key=before[0]).exists(before[0])


def lifecycle_checks() -> dict[str, bool]:
    alice = make_user(username="alice", email="alice@example.com")
    results = {}

    # 1. Fixation: a session key known before login is worthless after it.
    client = Client()
    client.get(reverse("login"))
    session = client.session
    session.save()
    planted = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = planted
    log_in(client)
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = planted
    results["new session at login"] = client.cookies[
        settings.SESSION_COOKIE_NAME
    ].value != planted and not is_logged_in(thief)

    # 2. Logout: the old cookie is anonymous afterwards.
    old = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old
    results["old cookie anonymous after logout"] = not is_logged_in(replay)

    # 3. A password change ends the other sessions, keeps this one.
    here, elsewhere = Client(), Client()
    log_in(here)
    log_in(elsewhere)
    here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "changed-pass-123",
            "new_password2": "changed-pass-123",
        },
    )
    results["password change ends other sessions"] = is_logged_in(here) and not (
        is_logged_in(elsewhere)
    )

    # ... and so does a password reset, everywhere.
    here.post(reverse("password_reset"), {"email": alice.email})
    link = re.search(r"https?://testserver(\S+)", mail.outbox[-1].body).group(1)
    form = Client()
    response = form.get(link, follow=True)
    form.post(
        response.redirect_chain[-1][0],
        {"new_password1": "reset-pass-456", "new_password2": "reset-pass-456"},
    )
    results["password reset ends all sessions"] = not is_logged_in(here)

    # 4. Expiry: SESSION_COOKIE_AGE after login the session is gone.
    client = Client()
    log_in(client, password="reset-pass-456")
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(frozen_moment() + age - timedelta(hours=1), tick=False):
        alive = is_logged_in(client)
    with time_machine.travel(frozen_moment() + age + timedelta(minutes=1), tick=False):
        expired = not is_logged_in(client)
    results["session expires after SESSION_COOKIE_AGE"] = alive and expired
    return results


def test_session_lifecycle(db, figure):
    results = lifecycle_checks()
    passed = sum(results.values())
    figure(17, f"{passed}/{len(results)} lifecycle checks pass")
    assert results == dict.fromkeys(results, True)


def test_logout_flushes_the_session_row(db):
    make_user(username="alice")
    client = Client()
    log_in(client)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(session_key=key).load().get(SESSION_KEY)
    client.post(reverse("logout"))
    assert not SessionStore().exists(key)
