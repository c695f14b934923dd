"""URLs of the learner-facing app."""

from django.urls import path

from cards import views

app_name = "cards"

urlpatterns: list = [
    # Question bank (issue 5)
    path(
        "questions/<int:question_id>/changes/",
        views.question_changes,
        name="question_changes",
    ),
    path("deck.apkg", views.anki_deck, name="anki_deck"),
    # --- Progress page (issue 4)
    path("progress/", views.progress, name="progress"),
]
