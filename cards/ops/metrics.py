"""Prometheus metrics: requests by view and status, latencies, grades and
database errors, and the /metrics endpoint an internal scraper reads (with
the job queue's depth and failed mails from cards/ops/queue_metrics.py).

Under gunicorn, set PROMETHEUS_MULTIPROC_DIR (an empty directory per server,
before start) and use genai_prep/gunicorn_conf.py: each worker writes its
samples there and /metrics adds up every worker's, so a scrape that lands on
any one worker sees the whole server.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from cards.web.middleware import client_ip

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
GRADE_VIEW = "cards:grade"

REQUESTS = Counter(
    "genai_prep_http_requests",
    "HTTP responses by view (URL name), method and status.",
    ["view", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "genai_prep_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by view.",
    ["view"],
)
GRADE_SECONDS = Histogram(
    "genai_prep_grade_duration_seconds",
    "Time to answer one grade POST (the review loop's write).",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
GRADES = Counter(
    "genai_prep_grades",
    "Grade POSTs by outcome (recorded, conflict, rejected, error); "
    "grades per minute: rate(genai_prep_grades_total{outcome='recorded'}[1m]) * 60.",
    ["outcome"],
)
DATABASE_ERRORS = Counter(
    "genai_prep_database_errors",
    "Requests answered 503 because the database was unavailable.",
)


def view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name or "unnamed") if match is not None else "unmatched"


def grade_outcome(status: int) -> str:
    if status < 400:
        return "recorded"
    if status == 409:
        return "conflict"
    return "error" if status >= 500 else "rejected"


class MetricsMiddleware:
    """Counts and times every response (second outermost, after the request id)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        view = view_label(request)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        REQUEST_SECONDS.labels(view).observe(elapsed)
        if view == GRADE_VIEW and method == "POST":
            GRADE_SECONDS.observe(elapsed)
            GRADES.labels(grade_outcome(response.status_code)).inc()
        if getattr(response, "is_database_down", False):
            DATABASE_ERRORS.inc()
        return response


@cache
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(n, strict=False) for n in spec)


def is_internal(address: str | None) -> bool:
    """Is the client in METRICS_ALLOWED_NETWORKS (loopback by default)?"""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in net for net in _networks(tuple(settings.METRICS_ALLOWED_NETWORKS)))


def has_token(request: HttpRequest) -> bool:
    expected = f"Bearer {settings.METRICS_TOKEN}".encode()
    offered = request.headers.get("Authorization", "").encode()
    return hmac.compare_digest(offered, expected)


def exposition() -> bytes:
    """Every metric in Prometheus text format (all workers' in multiprocess mode),
    then the queue's and reminders' gauges, read from the database."""
    from cards.ops import queue_metrics

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(queue_metrics.REGISTRY)


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """404 while METRICS_TOKEN is unset; 403 outside the internal networks;
    401 without the bearer token."""
    if not settings.METRICS_TOKEN:
        raise Http404("metrics are off")
    if not is_internal(client_ip(request)):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    if not has_token(request):
        response = HttpResponse("unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body = b"" if request.method == "HEAD" else exposition()
    response = HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
