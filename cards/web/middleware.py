"""Request-wide safety nets: database outages, private-page caching, client IP."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers, patch_cache_control

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
UNAVAILABLE_MESSAGE = (
    "GenAI Prep is briefly unavailable (our database is not answering). "
    "Nothing was saved; please try again in a few seconds."
)
# Connection-level failures; a restart or failover clears them by itself.
DATABASE_DOWN = (OperationalError, InterfaceError)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After; htmx gets the message swapped into #flash.

    Rendered without a request context: the context processors would query the
    database (the user, messages) that is down.
    """
    if request.headers.get("HX-Request") == "true":
        body = loader.render_to_string(
            "errors/flash.html", {"message": UNAVAILABLE_MESSAGE}
        )
        response = HttpResponse(body, status=503)
        response["HX-Reswap"] = "none"  # only the out-of-band #flash is swapped
    else:
        body = loader.render_to_string(
            "503.html",
            {"message": UNAVAILABLE_MESSAGE, "path": request.get_full_path()},
        )
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a plain page without details (a 503 for a database outage).

    Exceptions raised outside views (in middleware, or while saving the
    session) reach this handler rather than process_exception.
    """
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return unavailable_response(request)
    response = HttpResponse(loader.render_to_string("500.html"), status=500)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turn OperationalError/InterfaceError raised by a view into a 503.

    Recovery needs nothing here: Django discards a connection that failed at
    the end of the request, and CONN_HEALTH_CHECKS re-checks a kept one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_DOWN):
            return None
        logger.error("Database unavailable on %s: %s", request.path, exception)
        return unavailable_response(request)


class PrivatePagesNoStoreMiddleware:
    """Cache-Control: no-store on every response to a request with a session.

    A request that carries a session cookie may get a page with the learner's
    data; such a page must not stay in a shared cache or the browser's disk
    cache (ASVS 14.3). Responses that set their own Cache-Control keep it,
    made private and no-store. Reading the cookie needs no database.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES or response.cookies.get(
            settings.SESSION_COOKIE_NAME
        ):
            if response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_store=True)
            else:
                add_never_cache_headers(response)  # no-store, private
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The address that login throttling counts (AXES_CLIENT_IP_CALLABLE).

    Behind our proxy (DJANGO_BEHIND_PROXY=1) it is the last X-Forwarded-For
    entry, the one that proxy appended; otherwise REMOTE_ADDR. A client can
    put anything in the header, so nothing earlier in it is trusted.
    """
    if getattr(settings, "TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


# --- Requests Django cannot read (plan item 5) ---------------------------------
BAD_REQUEST_MESSAGE = (
    "This request could not be read (too large, too many fields or malformed), "
    "so nothing was saved. Please reload the page and try again."
)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a body over the size or field limits, a broken upload, a bad host.

    Django raises these while reading the request, before a view can answer
    with its own message. Rendered without a request context, like a 500;
    htmx gets the message in #flash and keeps the page as it is.
    """
    if request.headers.get("HX-Request") == "true":
        body = loader.render_to_string(
            "errors/flash.html", {"message": BAD_REQUEST_MESSAGE}
        )
        response = HttpResponse(body, status=400)
        response["HX-Reswap"] = "none"  # only the out-of-band #flash is swapped
    else:
        body = loader.render_to_string("400.html", {"message": BAD_REQUEST_MESSAGE})
        response = HttpResponse(body, status=400)
    add_never_cache_headers(response)
    return response
