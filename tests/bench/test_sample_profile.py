"""Where a sampled worker stack falls (bench/sample_profile.layer_of)."""

from bench.sample_profile import layer_of

WSGI = [
    "SyncWorker.handle_request (gunicorn/workers/sync.py:184)",
    "WSGIHandler.__call__ (django/core/handlers/wsgi.py:129)",
    "RequestIdMiddleware.__call__ (cards/ops/logs.py:75)",
]
VIEW = [*WSGI, "BaseHandler._get_response (django/core/handlers/base.py:197)"]


def test_samples_under_the_view_are_the_views_even_below_our_middleware():
    assert layer_of([*VIEW, "grade (cards/review/views.py:361)"]) == "view: Python"
    sql = [*VIEW, "read (cards/review/grade_sql.py:84)", "wait (psycopg/conn.py:1)"]
    assert layer_of(sql) == "view: SQL (psycopg)"
    page = [*VIEW, "_render (cards/review/views.py:154)"]
    assert layer_of([*page, "Template.render (django/template/base.py:1)"]) == (
        "view: template render"
    )


def test_samples_outside_the_view_name_the_innermost_layer():
    log = [*WSGI, "Logger.info (logging/__init__.py:1)"]
    assert layer_of(log) == "middleware: access log"
    session = [*WSGI, "SessionStore.load (django/contrib/sessions/x.py:1)"]
    assert layer_of(session) == "middleware: sessions (file cache)"
    assert layer_of(WSGI[:2]) == "Django handler (WSGI, response)"
    parse = [WSGI[0], "Request.parse (gunicorn/http/message.py:1)"]
    assert layer_of(parse) == "gunicorn: reading and parsing the request"
    assert layer_of(["_feed (bench/html.py:1)"]) == "client: HTML scan"
