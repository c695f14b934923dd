"""Rate limits: 429 with Retry-After and a clear message, per user, per address
and per account, on export, import, the deck, password reset, sign-up and answer checking;
counted in the cache, so Redis shares them between servers."""

import uuid

import pytest
import redis
from django.core import mail
from django.test import Client
from django.urls import reverse

from cards.ops import ratelimit
from tests.factories import make_user

HOUR = 3600
REDIS = "redis://127.0.0.1:6379/1"


@pytest.fixture
def small_limits(settings):
    settings.RATE_LIMITS = {
        scope: dict.fromkeys(kinds, (2, HOUR))
        for scope, (_, kinds) in ratelimit.LIMITS.items()
    }


def learner_client(user, address="198.51.100.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


def assert_limited(response, text):
    assert response.status_code == 429
    retry = int(response["Retry-After"])
    assert 1 <= retry <= HOUR
    assert text in response.text and "Nothing was done" in response.text
    assert "no-store" in response["Cache-Control"]


def test_the_deck_is_limited_per_user_then_per_address(small_limits, db):
    alice, bob = make_user(), make_user()
    alice_client = learner_client(alice)
    assert [alice_client.get("/deck.apkg").status_code for _ in range(2)] == [200, 200]
    assert_limited(
        alice_client.get("/deck.apkg"), "Anki deck downloads from your account"
    )
    # Bob on the same network still has the address's allowance... then not.
    # Bob on the same network meets the address's limit (3 used of 2)...
    assert_limited(learner_client(bob).get("/deck.apkg"), "from your network")
    # Bob elsewhere is fine: nobody is locked out by someone else's use.
    assert learner_client(bob, "203.0.113.50").get("/deck.apkg").status_code == 200


def test_export_is_limited_and_says_when_to_come_back(small_limits, db, clock):
    # Start at the start of an hourly window, whatever the frozen moment.
    if offset := int(clock.now.timestamp()) % HOUR:
        clock.shift(seconds=HOUR - offset)
    client = learner_client(make_user())
    url = reverse("cards:account_export")
    assert client.get(url).status_code == client.get(url).status_code == 200
    limited = client.get(url)
    assert_limited(limited, "Too many data downloads from your account for now.")
    assert limited["Retry-After"] == str(HOUR)
    assert "in 60 minutes" in limited.text
    clock.shift(minutes=59, seconds=30)
    assert client.get(url)["Retry-After"] == "30"
    clock.shift(seconds=30)  # a new window
    assert client.get(url).status_code == 200


def test_import_is_limited_and_htmx_gets_the_message_in_flash(small_limits, db):
    client = learner_client(make_user())
    url = reverse("cards:account_import")
    for _ in range(2):
        assert client.post(url, {}).status_code == 400  # no file: counted all the same
    limited = client.post(url, {}, headers={"HX-Request": "true"})
    assert limited.status_code == 429 and limited["HX-Reswap"] == "none"
    assert 'id="flash"' in limited.text and "Too many data imports" in limited.text
    assert "<html" not in limited.text


def test_password_reset_is_limited_per_account_and_per_address(small_limits, db):
    victim = make_user(email="victim@example.com")
    url = reverse("password_reset")
    # Many networks asking for one account: the account's limit holds.
    for n in range(2):
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(url, {"email": victim.email})
    assert len(mail.outbox) == 2
    limited = Client(REMOTE_ADDR="203.0.113.9").post(
        url, {"email": " Victim@Example.com "}
    )
    assert_limited(limited, "password-reset requests for this account")
    assert len(mail.outbox) == 2  # nothing sent
    # One network asking for many accounts: the address's limit holds.
    client = Client(REMOTE_ADDR="198.51.100.77")
    for n in range(2):
        assert client.post(url, {"email": f"x{n}@example.com"}).status_code == 302
    assert_limited(client.post(url, {"email": "x9@example.com"}), "from your network")
    assert client.get(url).status_code == 200  # the form itself is never limited


def test_sign_up_is_limited_per_address_and_writes_nothing(small_limits, db):
    from django.contrib.auth import get_user_model

    client = Client(REMOTE_ADDR="198.51.100.8")
    url = reverse("signup")

    def sign_up(n):
        return client.post(url, {"username": f"new{n}", "email": f"n{n}@example.com",
                                 "password1": "a-long-pass-phrase-9", "password2": "x"})  # fmt: skip

    assert [sign_up(n).status_code for n in range(2)] == [200, 200]  # form errors
    assert_limited(sign_up(3), "Too many sign-ups from your network")
    assert not get_user_model().objects.filter(username="new3").exists()


def test_a_cache_outage_lets_requests_through(small_limits, db, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client = learner_client(make_user())
    assert [client.get("/deck.apkg").status_code for _ in range(3)] == [200] * 3


def test_counters_live_in_redis_shared_by_every_server(small_limits, db, settings):
    prefix = f"genai-prep-test-{uuid.uuid4().hex}"
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS,
        "KEY_PREFIX": prefix,
    }
    settings.CACHES = {**settings.CACHES, "default": redis_cache}
    raw = redis.Redis.from_url(REDIS)
    try:
        user = make_user()
        assert learner_client(user).get("/deck.apkg").status_code == 200
        # "Another server": the cache handlers are rebuilt (a new connection),
        # so what the second server knows is only what Redis holds.
        settings.CACHES = {**settings.CACHES, "default": dict(redis_cache)}
        assert learner_client(user).get("/deck.apkg").status_code == 200
        assert learner_client(user).get("/deck.apkg").status_code == 429
        keys = raw.keys(f"{prefix}:*ratelimit:deck:*")
        assert len(keys) == 2  # per user and per address
        counts = sorted(int(raw.get(k)) for k in keys)
        assert counts == [3, 3]
        assert all(0 < raw.ttl(k) <= HOUR + 1 for k in keys)
    finally:
        for key in raw.scan_iter(f"{prefix}:*"):
            raw.delete(key)
        raw.close()


def test_answer_checking_is_limited_per_user(small_limits, db, clock):
    from datetime import timedelta

    from tests.factories import make_question, make_schedule

    user = make_user(type_answer_first=True)
    question = make_question(answer="Attention relates every token to every other.")
    today = user.profile.study_day(clock.now)
    schedule = make_schedule(user=user, question=question, due_on=today - timedelta(1))
    client = learner_client(user)
    url = reverse("cards:check", args=[question.pk])
    data = {"typed": "attention", "version": schedule.version, "shown_at": "1"}
    assert [client.post(url, data).status_code for _ in range(2)] == [200, 200]
    assert_limited(client.post(url, data), "answer checks from your account")
    # Another learner on another network is not held back by it.
    other = make_user(type_answer_first=True)
    make_schedule(user=other, question=question, due_on=today - timedelta(1))
    assert learner_client(other, "203.0.113.60").post(url, data).status_code == 200
