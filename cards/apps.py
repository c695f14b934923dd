from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _default_topics(sender, using="default", **kwargs) -> None:
    """After migrate (and after a test's flush): the pack's topics, when none exist.

    Like Django's content types, the topics are reference data that a flush
    empties; an admin's own edits stay, since nothing is added while any topic
    exists.
    """
    from django.db import connections

    from cards.bank.models import Topic
    from cards.bank.services import ensure_topics

    tables = connections[using].introspection.table_names()
    if Topic._meta.db_table in tables and not Topic.objects.using(using).exists():
        ensure_topics(using=using)


class CardsConfig(AppConfig):
    name = "cards"
    verbose_name = "Question bank and reviews"

    def ready(self) -> None:
        from cards.web import auth

        post_migrate.connect(_default_topics, sender=self)
        auth.connect()
