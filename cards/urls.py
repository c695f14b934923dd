"""URLs of the learner-facing app."""

from django.urls import path

from cards.bank import views
from cards.learner import views as account_views
from cards.review import views as review_views

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

# --- Review session and settings (issue 3) -----------------------------------
urlpatterns += [
    path("review/", review_views.review, name="review"),
    path("review/<int:question_id>/answer/", review_views.reveal, name="reveal"),
    path("review/<int:question_id>/grade/", review_views.grade, name="grade"),
    path("review/undo/", review_views.undo, name="undo"),
    path("settings/", review_views.learner_settings, name="settings"),
]

# --- The learner's own data (issue 6) ----------------------------------------
urlpatterns += [
    path("account/", account_views.account, name="account"),
    path("account/export/", account_views.export_data, name="account_export"),
    path("account/import/", account_views.import_data, name="account_import"),
    path("account/delete/", account_views.delete_account, name="account_delete"),
]
