from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "cards"
    verbose_name = "Question bank and reviews"

    def ready(self) -> None:
        from cards.web import auth

        auth.connect()
