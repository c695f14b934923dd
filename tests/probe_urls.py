"""The project's URLs plus probe views that fail on purpose (tests only).

Used with settings.ROOT_URLCONF = "tests.probe_urls" to see 409, 500 and 503
responses go through the real middleware.
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from genai_prep.urls import handler400, handler500
from genai_prep.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler500", "urlpatterns"]


PAGE = Template(
    """{% extends "base.html" %}{% block main %}
<section class="panel"><h1>Probe</h1>
<p class="actions">
<button class="button" hx-get="/_probe/503/" hx-target="#out">Outage</button>
<button class="button" hx-get="/_probe/409/" hx-target="#out">Conflict</button>
<button class="button" hx-get="/_probe/500/" hx-target="#out">Bug</button>
<button class="button" hx-get="/_probe/empty-409/" hx-target="#out">Silent</button>
<button class="button" hx-get="/_probe/429/" hx-target="#out">Throttled</button>
</p><div id="out">Nothing yet.</div></section>{% endblock main %}"""
)


def page(request: HttpRequest) -> HttpResponse:
    """A page whose buttons make htmx requests that fail in each way."""
    return HttpResponse(PAGE.render(RequestContext(request)))


def empty_conflict(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=409)


def conflict(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        '<p class="error">This card was already graded.</p>', status=409
    )


def throttled(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        '<p class="error">Too many answers at once; wait a moment.</p>', status=429
    )


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("probe: an unexpected bug with a secret detail s3cr3t")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("probe: connection refused")


def connection_closed(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("probe: connection already closed")


urlpatterns = [
    path("_probe/page/", page),
    path("_probe/409/", conflict),
    path("_probe/empty-409/", empty_conflict),
    path("_probe/429/", throttled),
    path("_probe/500/", crash),
    path("_probe/503/", database_down),
    path("_probe/503-interface/", connection_closed),
    *project_urlpatterns,
]


class DatabaseDownMiddleware:
    """Fails before any view runs, as SessionMiddleware would in an outage."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/_probe/middleware-down/"):
            raise OperationalError("probe: server closed the connection")
        return self.get_response(request)
