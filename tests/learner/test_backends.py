"""The authentication backend that loads the learner's profile with the user."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from cards.learner.backends import ModelBackendWithProfile
from cards.models import profile_for
from tests.factories import PASSWORD


def test_get_user_loads_the_profile_in_the_same_query(user, django_assert_num_queries):
    with django_assert_num_queries(1):
        loaded = ModelBackendWithProfile().get_user(user.pk)
        assert profile_for(loaded).time_zone == "UTC"


def test_get_user_without_a_profile_gets_unsaved_defaults(
    db, django_assert_num_queries
):
    bare = get_user_model().objects.create_user(username="made-by-admin")
    with django_assert_num_queries(1):
        loaded = ModelBackendWithProfile().get_user(bare.pk)
        assert profile_for(loaded).pk is None


def test_inactive_or_unknown_users_are_not_loaded(user):
    user.is_active = False
    user.save()
    assert ModelBackendWithProfile().get_user(user.pk) is None
    assert ModelBackendWithProfile().get_user(10**9) is None


def test_password_login_uses_it(client, user):
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert (
        client.session["_auth_user_backend"]
        == "cards.learner.backends.ModelBackendWithProfile"
    )
