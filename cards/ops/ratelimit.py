"""Rate limits on the expensive or abusable endpoints, per user, per address
and (password reset) per account asked for, counted in Django's cache, so
limits hold across every app server when the cache is Redis.

A limit is a fixed window: at most `count` requests per `seconds`, counted
from the start of the window; the 429 says how long until the next one.
Settings may override a scope: RATE_LIMITS = {"export": {"user": (5, 3600)}}.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers

from cards.web.middleware import client_ip

logger = logging.getLogger(__name__)

HOUR = 60 * 60

# scope -> (what is limited, {kind: (count, seconds)}). Kinds: user, address,
# account (the e-mail address a password reset is asked for).
LIMITS: dict[str, tuple[str, dict[str, tuple[int, int]]]] = {
    "export": ("data downloads", {"user": (10, HOUR), "address": (30, HOUR)}),
    "import": ("data imports", {"user": (10, HOUR), "address": (30, HOUR)}),
    "deck": ("Anki deck downloads", {"user": (20, HOUR), "address": (60, HOUR)}),
    "password_reset": (
        "password-reset requests",
        {"address": (5, HOUR), "account": (3, HOUR)},
    ),
    "signup": ("sign-ups", {"address": (10, HOUR)}),
    # Each check runs the key-point matcher (CPU); a learner types a few dozen
    # answers a day, so 300 an hour is far above honest use.
    "answer_check": ("answer checks", {"user": (300, HOUR), "address": (900, HOUR)}),
}
WHO = {
    "user": "from your account",
    "address": "from your network",
    "account": "for this account",
}


@dataclass(frozen=True)
class Exceeded:
    scope: str
    kind: str
    retry_after: int  # seconds

    @property
    def message(self) -> str:
        what, _ = LIMITS[self.scope]
        return (
            f"Too many {what} {WHO[self.kind]} for now. Nothing was done; "
            f"please try again in {wait_text(self.retry_after)}."
        )


def wait_text(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def limits_for(scope: str) -> dict[str, tuple[int, int]]:
    overrides = getattr(settings, "RATE_LIMITS", {}).get(scope, {})
    return {**LIMITS[scope][1], **overrides}


def _digest(value: str) -> str:
    # The cache never holds an address or an e-mail address in clear.
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]


def _identities(
    request: HttpRequest, account: Callable[[HttpRequest], str] | None
) -> dict[str, str]:
    found = {}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        found["user"] = str(user.pk)
    if address := client_ip(request):
        found["address"] = _digest(address)
    if account is not None and (asked := account(request)):
        found["account"] = _digest(asked)
    return found


def _hit(key: str, seconds: int) -> int:
    """Add one to a window's counter and return it (created on first use)."""
    cache.add(key, 0, timeout=seconds + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        return 1


def check(
    request: HttpRequest,
    scope: str,
    *,
    account: Callable[[HttpRequest], str] | None = None,
) -> Exceeded | None:
    """Count this request in every limit of `scope`; the first one exceeded, if any.

    A cache outage lets requests through (logged): limits protect the service,
    they must not take it down.
    """
    now = time.time()
    identities = _identities(request, account)
    exceeded = None
    for kind, (count, seconds) in limits_for(scope).items():
        if kind not in identities:
            continue
        window = int(now // seconds)
        key = f"ratelimit:{scope}:{kind}:{identities[kind]}:{window}"
        try:
            used = _hit(key, seconds)
        except Exception as error:
            logger.warning("Rate limit %s not counted: %s", scope, type(error).__name__)
            return None
        if used > count and exceeded is None:
            retry_after = max(1, math.ceil((window + 1) * seconds - now))
            exceeded = Exceeded(scope, kind, retry_after)
    return exceeded


def too_many_requests(request: HttpRequest, exceeded: Exceeded) -> HttpResponse:
    """429 with Retry-After; htmx gets the message in #flash and keeps its page."""
    if request.headers.get("HX-Request") == "true":
        body = loader.render_to_string(
            "errors/flash.html", {"message": exceeded.message}
        )
        response = HttpResponse(body, status=429)
        response["HX-Reswap"] = "none"
    else:
        response = render(
            request, "429.html", {"message": exceeded.message}, status=429
        )
    response["Retry-After"] = str(exceeded.retry_after)
    add_never_cache_headers(response)
    logger.info("Rate limited: %s per %s", exceeded.scope, exceeded.kind)
    return response


def rate_limited(
    scope: str,
    *,
    methods: tuple[str, ...] = ("GET", "POST"),
    account: Callable[[HttpRequest], str] | None = None,
) -> Callable:
    """Decorate a view (inside login_required, so the user is known)."""
    if scope not in LIMITS:
        raise ValueError(f"unknown rate-limit scope {scope!r}")

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object):
            if request.method in methods:
                exceeded = check(request, scope, account=account)
                if exceeded is not None:
                    return too_many_requests(request, exceeded)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def reset_email(request: HttpRequest) -> str:
    """The account a password reset asks for: its e-mail address, normalised."""
    return request.POST.get("email", "").strip().lower()
