"""Request ids and structured logs: JSON lines in production, readable lines in
development. A log line carries the request id and the user id, never a name,
an address, an e-mail, a query string or a token from the path."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.log import AdminEmailHandler as AdminEmailHandlerBase

REQUEST_ID_HEADER = "X-Request-ID"
# What a trusted proxy may hand us (haproxy's unique-id, a UUID, a hex string);
# anything else is replaced, so a client cannot inject text into the logs.
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,99}")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)
_user_id: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")

access_logger = logging.getLogger("genai_prep.access")


def current_request_id() -> str:
    return _request_id.get()


def incoming_request_id(request: HttpRequest) -> str:
    """The proxy's id when we sit behind a trusted proxy and it is well formed."""
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    if getattr(settings, "TRUSTED_PROXY", False) and WELL_FORMED_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def _route(request: HttpRequest) -> str:
    """The URL pattern, not the path: /accounts/reset/<uidb64>/<token>/ has no token."""
    match = getattr(request, "resolver_match", None)
    return f"/{match.route}" if match is not None else "(unmatched)"


def _user_id_of(request: HttpRequest) -> str:
    # Only a user already loaded by the request: logging never queries.
    user = getattr(request, "_cached_user", None)
    return str(user.pk) if user is not None and user.pk is not None else "-"


class RequestIdMiddleware:
    """Outermost: gives the request its id, logs one access line per response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = incoming_request_id(request)
        request.request_id = request_id
        if getattr(settings, "SENTRY_DSN", ""):
            import sentry_sdk

            sentry_sdk.set_tag("request_id", request_id)
        id_token = _request_id.set(request_id)
        user_token = _user_id.set("-")
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            _user_id.set(_user_id_of(request))
            access_logger.info(
                "%s %s %s",
                request.method,
                _route(request),
                response.status_code,
                extra={
                    "method": request.method,
                    "route": _route(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            return response
        finally:
            _request_id.reset(id_token)
            _user_id.reset(user_token)


class RequestContextFilter(logging.Filter):
    """Puts the request id and user id on every record (handlers' filter)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id, user = _request_id.get(), _user_id.get()
        # django.request logs a 4xx/5xx after the middleware has returned, with
        # the request attached to the record.
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            if request_id == "-":
                request_id = getattr(request, "request_id", "-")
            if user == "-":
                user = _user_id_of(request)
        record.request_id, record.user_id = request_id, user
        return True


# Fields a record may carry in `extra` that are safe to write out.
EXTRA_FIELDS = ("method", "route", "status", "duration_ms", "status_code")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for a log shipper."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Python's warnings too, so that every line on the console is JSON.
        logging.captureWarnings(True)

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user_id": getattr(record, "user_id", "-"),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = "".join(
                traceback.format_exception(*record.exc_info)
            ).rstrip()
        return json.dumps(entry, default=str)


class AdminEmailHandler(AdminEmailHandlerBase):
    """Django's mail to ADMINS, opening with the request id (to find the logs)."""

    def send_mail(self, subject: str, message: str, *args, **kwargs) -> None:
        message = f"Request id: {current_request_id()}\n\n{message}"
        super().send_mail(subject, message, *args, **kwargs)
