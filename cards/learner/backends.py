"""Authentication backend: Django's, loading the learner's settings with the user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ModelBackendWithProfile(ModelBackend):
    """Every request reads the learner's profile (time zone, limits, scale).

    Joining it into the per-request user lookup saves one query per request.
    """

    def get_user(self, user_id: object):  # type: ignore[override]
        user = (
            get_user_model()
            ._default_manager.select_related("profile")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
