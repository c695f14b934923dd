"""The benchmark's floors: what a request costs before any feature (DJANGO_BENCH=1)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cards.models import Question


@require_GET
def floor_plain(request: HttpRequest) -> HttpResponse:
    """Every middleware, no database, no template."""
    return HttpResponse(b"ok\n", content_type="text/plain")


@require_GET
def floor_query(request: HttpRequest) -> HttpResponse:
    """One primary-key lookup and a small template."""
    raw = request.GET.get("id", "1")
    pk = int(raw) if raw.isdigit() and len(raw) < 10 else 1
    question = Question.objects.filter(pk=pk).only("key", "level", "prompt").first()
    return render(request, "bench/floor.html", {"question": question})
