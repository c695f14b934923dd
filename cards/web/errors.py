"""The error handlers (handler400, handler500) and the 503 of a database outage."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

RETRY_AFTER_SECONDS = 10


UNAVAILABLE_MESSAGE = (
    "GenAI Prep is briefly unavailable (our database is not answering). "
    "Nothing was saved; please try again in a few seconds."
)


# Connection-level failures; a restart or failover clears them by itself.
DATABASE_DOWN = (OperationalError, InterfaceError)


def request_id_of(request: HttpRequest) -> str:
    """The id cards.ops.logs.RequestIdMiddleware gave the request ("" if none)."""
    return getattr(request, "request_id", "")


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After; htmx gets the message swapped into #flash.

    Rendered without a request context: the context processors would query the
    database (the user, messages) that is down. The page shows the request id,
    so a learner's report can be found in the logs.
    """
    request_id = request_id_of(request)
    if request.headers.get("HX-Request") == "true":
        message = UNAVAILABLE_MESSAGE
        if request_id:
            message += f" (Reference: {request_id})"
        body = loader.render_to_string("errors/flash.html", {"message": message})
        response = HttpResponse(body, status=503)
        response["HX-Reswap"] = "none"  # only the out-of-band #flash is swapped
    else:
        body = loader.render_to_string(
            "503.html",
            {
                "message": UNAVAILABLE_MESSAGE,
                "path": request.get_full_path(),
                "request_id": request_id,
            },
        )
        response = HttpResponse(body, status=503)
    # Counted as a database error by cards.ops.metrics, which web cannot import.
    response.is_database_down = True
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
    body = loader.render_to_string("500.html", {"request_id": request_id_of(request)})
    response = HttpResponse(body, status=500)
    add_never_cache_headers(response)
    return response


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
