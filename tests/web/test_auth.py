"""Sessions and the signed-in user from the shared cache (cards/web/auth.py):
no query for either on an authenticated request, and every way a session
must end still ends it."""

import re
import uuid

import pytest
import redis
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cards.learner import erasure
from cards.models import LearnerProfile
from cards.web import auth
from tests.factories import PASSWORD, make_question, make_user

REDIS = "redis://127.0.0.1:6379/7"  # a database of its own, keys under a prefix
# Loading a session, a user or a profile (the queue hangs its counts on the
# user's row, which is not loading it).
AUTH_READS = re.compile(
    r'^SELECT "(django_session|auth_user|cards_learnerprofile)"\."[a-z_]+", '
)


def _auth_queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if AUTH_READS.match(q["sql"])]


def _logged_in(username="carol") -> Client:
    make_user(username=username)
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_authenticated_request_reads_neither_session_nor_user(db):
    make_question()
    client = _logged_in()
    first = _auth_queries(client, reverse("cards:review"))
    assert first, "the first request loads the session and the user"
    assert _auth_queries(client, reverse("cards:review")) == []
    assert _auth_queries(client, "/") == []


def test_profile_saved_through_the_orm_is_seen_at_once(db):
    make_question(answer="Hidden SECRET")
    client = _logged_in()
    assert "<template data-back>" in client.get(reverse("cards:review")).text
    profile = LearnerProfile.objects.get(user__username="carol")
    profile.type_answer_first = True
    profile.save()
    text = client.get(reverse("cards:review")).text
    assert "SECRET" not in text and "<template data-back>" not in text


def test_password_change_ends_other_sessions_with_the_user_cached(db):
    here, elsewhere = _logged_in(), Client()
    elsewhere.post(reverse("login"), {"username": "carol", "password": PASSWORD})
    for client in (here, elsewhere):
        assert "Hello, carol" in client.get("/").text  # both cached
    here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "changed-pass-123",
            "new_password2": "changed-pass-123",
        },
    )
    assert "Hello, carol" in here.get("/").text
    assert "Hello, carol" not in elsewhere.get("/").text


def test_a_stale_auth_hash_in_the_cache_is_not_trusted(db):
    """Even with the invalidation missed (a queryset update), a session whose
    hash differs from the cached one goes through Django's own check."""
    client = _logged_in()
    assert "Hello, carol" in client.get("/").text
    session = client.session
    session["_auth_user_hash"] = "0" * 64  # as if the password had changed
    session.save()
    assert "Hello, carol" not in client.get("/").text


def test_logout_revokes_the_cached_session(db):
    client = _logged_in()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.get("/")
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert "Hello, carol" not in replay.get("/").text


def test_erasure_removes_the_cached_sessions_and_user(db):
    client = _logged_in()
    client.get("/")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    user = LearnerProfile.objects.get(user__username="carol").user
    cache = caches[settings.SESSION_CACHE_ALIAS]
    cached_session = "django.contrib.sessions.cached_db" + key
    assert cache.get(cached_session) and cache.get(auth.cache_key(user.pk))
    erasure.delete_person(user=user)
    assert cache.get(cached_session) is None
    assert cache.get(auth.cache_key(user.pk)) is None


@pytest.fixture
def redis_sessions(settings):
    prefix = f"genai-prep-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        },
    }
    raw = redis.Redis.from_url(REDIS)
    try:
        yield raw, prefix
    finally:
        for key in raw.scan_iter(f"{prefix}:*"):
            raw.delete(key)
        raw.close()


def test_sessions_and_users_live_in_redis(db, redis_sessions):
    raw, prefix = redis_sessions
    make_question()
    client = _logged_in()
    user_id = client.session[SESSION_KEY]
    _auth_queries(client, reverse("cards:review"))
    assert _auth_queries(client, reverse("cards:review")) == []
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert raw.exists(f"{prefix}:1:django.contrib.sessions.cached_db{key}")
    assert raw.exists(f"{prefix}:1:{auth.cache_key(user_id)}")
    client.post(reverse("logout"))
    assert not raw.exists(f"{prefix}:1:django.contrib.sessions.cached_db{key}")
