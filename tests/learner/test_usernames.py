"""Usernames that differ only by a Unicode confusable are refused at sign-up."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cards.learner import services
from tests.factories import make_user

PASSWORD = "a-long-enough-passphrase-1"
CYRILLIC_A = "\u0430"


def _sign_up(client, username: str):
    return client.post(
        reverse("signup"),
        {"username": username, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_skeleton_follows_unicode_tr39():
    from cards.learner.usernames import skeleton, username_key

    assert skeleton(f"p{CYRILLIC_A}ypal") == skeleton("paypal") == "paypal"
    assert skeleton("rn") == skeleton("m")
    assert username_key("AIice") == username_key("alice")  # capital I, small L
    assert username_key("alice") != username_key("alicia")


@pytest.mark.parametrize(
    "lookalike",
    [f"{CYRILLIC_A}lice", "AIice", "\u0430lic\u0435", "ali\u0441e"],
)
def test_sign_up_refuses_a_confusable_of_an_existing_username(client, db, lookalike):
    alice = make_user(username="alice")  # made without the sign-up service
    assert _sign_up(client, "alice2").status_code == 302
    client.logout()

    r = _sign_up(client, lookalike)

    assert r.status_code == 200
    assert "looks too much like an existing username" in r.text
    assert not get_user_model().objects.filter(username=lookalike).exists()
    assert get_user_model().objects.exclude(pk=alice.pk).count() == 1


def test_sign_up_refuses_a_confusable_of_a_signed_up_username(client, db):
    services.sign_up(username="paypal", email="", password=PASSWORD)
    r = _sign_up(client, f"p{CYRILLIC_A}ypal")
    assert r.status_code == 200
    assert "looks too much like an existing username" in r.text


def test_the_service_refuses_it_too(db):
    services.sign_up(username="morgan", email="", password=PASSWORD)
    with pytest.raises(services.UsernameTaken):
        services.sign_up(username="rnorgan", email="", password=PASSWORD)
    assert get_user_model().objects.count() == 1


def test_distinct_usernames_are_still_accepted(client, db):
    make_user(username="alice")
    assert _sign_up(client, "alicia").status_code == 302


def test_a_renamed_account_frees_its_old_look_alikes(client, db):
    renamed = services.sign_up(username="carol", email="", password=PASSWORD)
    renamed.username = "caroline"
    renamed.save()
    assert _sign_up(client, "car\u043el").status_code == 302  # Cyrillic o
    client.logout()
    assert "looks too much like" in _sign_up(client, "caroIine").text
