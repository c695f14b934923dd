"""The light/dark switch: the learner's choice, stored per learner (a profile
field) or, before logging in, in a cookie; rendered on <html> by the server."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cards.learner import services
from cards.models import Theme, profile_for
from cards.web.http import HtmxHttpRequest

COOKIE = "theme"
COOKIE_AGE = 365 * 24 * 3600
LABELS = {Theme.LIGHT: "Light theme", Theme.DARK: "Dark theme"}


def chosen(request: HttpRequest) -> str:
    """The explicit choice ("light" or "dark"), or "" to follow the device."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        value = profile_for(user).theme
    else:
        value = request.COOKIES.get(COOKIE, "")
    return value if value in LABELS else ""


def context(request: HttpRequest) -> dict[str, str]:
    """Context processor: the theme on <html> and what the switch offers.

    Following the device, the server cannot know its scheme: the switch offers
    "Dark", and app.js relabels it from the device's scheme.
    """
    theme = chosen(request)
    offer = Theme.LIGHT if theme == Theme.DARK else Theme.DARK
    return {"theme": theme, "theme_offer": offer, "theme_offer_label": LABELS[offer]}


@require_POST
def set_theme(request: HtmxHttpRequest) -> HttpResponse:
    value = request.POST.get("theme", "")
    if value not in Theme.values:
        return HttpResponseBadRequest(
            "Choose light, dark or auto.", content_type="text/plain; charset=utf-8"
        )
    if request.user.is_authenticated:
        services.save_theme(user=request.user, theme=value)
    if request.htmx:
        response = HttpResponse(status=204)
    else:
        target = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
        response = redirect(target if safe else "home")
    # Also kept in a cookie: the pages before logging in (and after) match.
    response.set_cookie(
        COOKIE,
        value,
        max_age=COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
