"""genai_prep/settings.py read with a given environment: each variable of
docs/DEPLOY.md changes what it says it does. The file is executed afresh
(runpy) with a patched environment; Django's live settings are untouched."""

import runpy

import pytest

import genai_prep.settings as live

PG = "postgres://app:pw@db.internal:5432/prep"
VARIABLES = (
    "DATABASE_URL",
    "DATABASE_POOLER",
    "DATABASE_CONN_MAX_AGE",
    "DATABASE_DIRECT_URL",
    "DATABASE_REPLICA_URL",
    "REDIS_URL",
    "DJANGO_CACHE_PREFIX",
    "DJANGO_BENCH",
    "DJANGO_STATIC_ROOT",
    "SENTRY_DSN",
)


@pytest.fixture
def read(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def read(**env: str) -> dict:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(live.__file__)

    return read


def test_postgres_behind_pgbouncer_has_no_server_side_state(read):
    s = read(DATABASE_URL=PG, DATABASE_POOLER="transaction", DATABASE_CONN_MAX_AGE="0")
    db = s["DATABASES"]["default"]
    assert (db["ENGINE"], db["HOST"], db["NAME"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        "prep",
    )
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert db["OPTIONS"]["prepare_threshold"] is None
    assert "plan_cache_mode" not in db["OPTIONS"].get("options", "")
    assert db["CONN_MAX_AGE"] == 0
    assert "transaction_mode" not in db["OPTIONS"]  # SQLite's, not PostgreSQL's


def test_postgres_without_a_pooler_lets_psycopg_prepare(read):
    # Only the statements run through cards/review/prepared.py are prepared;
    # Django's own cursors bind on the client whatever the threshold.
    s = read(
        DATABASE_URL=PG, DATABASE_REPLICA_URL="postgres://app:pw@db-replica:5432/p"
    )
    assert s["DATABASES"]["default"]["OPTIONS"]["prepare_threshold"] == 5
    assert s["DATABASES"]["replica"]["OPTIONS"]["prepare_threshold"] == 5
    assert not s["DATABASES"]["default"].get("DISABLE_SERVER_SIDE_CURSORS")
    # One generic plan per prepared statement, on both aliases.
    for alias in ("default", "replica"):
        options = s["DATABASES"][alias]["OPTIONS"]["options"]
        assert options == "-c plan_cache_mode=force_generic_plan"


def test_generic_plans_keep_the_urls_own_server_options(read):
    s = read(DATABASE_URL=PG + "?options=-c%20search_path%3Dbench_s")
    assert s["DATABASES"]["default"]["OPTIONS"]["options"] == (
        "-c search_path=bench_s -c plan_cache_mode=force_generic_plan"
    )


def test_a_replica_and_a_direct_url_get_their_own_aliases(read):
    s = read(
        DATABASE_URL=PG,
        DATABASE_POOLER="transaction",
        DATABASE_DIRECT_URL="postgres://app:pw@db-primary:5432/prep",
        DATABASE_REPLICA_URL="postgres://app:pw@db-replica:5432/prep",
    )
    direct, replica = s["DATABASES"]["direct"], s["DATABASES"]["replica"]
    assert direct["HOST"] == "db-primary" and direct["TEST"] == {"MIRROR": "default"}
    assert replica["HOST"] == "db-replica" and replica["TEST"] == {"MIRROR": "default"}
    assert replica["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert replica["OPTIONS"]["prepare_threshold"] is None
    assert s["DATABASE_READ_REPLICA"] == "replica"


def test_without_a_replica_url_reads_stay_on_the_primary(read):
    s = read()
    assert s["DATABASE_READ_REPLICA"] == ""
    assert "direct" not in s["DATABASES"]
    assert s["DATABASES"]["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_redis_holds_the_caches_and_sessions_under_one_prefix(read):
    s = read(REDIS_URL="redis://cache:6379/0", DJANGO_CACHE_PREFIX="prep-eu")
    caches = s["CACHES"]
    assert {c["BACKEND"] for c in caches.values()} == {
        "django.core.cache.backends.redis.RedisCache"
    }
    assert {c["LOCATION"] for c in caches.values()} == {"redis://cache:6379/0"}
    assert caches["default"]["KEY_PREFIX"] == "prep-eu"
    assert caches["sessions"]["KEY_PREFIX"] == "prep-eu-sessions"
    assert caches["progress"]["KEY_PREFIX"] == "prep-eu-progress"
    assert caches["sessions"]["TIMEOUT"] == s["SESSION_COOKIE_AGE"]


def test_bench_mode_counts_queries_outermost_and_static_root_is_set(read, tmp_path):
    s = read(DJANGO_BENCH="yes", DJANGO_STATIC_ROOT=str(tmp_path))
    assert "bench" in s["INSTALLED_APPS"]
    assert s["MIDDLEWARE"].index("bench.middleware.query_count") < s[
        "MIDDLEWARE"
    ].index("django.contrib.sessions.middleware.SessionMiddleware")
    assert s["STATIC_ROOT"] == tmp_path
    assert "bench" not in read(DJANGO_BENCH="0")["INSTALLED_APPS"]
