"""The benchmark's query-count middleware and floor views (routed by DJANGO_BENCH=1)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from bench import middleware, views
from cards.models import Question
from tests.factories import make_question


@pytest.fixture(autouse=True)
def bench_app(settings):
    """As DJANGO_BENCH=1 does: the harness is an app, so its template is found."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]


def test_query_count_middleware_reports_queries_and_timings(db):
    def view(request):
        list(Question.objects.all())
        Question.objects.count()
        return HttpResponse("ok")

    response = middleware.query_count(view)(RequestFactory().get("/"))
    assert response["X-Bench-Queries"] == "2"
    assert response["Server-Timing"].startswith("app;dur=")
    assert ", db;dur=" in response["Server-Timing"]


def test_plain_floor_runs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = views.floor_plain(RequestFactory().get("/bench/floor/plain/"))
    assert response.status_code == 200


def test_query_floor_runs_one_query_and_renders_the_question(
    db, django_assert_num_queries
):
    question = make_question(prompt="What is a transformer?")
    request = RequestFactory().get("/bench/floor/query/", {"id": question.pk})
    with django_assert_num_queries(1):
        response = views.floor_query(request)
    assert response.status_code == 200 and b"What is a transformer?" in response.content
    missing = views.floor_query(RequestFactory().get("/", {"id": "99999999"}))
    assert missing.status_code == 200 and b"No such question" in missing.content
    junk = views.floor_query(RequestFactory().get("/", {"id": "x" * 50}))
    assert junk.status_code == 200
