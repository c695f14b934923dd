"""Request-wide concerns: database outages, private-page caching, the learner's
time zone, client IP."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from cards.models import profile_for
from cards.web.errors import DATABASE_DOWN, unavailable_response

logger = logging.getLogger(__name__)


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


class LearnerTimeZoneMiddleware:
    """Show times in the learner's own time zone, not the server's.

    A learner's dates ("rewritten on 5 Jan") must be their calendar's, wherever
    the server runs. The profile comes with the user (the auth backend loads
    both in one query), so this costs no query of its own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        try:
            # The first touch of request.user loads the session and the user.
            is_learner = user is not None and user.is_authenticated
        except DATABASE_DOWN as error:
            # Outside a view, DatabaseUnavailableMiddleware cannot catch it.
            logger.error("Database unavailable on %s: %s", request.path, error)
            return unavailable_response(request)
        if is_learner:
            timezone.activate(profile_for(user).zone_at(timezone.now()))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


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


class HtmlGZipMiddleware(GZipMiddleware):
    """Compress HTML responses (pages and htmx fragments) on the wire.

    BREACH needs a secret that sits in a compressed body next to text an
    attacker can inject and repeat. The page's one secret is the CSRF token,
    which Django masks afresh for every response, and Django's GZipMiddleware
    adds up to 100 random bytes to each response (Heal the BREACH), so response
    lengths do not leak a match. Session cookies travel in headers, which are
    not compressed. Files (the Anki deck, "Your data") are left as they are.
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
