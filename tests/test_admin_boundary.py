"""The admin/staff boundary (plan item 23)."""

from django.contrib.auth.models import Permission
from django.test import Client

from tests.factories import make_question, make_schedule, make_user
from tests.routes import all_routes


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
