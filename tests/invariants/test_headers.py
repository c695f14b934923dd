"""Security headers and cookies on every response (plan item 21, invariant I6).

Routes are enumerated from the URLconf, each requested as a visitor, a
learner and staff over HTTPS, plus responses provoked for each error status.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_question, make_schedule, make_user
from tests.routes import all_routes

HTTPS_SETTINGS = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "__Host-sessionid",
    "CSRF_COOKIE_NAME": "__Host-csrftoken",
}
CSP_MUST = [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
]
STATUSES = {200, 302, 400, 403, 404, 409, 429, 500, 503}


@pytest.fixture
def https(settings):
    for name, value in HTTPS_SETTINGS.items():
        setattr(settings, name, value)
    settings.ROOT_URLCONF = "tests.probe_urls"  # + views that answer 409/500/503
    return settings


def missing_headers(response, *, private: bool) -> list[str]:
    h = response.headers
    problems = []
    hsts = h.get("Strict-Transport-Security", "")
    if "max-age=31536000" not in hsts or "includeSubDomains" not in hsts:
        problems.append("HSTS")
    csp = h.get("Content-Security-Policy", "")
    problems += [f"CSP {d}" for d in CSP_MUST if d not in csp]
    for header, value in [
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]:
        if h.get(header) != value:
            problems.append(header)
    if private and "no-store" not in h.get("Cache-Control", ""):
        problems.append("Cache-Control no-store")
    return problems


def https_client(user=None, **kwargs) -> Client:
    client = Client(raise_request_exception=False, **kwargs)
    if user:
        client.force_login(user)
    return client


def provoked(learner, shown) -> list[tuple[str, object, bool]]:
    """One response for each status the plan names, through the full stack."""
    signed_in = https_client(learner)
    csrf_checked = https_client(learner, enforce_csrf_checks=True)
    bad_file = SimpleUploadedFile("x.json", b"not json")
    out = [
        (
            "400 import",
            signed_in.post("/account/import/", {"file": bad_file}, secure=True),
            True,
        ),
        ("403 csrf", csrf_checked.post("/account/import/", secure=True), True),
        ("404", signed_in.get("/no/such/page/", secure=True), True),
        ("405", signed_in.get("/accounts/logout/", secure=True), True),
        (  # a grade from a stale tab, through the real grade endpoint
            "409 grade",
            signed_in.post(
                reverse("cards:grade", args=[shown.question_id]),
                {"grade": "4", "version": str(shown.version - 1)},
                secure=True,
            ),
            True,
        ),
        ("500", signed_in.get("/_probe/500/", secure=True), True),
        ("503", signed_in.get("/_probe/503/", secure=True), True),
        (
            "503 htmx",
            signed_in.get("/_probe/503/", secure=True, HTTP_HX_REQUEST="true"),
            True,
        ),
    ]
    visitor = https_client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        locked = visitor.post(
            "/accounts/login/", {"username": "alice", "password": "no"}, secure=True
        )
    out.append(("429 lockout", locked, False))
    return out


def test_every_response_carries_the_security_headers(https, db, figure):
    learner = make_user(username="alice")
    staff = make_user(username="root", is_superuser=True)
    shown = make_schedule(user=learner, question=make_question())  # due
    responses = []
    routes = [r for r in all_routes() if not r.path.startswith("/_probe/")]
    clients = {}  # one per user, logged in afresh if a GET ends its session
    for route in routes:
        for user in (None, learner, staff):
            client = clients.get(user)
            if client is None or (
                user and client.session.get("_auth_user_id") != str(user.pk)
            ):
                client = clients[user] = https_client(user)
            response = client.get(route.path, secure=True)
            responses.append(
                (f"GET {route.path} as {user or 'visitor'}", response, bool(user))
            )
    responses += provoked(learner, shown)
    problems = [
        f"{label} -> {r.status_code}: {', '.join(missing)}"
        for label, r, private in responses
        if (missing := missing_headers(r, private=private))
    ]
    seen = {r.status_code for _, r, _ in responses}
    figure(
        21,
        f"{len(problems)} missing headers across {len(routes)} routes x "
        f"{len(seen)} status codes ({len(responses)} responses: "
        f"{', '.join(map(str, sorted(seen)))})",
    )
    assert problems == []
    assert seen >= STATUSES


def test_plain_http_is_redirected_to_https(https):
    response = https_client().get("/account/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/account/"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_cookies_are_host_prefixed_secure_and_lax(https, db):
    make_user(username="alice")
    client = https_client()
    client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    csrf = response.cookies["__Host-csrftoken"]
    for cookie in (session, csrf):
        assert cookie["secure"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
        assert cookie["domain"] == ""  # __Host-: no Domain attribute
    assert session["httponly"] is True


def test_the_header_check_spots_a_gap(https, db):
    response = https_client().get("/", secure=True)
    del response.headers["X-Frame-Options"]
    assert missing_headers(response, private=True) == [
        "X-Frame-Options",
        "Cache-Control no-store",
    ]
