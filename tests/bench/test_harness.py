"""The load harness's pure parts: reading actions from HTML, classifying them,
percentiles and the report's handling of endpoints that are not there yet."""

import pytest
from django.http import HttpResponse
from django.urls import include, path

from bench import html, report, stats
from bench.kinds import classify


def _view(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path(
        "",
        include(
            (
                [
                    path("review/", _view, name="review"),
                    path("review/<int:question_id>/answer/", _view, name="reveal"),
                    path("review/<int:question_id>/grade/", _view, name="grade"),
                    path("review/undo/", _view, name="undo"),
                    path("review/<int:question_id>/show/", _view, name="show"),
                    path("progress/", _view, name="progress"),
                ],
                "cards",
            )
        ),
    )
]

PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="/static/css/app.1.css"><link rel="icon" href="/static/i.svg">
<script src="/static/htmx.min.js" nonce="n"></script></head>
<body hx-headers='{"X-CSRFToken": "tok123"}'>
<section id="card">
  <button type="button" hx-get="/review/7/answer/?version=3" hx-target="#card">Show answer</button>
  <form method="post" action="/review/7/grade/" hx-post="/review/7/grade/" hx-target="#card">
    <input type="hidden" name="csrfmiddlewaretoken" value="formtok">
    <input type="hidden" name="version" value="3">
    <button name="grade" value="1">Again</button>
    <button name="grade" value="4" hx-vals='{"duration_ms": 900}'>Good</button>
  </form>
  <form method="post" action="../undo/"><button>Undo</button></form>
  <a href="/progress/">Progress</a>
</section></body></html>"""


def test_parse_finds_csrf_assets_and_one_action_per_grade_button():
    page = html.parse(PAGE, url="http://127.0.0.1:8000/review/x/")
    assert page.csrf_token == "tok123"
    assert page.assets == [
        "http://127.0.0.1:8000/static/css/app.1.css",
        "http://127.0.0.1:8000/static/i.svg",
        "http://127.0.0.1:8000/static/htmx.min.js",
    ]
    reveal, again, good, undo = page.actions
    assert (reveal.method, reveal.path, reveal.target) == (
        "GET",
        "/review/7/answer/",
        "card",
    )
    assert reveal.url.endswith("?version=3") and reveal.htmx
    assert again.fields == {
        "csrfmiddlewaretoken": "formtok",
        "version": "3",
        "grade": "1",
    }
    assert good.fields["grade"] == "4" and good.fields["duration_ms"] == "900"
    assert good.label == "Good" and good.htmx and good.method == "POST"
    assert (undo.path, undo.htmx) == ("/review/undo/", False)


def test_parse_reads_one_form_per_grade_and_hx_vals_buttons():
    fragment = """<div id="card">
      <form hx-post="/review/2/grade/"><input type="hidden" name="grade" value="5">
        <input type="hidden" name="version" value="0"><button>Easy</button></form>
      <button hx-post="/review/2/grade/" hx-vals='{"grade": 3, "version": 0}'>Hard</button>
    </div>"""
    actions = html.parse(fragment, url="http://h/review/").actions
    assert sorted(a.fields["grade"] for a in actions) == ["3", "5"]
    assert all(a.method == "POST" and a.path == "/review/2/grade/" for a in actions)


@pytest.mark.urls(__name__)
def test_classify_by_url_name_then_by_shape():
    page = html.parse(PAGE, url="http://h/review/x/")
    assert [classify(a) for a in page.actions] == ["reveal", "grade", "grade", "undo"]
    other = html.Action(method="GET", url="/review/7/show/", fields={}, htmx=True)
    assert classify(other) == "reveal"  # a differently named reveal view
    assert classify(html.Action("GET", "/progress/", {}, htmx=True)) is None
    assert classify(html.Action("GET", "/nowhere/", {}, htmx=True)) is None


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert stats.percentile(values, 50) == 50
    assert stats.percentile(values, 95) == 95
    assert stats.percentile(values, 99) == 99
    assert stats.percentile([7.0], 99) == 7.0
    assert stats.percentile([], 50) is None


def test_report_marks_missing_endpoints_and_checks_no_budget_for_them():
    floor = {"ok": 10, "p50_ms": 2.0, "p95_ms": 3.0, "p99_ms": 4.0}
    floor |= {"per_second": 500.0, "queries_mean": 1.0}
    results = {
        "scales": {
            "S": {
                "missing": ["/review/ (cards:review)", "/progress/ (cards:progress)"],
                "endpoints": {report.FLOOR: floor},
            }
        }
    }
    header, body = report.rows(results)
    by_label = {row[0]: row for row in body}
    assert by_label[report.FLOOR][1:3] == ["2.00", "3.00"]
    for label in ("review page", "reveal", "grade", "progress (1 learner)"):
        assert by_label[label][1] == "endpoint missing"
    verdicts = {name: verdict for name, _, verdict in report.budgets(results)}
    assert set(verdicts.values()) == {"n/a (endpoint missing)"}
