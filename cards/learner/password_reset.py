"""Password reset through the job queue: the request never waits for SMTP.

The page enqueues one job for any address, known or not, and answers; the
worker looks the address up and sends Django's usual reset email. Both cases
cost the request the same one insert, so its timing tells nothing.
"""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest


class QueuedPasswordResetForm(PasswordResetForm):
    def save(self, *, request: HttpRequest | None = None, **options) -> None:
        from cards import tasks

        domain = options.get("domain_override") or (
            request.get_host() if request is not None else "localhost"
        )
        tasks.send_password_reset.enqueue(
            email=self.cleaned_data["email"],
            domain=domain,
            use_https=bool(options.get("use_https")),
        )


def send(*, email: str, domain: str, use_https: bool) -> int:
    """Send the reset email to each active account with `email` (in the worker)."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    count = sum(1 for _ in form.get_users(form.cleaned_data["email"]))
    form.save(domain_override=domain, use_https=use_https)
    return count
