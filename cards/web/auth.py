"""The signed-in user without a database query: cached against the session's
auth hash in the cache every worker shares (settings.SESSION_CACHE_ALIAS).

Django's AuthenticationMiddleware reads the user (and, through our backend,
the profile) on every request. Here the user is kept in the shared cache with
the auth hash it had when loaded; a request whose session carries that same
hash uses it. A password change gives the user a new hash, so other
sessions, holding the old one, miss and go through Django's own check, which
ends them. Every save or delete of a user or profile drops the entry, in any
worker, because the cache is shared.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import caches
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

# Bounds how long a change made behind the ORM's back (a queryset update)
# can go unseen; every save through the ORM is seen at once.
TIMEOUT = 300


def _cache():
    return caches[settings.SESSION_CACHE_ALIAS]


def cache_key(user_id: object) -> str:
    return f"auth-user:{user_id}"


def forget(user_id: object) -> None:
    """Drop the cached user: the next request loads it from the database."""
    _cache().delete(cache_key(user_id))


def get_user(request):
    session = request.session
    user_id = session.get(SESSION_KEY)
    session_hash = session.get(HASH_SESSION_KEY)
    backend = session.get(BACKEND_SESSION_KEY)
    if (
        user_id is None
        or not session_hash
        or backend not in settings.AUTHENTICATION_BACKENDS
    ):
        return auth.get_user(request)
    key = cache_key(user_id)
    cached = _cache().get(key)
    if cached is not None:
        known_hash, user = cached
        if constant_time_compare(known_hash, session_hash):
            user.backend = backend
            return user
    # Django's own path: loads the user, checks the hash, flushes on a mismatch.
    user = auth.get_user(request)
    if user.is_authenticated and str(user.pk) == str(user_id):
        _cache().set(key, (user.get_session_auth_hash(), user), TIMEOUT)
    return user


def _get_user(request):
    # Where Django's middleware keeps it: the request log reads it from there.
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class CachedUserAuthenticationMiddleware(AuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))


def _forget_owner(sender, instance, **kwargs) -> None:
    forget(getattr(instance, "user_id", None) or instance.pk)


def connect() -> None:
    """Drop a cached user whenever the user or its profile is saved or deleted.

    A receiver rather than calls in each service: every path that changes a
    user (admin, password change, settings, sign-up, erasure, management
    commands) goes through save() or delete(), and a forgotten call would
    serve stale settings or a deactivated account for TIMEOUT seconds.
    """
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from cards.models import LearnerProfile

    for model in (get_user_model(), LearnerProfile):
        post_save.connect(_forget_owner, sender=model, dispatch_uid=f"forget-{model}")
        post_delete.connect(
            _forget_owner, sender=model, dispatch_uid=f"forget-del-{model}"
        )
