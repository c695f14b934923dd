"""The verification email: a signed link that confirms the account's address."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from cards.reminders import digest, tokens


def send_verification(*, user_id: int) -> bool:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    token = tokens.verify_token(user_id=user.pk, email=user.email)
    context = {
        "user": user,
        "verify_url": digest.absolute(reverse("cards:reminders_verify", args=[token])),
        "days": tokens.VERIFY_MAX_AGE // 86_400,
    }
    EmailMultiAlternatives(
        subject="Confirm your email address · GenAI Prep",
        body=render_to_string("reminders/verify_email.txt", context),
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated"},
    ).send()
    return True
