"""The learner domain's table: usernames' confusable skeletons (issue 14).

Imported by cards/models.py, so that the app registry (one app label) finds it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class UsernameSkeleton(models.Model):
    """The TR39 skeleton of a username (cards/learner/usernames.py), to refuse
    look-alikes at sign-up with one indexed lookup."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="username_skeleton",
    )
    # The username it was computed from: a rename leaves the row stale, and a
    # stale row counts as missing (the check computes those users' keys).
    username = models.CharField(max_length=150)
    skeleton = models.CharField(max_length=600, unique=True)

    def __str__(self) -> str:
        return f"Skeleton of {self.username}"
