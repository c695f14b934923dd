"""CSRF on every POST endpoint and no writes on GET (plan item 16).

Endpoints are enumerated from the URLconf (tests/routes.py), so views added
later (grade, undo, settings) are covered without editing this file.
"""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.middleware.csrf import REASON_BAD_ORIGIN, REASON_NO_CSRF_COOKIE
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from tests.factories import make_question, make_schedule, make_user
from tests.routes import all_routes

TOKEN = "a" * 32
# RFC 8058 one-click unsubscribe: a mail client POSTs with no cookie or token,
# so the view cannot check CSRF. A signed token in the URL authorises it, and
# all it can do is turn reminder mail off (tests/reminders/test_views.py).
ONE_CLICK_UNSUBSCRIBE = "/reminders/unsubscribe/"
FAILURES: list[str] = []


def record_csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW for these tests: remembers why a request was refused."""
    from django.http import HttpResponseForbidden

    FAILURES.append(reason)
    return HttpResponseForbidden(reason)


@pytest.fixture
def staff(db, settings):
    settings.CSRF_FAILURE_VIEW = "tests.invariants.test_csrf.record_csrf_failure"
    FAILURES.clear()
    CLIENTS.clear()
    root = make_user(username="root", is_superuser=True)
    make_schedule(user=root, question=make_question())  # objects behind id 1
    return root


def client_for(user, *, token: bool) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    if token:
        client.cookies["csrftoken"] = TOKEN
    return client


CLIENTS: dict[tuple[int, bool], Client] = {}


def post(user, path, *, token: bool, **headers):
    FAILURES.clear()
    # One logged-in client per user and kind, until a request ends its session
    # (logout, a password change): then the next request logs in afresh.
    client = CLIENTS.get((user.pk, token))
    if client is None or client.session.get("_auth_user_id") != str(user.pk):
        client = CLIENTS[user.pk, token] = client_for(user, token=token)
    if token:
        client.cookies["csrftoken"] = TOKEN  # as sent, whatever a view set
    else:
        client.cookies.pop("csrftoken", None)
    extra = {"X-CSRFToken": TOKEN} if token else {}
    response = client.post(path, {}, headers=extra | headers)
    return response, list(FAILURES)


def test_no_view_is_csrf_exempt():
    exempt = [
        r.path
        for r in all_routes()
        if getattr(resolve(r.path).func, "csrf_exempt", False)
    ]
    assert exempt == ["/reminders/unsubscribe/x/"]  # RFC 8058, see above


def test_every_post_endpoint_refuses_tokenless_and_cross_origin(staff, figure):
    post_endpoints, accepted = [], []
    for route in all_routes():
        response, failures = post(staff, route.path, token=True)
        if response.status_code == 405:
            continue  # does not take POST at all
        if route.path.startswith(ONE_CLICK_UNSUBSCRIBE):
            continue
        post_endpoints.append(route.path)
        if failures:  # a valid token in the header (as htmx sends it) must pass
            pytest.fail(f"{route.path}: refused with a valid token: {failures}")
        response, failures = post(staff, route.path, token=False)
        if response.status_code != 403 or failures != [REASON_NO_CSRF_COOKIE]:
            accepted.append(f"{route.path} without token: {response.status_code}")
        response, failures = post(
            staff, route.path, token=True, Origin="https://evil.example"
        )
        if response.status_code != 403 or failures != [
            REASON_BAD_ORIGIN % "https://evil.example"
        ]:
            accepted.append(f"{route.path} cross-origin: {response.status_code}")
    figure(
        16,
        f"{len(accepted)} of {len(post_endpoints)} POST endpoints accept a token-less "
        "or cross-origin request",
    )
    assert accepted == []
    assert {"/accounts/login/", "/accounts/logout/", "/account/import/"} <= set(
        post_endpoints
    )


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


# Statements that cannot change a row count; anything else (INSERT, UPDATE,
# DELETE, a WITH that may hold one, raw SQL) makes the sweep count rows again.
READS = re.compile(r"\s*(SELECT|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)\b", re.I)


def test_no_get_changes_the_database(staff, figure):
    learner = make_user(username="learner")
    clients = {"anonymous": Client(), "learner": Client(), "staff": Client()}
    clients["learner"].force_login(learner)
    clients["staff"].force_login(staff)
    before = row_counts()
    requests = recounts = 0
    changed = []
    for route in all_routes():
        for who, client in clients.items():
            with CaptureQueriesContext(connection) as sent:
                client.get(route.path)
            requests += 1
            if all(READS.match(q["sql"]) for q in sent.captured_queries):
                continue  # only reads: no count can have changed
            recounts += 1
            now = row_counts()
            if now != before:
                changed.append(f"GET {route.path} as {who}")
                before = now
    figure(
        16,
        f"{len(changed)} of {requests:,} GETs changed a row count "
        f"({recounts} sent a statement other than a read and were recounted)",
    )
    assert changed == []
