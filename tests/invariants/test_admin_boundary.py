"""The admin/staff boundary (plan item 23)."""

import contextlib
import re
from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth.models import Permission
from django.test import Client

from cards import progress
from cards.models import ReviewLog, ReviewSchedule
from cards.review import services
from tests.factories import make_question, make_schedule, make_user
from tests.routes import all_routes

HTMX = {"HX-Request": "true"}
NOW = datetime(2026, 6, 15, 18, tzinfo=UTC)


def admin_routes():
    return [r for r in all_routes() if r.is_admin and r.path != "/admin/login/"]


def refused(response) -> bool:
    """Admin views send a non-staff user to the admin login (logout: to /admin/)."""
    if response.status_code == 405:
        return True
    to = response.get("Location", "")
    return response.status_code == 302 and (
        to.startswith("/admin/login/") or to == "/admin/"
    )


def test_no_admin_url_is_reachable_by_a_learner(db, figure):
    learner = make_user(username="learner")
    make_schedule(user=learner, question=make_question())
    client = Client()
    client.force_login(learner)
    reachable = []
    routes = admin_routes()
    for route in routes:
        for method in (client.get, client.post):
            response = method(route.path)
            if not refused(response):
                reachable.append(
                    f"{method.__name__.upper()} {route.path}: {response.status_code}"
                )
    figure(
        23,
        f"{len(reachable)} of {len(routes)} privileged URLs reachable by a normal user "
        "(GET and POST each)",
    )
    assert reachable == []


def test_staff_without_permissions_sees_nothing(db):
    staff = make_user(username="helper", is_staff=True)
    make_schedule(user=make_user(), question=make_question())
    client = Client()
    client.force_login(staff)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "permission to view or edit anything" in index.text
    model_pages = [
        r.path
        for r in admin_routes()
        if r.path.startswith(("/admin/cards/", "/admin/auth/", "/admin/axes/"))
    ]
    statuses = {path: client.get(path).status_code for path in model_pages}
    allowed = {p: s for p, s in statuses.items() if s not in (403, 404, 302)}
    assert allowed == {}
    assert statuses["/admin/cards/question/"] == 403


def test_staff_sees_only_what_they_are_granted(db):
    staff = make_user(username="editor", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_question"))
    question = make_question()
    make_schedule(user=make_user(), question=question)
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/cards/question/").status_code == 200
    assert client.get(f"/admin/cards/question/{question.pk}/change/").status_code == 200
    assert client.get(f"/admin/cards/question/{question.pk}/delete/").status_code == 403
    assert client.get("/admin/cards/reviewlog/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403


# Learners' progress never includes other learners' answers --------------------

_MASKS = [
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r"\b[A-Za-z0-9]{64}\b"), "CSRF"),  # masked CSRF tokens
]


def studied(user, questions, *, days: int, grade_of) -> None:
    """One answer a day for `days` days, cycling through `questions`."""
    start = NOW - timedelta(days=days)
    for day in range(days):
        question = questions[day % len(questions)]
        schedule = ReviewSchedule.objects.filter(user=user, question=question).first()
        with contextlib.suppress(services.ReviewConflict):  # not due: a day off
            services.record_review(
                user=user, question=question, grade=grade_of(day),
                version=schedule.version if schedule else 0,
                now=start + timedelta(days=day), duration_ms=1_000 + day,
            )  # fmt: skip


def progress_views(client) -> dict[str, str]:
    views = {
        f"{path} {query}{' htmx' if headers else ''}": client.get(
            path, query, headers=headers
        )
        for path, query, headers in [
            *[("/progress/", {"days": d}, {}) for d in progress.RANGES],
            *[("/progress/", {"days": d}, HTMX) for d in progress.RANGES],
            ("/", {}, {}),
        ]
    }
    assert all(r.status_code == 200 for r in views.values())
    texts = {}
    for name, response in views.items():
        text = response.text
        for pattern, repl in _MASKS:
            text = pattern.sub(repl, text)
        texts[name] = text
    return texts


@time_machine.travel(NOW, tick=False)
def test_progress_never_counts_other_learners_answers(db, figure):
    """B's progress and dashboard are the same with or without A's history."""
    bank = [make_question() for _ in range(12)]
    b = make_user(username="bruno")
    studied(b, bank[:6], days=120, grade_of=lambda d: (5, 4, 3, 1)[d % 4])
    client = Client()
    client.force_login(b)
    alone = progress_views(client)
    a = make_user(username="annika")
    # A studies the same questions and more, every day, failing often.
    studied(a, bank, days=200, grade_of=lambda d: (1, 2, 5)[d % 3])
    answers = ReviewLog.objects.filter(user=a).count()
    own = ReviewLog.objects.filter(user=b).count()
    with_a = progress_views(client)
    changed = [name for name in alone if alone[name] != with_a[name]]
    figure(
        23,
        f"{len(changed)} of {len(alone)} progress views of a learner changed by "
        f"another learner's {answers} answers",
    )
    assert answers > 100 and own > 20 and changed == []
