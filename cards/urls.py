"""URLs of the learner-facing app, by domain (all in the `cards` namespace)."""

from django.urls import path

from cards.bank import views as bank
from cards.learner import views as learner
from cards.progress import views as progress
from cards.reminders import views as reminders
from cards.review import views as review

app_name = "cards"

# The order is the URLconf's enumeration order in the route-walking tests
# (tests/routes.py); tests/invariants/test_idor.py visits the changes page
# before grading.
urlpatterns: list = [
    # The question bank, as learners see it
    path(
        "questions/<int:question_id>/changes/",
        bank.question_changes,
        name="question_changes",
    ),
    path("deck.apkg", bank.anki_deck, name="anki_deck"),
    # Progress
    path("progress/", progress.progress, name="progress"),
    # The daily review
    path("review/", review.review, name="review"),
    path("review/<int:question_id>/answer/", review.reveal, name="reveal"),
    path("review/<int:question_id>/grade/", review.grade, name="grade"),
    path("review/undo/", review.undo, name="undo"),
    # The learner: settings and "Your data"
    path("settings/", learner.learner_settings, name="settings"),
    path("account/", learner.account, name="account"),
    path("account/export/", learner.export_data, name="account_export"),
    path("account/import/", learner.import_data, name="account_import"),
    path("account/delete/", learner.delete_account, name="account_delete"),
    # Reminders (issue 20)
    path("settings/reminders/", reminders.reminder_settings, name="reminders"),
    path(
        "settings/reminders/verify/",
        reminders.send_verification,
        name="reminders_send_verification",
    ),
    path("email/verify/<str:token>/", reminders.verify_email, name="reminders_verify"),
    path(
        "reminders/unsubscribe/<str:token>/",
        reminders.unsubscribe,
        name="reminders_unsubscribe",
    ),
]
