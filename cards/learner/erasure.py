"""Deleting an account: every row that names the person goes, in every table.

Our own tables follow the user through their foreign keys (CASCADE, or
SET_NULL where the row is the bank's: a question revision keeps its text and
loses its editor). The rest names the person by value and is removed here:
django-axes's login records (by username, and anonymous attempts from the
addresses the person signed in from), the admin's log of changes to the
account, and the person's sessions on other devices.
"""

from __future__ import annotations

from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cards.learner.models import DataImport

AXES_MODELS = (AccessAttempt, AccessFailureLog, AccessLog)


def _forget_logins(username: str) -> None:
    addresses = set(
        AccessLog.objects.filter(username=username)
        .exclude(ip_address=None)
        .values_list("ip_address", flat=True)
    )
    # Attempts that name no account, from the person's own addresses, are
    # theirs too. Attempts from those addresses that name another account are
    # that account's protection (a shared address cannot tell who typed) and
    # stay until axes expires them.
    anonymous = Q(username=None) | Q(username="")
    for model in AXES_MODELS:
        model.objects.filter(
            Q(username=username) | anonymous & Q(ip_address__in=addresses)
        ).delete()


def _forget_sessions(user_id: object) -> None:
    # Sessions are signed blobs: decoding each is the only way to find the
    # person's other devices. Expired ones are removed along the way.
    now, doomed = timezone.now(), []
    for session in Session.objects.iterator(chunk_size=2_000):
        if session.expire_date <= now or session.get_decoded().get(
            "_auth_user_id"
        ) == str(user_id):
            doomed.append(session.pk)
    Session.objects.filter(pk__in=doomed).delete()
    # The cached copies too (cached_db reads the cache first).
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for key in doomed:
        store.delete(key)


@transaction.atomic
def delete_person(*, user: AbstractBaseUser) -> None:
    """Delete `user` and every row that names them (see the module docstring)."""
    # A worker importing their file holds its DataImport row, then the user's:
    # locking in that order waits for the import to commit (or roll back), so
    # the deletion below finds every row it wrote and a job not yet run finds
    # its row gone.
    list(DataImport.objects.select_for_update().filter(user=user))
    user_type = ContentType.objects.get_for_model(user)
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).delete()
    _forget_logins(user.get_username())
    _forget_sessions(user.pk)
    user.delete()
