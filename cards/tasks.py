"""Background jobs (django.tasks): each one is a thin call into a service.

The default backend is the database queue of django-tasks-db (a worker is
`manage.py db_worker`); see docs/REMINDERS.md for a broker-backed queue.
Arguments are JSON values: ids and strings, never model instances.
"""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone


@task
def send_reminders(*, delivery_ids: list[int]) -> dict[str, int]:
    from cards.reminders import services

    return services.deliver(delivery_ids=delivery_ids, now=timezone.now())


@task
def send_verification_email(*, user_id: int) -> bool:
    from cards.reminders import mail

    return mail.send_verification(user_id=user_id)


@task
def send_password_reset(*, email: str, domain: str, use_https: bool) -> int:
    from cards.learner import password_reset

    return password_reset.send(email=email, domain=domain, use_https=use_https)


@task
def run_daily_maintenance(*, on: str) -> dict[str, int | None]:
    from cards.ops import maintenance

    return maintenance.run_scheduled(on=on, now=timezone.now())


@task
def run_data_import(*, import_id: int) -> str:
    from cards.learner import imports

    return imports.run_import(import_id=import_id, now=timezone.now())
