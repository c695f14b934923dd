"""Signed links of reminder mail: email verification and one-click unsubscribe."""

from __future__ import annotations

from django.core import signing

VERIFY_SALT = "cards.reminders.verify-email"
UNSUBSCRIBE_SALT = "cards.reminders.unsubscribe"
VERIFY_MAX_AGE = 60 * 60 * 24 * 3  # three days


def verify_token(*, user_id: int, email: str) -> str:
    return signing.dumps({"u": user_id, "e": email.lower()}, salt=VERIFY_SALT)


def read_verify_token(token: str) -> tuple[int, str] | None:
    """(user id, email) of a valid, unexpired verification token, else None."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
        return int(data["u"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_token(*, user_id: int) -> str:
    # No expiry: the link in any old digest keeps working (RFC 8058).
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
