"""HEAD answers like GET on every page, without a body (uptime monitors use it)."""

import pytest
from django.test import Client

from tests.factories import make_question, make_schedule, make_user
from tests.routes import all_routes

# Django's admin sends signed-in staff from its login page to the index only on
# GET (LoginView checks request.method == "GET"); HEAD still answers 200.
DJANGO_QUIRKS = {("staff", "/admin/login/")}


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["visitor", "learner", "staff"])
def test_head_answers_like_get_on_every_route(who):
    user = {
        "visitor": None,
        "learner": make_user(username="heady"),
        "staff": make_user(username="boss", is_superuser=True),
    }[who]
    if user:
        make_schedule(user=user, question=make_question())
    client = _client(user)
    differ = []
    for route in all_routes():
        if (who, route.path) in DJANGO_QUIRKS:
            continue
        head = client.head(route.path)
        get = client.get(route.path)
        same = (head.status_code, head.get("Content-Type")) == (
            get.status_code,
            get.get("Content-Type"),
        )
        body = b"".join(head.streaming_content) if head.streaming else head.content
        if not same or body:
            differ.append(
                f"{route.path}: HEAD {head.status_code}, GET {get.status_code}"
            )
    assert differ == []


def test_head_of_the_home_page_is_not_405(client, db):
    assert client.head("/").status_code == 200
