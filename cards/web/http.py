"""The typed htmx request and an htmx-aware login_required, for every view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Django's login_required, but an htmx request redirects the whole page."""

    @wraps(view)
    def wrapper(request: HtmxHttpRequest, *args: object, **kwargs: object):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.htmx:
            page = request.htmx.current_url_abs_path or reverse("cards:review")
            return HttpResponseClientRedirect(redirect_to_login(page).url)
        return redirect_to_login(request.get_full_path())

    return wrapper
