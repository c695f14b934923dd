"""Brute-force lockout with django-axes (plan item 18).

Five wrong passwords for one (username, IP) pair lock that pair for 15
minutes: nobody else is locked out, and the lock lifts by itself.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_user

ALICE_IP, OTHER_IP = "203.0.113.5", "198.51.100.7"


@pytest.fixture
def learners(db):
    return make_user(username="alice"), make_user(username="bob")


def attempt(username: str, password: str, ip: str = ALICE_IP, url: str | None = None):
    client = Client(REMOTE_ADDR=ip)
    return client.post(
        url or reverse("login"), {"username": username, "password": password}
    )


def test_lockout_after_exactly_five_and_no_collateral(learners, figure):
    for n in range(4):
        assert attempt("alice", "wrong-password").status_code == 200, n
    assert attempt("alice", PASSWORD).status_code == 302  # 4 failures: still fine
    statuses = [attempt("alice", "wrong-password").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the count restarted at success
    locked = attempt("alice", PASSWORD)  # 6th attempt, correct password
    collateral = [
        attempt("bob", PASSWORD).status_code,  # same IP, another learner
        attempt("alice", PASSWORD, ip=OTHER_IP).status_code,  # alice elsewhere
    ]
    figure(
        18,
        f"lockout after exactly 5 (6th, correct: {locked.status_code}); "
        f"{sum(s != 302 for s in collateral)} collateral lockouts",
    )
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.text
    assert collateral == [302, 302]


def test_lock_lifts_after_the_cool_off(learners, clock):
    for _ in range(5):
        attempt("alice", "wrong-password")
    assert attempt("alice", PASSWORD).status_code == 429
    clock.shift(minutes=14)
    assert attempt("alice", PASSWORD).status_code == 429
    clock.shift(minutes=2)
    assert attempt("alice", PASSWORD).status_code == 302


def test_admin_login_is_protected_too(db):
    make_user(username="root", is_superuser=True)
    url = reverse("admin:login")
    for _ in range(4):
        assert attempt("root", "wrong-password", url=url).status_code == 200
    assert attempt("root", "wrong-password", url=url).status_code == 429  # the 5th
    assert attempt("root", PASSWORD, url=url).status_code == 429
    assert attempt("root", PASSWORD, url=reverse("login")).status_code == 429


def test_forged_forwarded_for_does_not_dodge_the_lock(learners, settings):
    """Without a trusted proxy the header is ignored; behind one, only its entry counts."""
    for n in range(5):
        Client(REMOTE_ADDR=ALICE_IP, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").post(
            reverse("login"), {"username": "alice", "password": "wrong"}
        )
    assert attempt("alice", PASSWORD).status_code == 429
    settings.TRUSTED_PROXY = True
    proxy = "127.0.0.1"
    for n in range(5):
        Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, {OTHER_IP}").post(
            reverse("login"), {"username": "bob", "password": "wrong"}
        )
    locked = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {OTHER_IP}")
    assert (
        locked.post(
            reverse("login"), {"username": "bob", "password": PASSWORD}
        ).status_code
        == 429
    )
