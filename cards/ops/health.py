"""/healthz (the process answers) and /readyz (it can serve: database, cache,
migrations), for load balancers and orchestrators. Both are cheap and answer HEAD."""

from __future__ import annotations

import logging
import threading

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Once every migration is found applied, a running server does not look again
# (migrations are not unapplied under it); until then every probe looks.
_migrations_applied = False
_lock = threading.Lock()


def _plain(request: HttpRequest, text: str, status: int = 200) -> HttpResponse:
    # HEAD gets the headers only: gunicorn drops (and warns about) a HEAD body.
    body = b"" if request.method == "HEAD" else f"{text}\n".encode()
    response = HttpResponse(body, content_type="text/plain", status=status)
    add_never_cache_headers(response)
    return response


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: no database, no cache; a 200 means the worker runs Python."""
    return _plain(request, "ok")


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations the database still lacks (0 once memoised)."""
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connections[alias])
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    with _lock:
        _migrations_applied = pending == 0
    return pending


def forget_migrations() -> None:
    """Look at the migration table again on the next probe (tests)."""
    global _migrations_applied
    _migrations_applied = False


def _check_database() -> str | None:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        pending = pending_migrations()
    except Exception as error:  # any failure means "not ready", with the reason
        return f"database: {type(error).__name__}"
    return f"migrations: {pending} pending" if pending else None


def _check_cache() -> str | None:
    try:
        cache.set("ops:readyz", "1", timeout=30)
        if cache.get("ops:readyz") != "1":
            return "cache: value not read back"
    except Exception as error:
        return f"cache: {type(error).__name__}"
    return None


@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 "ready", or 503 with one line per failed check."""
    database = _check_database()
    problems = [p for p in (database, _check_cache()) if p]
    if problems:
        logger.warning("Not ready: %s", "; ".join(problems))
        response = _plain(request, "\n".join(["not ready", *problems]), status=503)
        response["Retry-After"] = "5"
        response.is_database_down = bool(database and database.startswith("database"))
        return response
    return _plain(request, "ready")
