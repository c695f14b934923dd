"""/healthz and /readyz: cheap, HEAD-able, and honest about what is broken."""

import contextlib

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from cards.ops import health


@pytest.fixture(autouse=True)
def _fresh_probe():
    health.forget_migrations()
    yield
    health.forget_migrations()


@pytest.mark.parametrize("method", ["get", "head"])
def test_healthz_answers_without_touching_the_database(client, method):
    # No `db` fixture: pytest-django fails the test on any database access.
    response = getattr(client, method)("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == (b"ok\n" if method == "get" else b"")
    assert "no-store" in response["Cache-Control"]


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize("method", ["get", "head"])
def test_readyz_is_ready_with_database_cache_and_migrations(
    client, db, method, django_assert_max_num_queries
):
    assert getattr(client, method)("/readyz").status_code == 200  # memoises
    with django_assert_max_num_queries(1):  # SELECT 1, once migrations are known
        response = getattr(client, method)("/readyz")
    assert response.status_code == 200
    if method == "get":
        assert response.content == b"ready\n"


def test_readyz_is_not_ready_while_a_migration_is_pending(client, db):
    latest = MigrationRecorder.Migration.objects.filter(app="cards").latest("id")
    latest.delete()  # as if the release's migration had not run yet
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content.decode().splitlines() == [
        "not ready",
        "migrations: 1 pending",
    ]
    assert response["Retry-After"] == "5"


def test_readyz_is_not_ready_when_the_cache_is_unreachable(client, db, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "cache: ConnectionError" in response.content.decode()


@contextlib.contextmanager
def database_down():
    """Point the connection at a database that cannot be reached."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/folder/db.sqlite3"
    else:
        connection.settings_dict["PORT"] = 1
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
def test_readyz_is_not_ready_when_the_database_is_down(client):
    with database_down():
        response = client.get("/readyz")
        head = client.head("/readyz")
        health_during_outage = client.get("/healthz")
    assert response.status_code == 503 and head.status_code == 503
    assert "database: OperationalError" in response.content.decode()
    assert health_during_outage.status_code == 200  # liveness is not readiness
    assert client.get("/readyz").status_code == 200  # and it recovers by itself


def test_probes_answer_plain_http_when_https_is_enforced(client, db, settings):
    # haproxy checks servers over the private network without TLS.
    settings.SECURE_SSL_REDIRECT = True
    assert client.head("/healthz").status_code == 200
    assert client.head("/readyz").status_code == 200
    assert client.get("/review/").status_code == 301  # everything else redirects
