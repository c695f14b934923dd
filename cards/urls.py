"""URLs of the learner-facing app, by domain (all in the `cards` namespace)."""

from django.urls import path

from cards.bank import views as bank
from cards.care import views as care
from cards.learner import theme
from cards.learner import views as learner
from cards.mock import views as mock
from cards.ops.ratelimit import rate_limited
from cards.planning import views as planning
from cards.progress import views as progress
from cards.reminders import views as reminders
from cards.review import drill_pages as drill
from cards.review import views as review

app_name = "cards"

# The order is the URLconf's enumeration order in the route-walking tests
# (tests/routes.py); tests/invariants/test_idor.py visits the changes page
# before grading.
urlpatterns: list = [
    # The question bank, as learners see it
    path("questions/", bank.browse, name="browse"),
    path(
        "questions/<int:question_id>/changes/",
        bank.question_changes,
        name="question_changes",
    ),
    path("deck.apkg", bank.anki_deck, name="anki_deck"),
    # A learner's own card: notes, suspend, reports (issue 16)
    path("questions/suspended/", care.suspended, name="suspended"),
    path("questions/<int:question_id>/mine/", care.my_card, name="my_card"),
    path("questions/<int:question_id>/suspend/", care.suspend, name="suspend"),
    path("questions/<int:question_id>/note/", care.save_note, name="card_note"),
    path("questions/<int:question_id>/report/", care.report, name="report"),
    # Progress
    path("progress/", progress.progress, name="progress"),
    # The daily review
    path("review/", review.review, name="review"),
    path("review/<int:question_id>/answer/", review.reveal, name="reveal"),
    path(
        "review/<int:question_id>/check/",
        rate_limited("answer_check", methods=("POST",))(review.check_typed),
        name="check",
    ),
    path("review/<int:question_id>/grade/", review.grade, name="grade"),
    path("review/undo/", review.undo, name="undo"),
    path("review/<int:question_id>/info/", review.card_info_page, name="card_info"),
    # Drill my weakest (issue 16)
    path("drill/", drill.drill_start, name="drill"),
    path("drill/card/", drill.drill_card, name="drill_card"),
    path("drill/<int:question_id>/grade/", drill.drill_grade, name="drill_grade"),
    # The interview plan, breaks and backlogs
    path("plan/", planning.plan_page, name="plan"),
    path("plan/interview/", planning.set_interview, name="plan_interview"),
    path("plan/interview/clear/", planning.clear_interview, name="plan_clear"),
    path("plan/breaks/", planning.add_break, name="plan_break"),
    path(
        "plan/breaks/<int:break_id>/cancel/",
        planning.cancel_break,
        name="plan_break_cancel",
    ),
    path("plan/backlog/", planning.spread_backlog, name="plan_backlog"),
    # Mock interviews (issue 18)
    path("mock/", mock.mock_home, name="mock"),
    path("mock/start/", mock.mock_start, name="mock_start"),
    path("mock/<int:mock_id>/", mock.mock_run, name="mock_run"),
    path("mock/<int:mock_id>/draft/", mock.mock_draft, name="mock_draft"),
    path("mock/<int:mock_id>/answer/", mock.mock_answer, name="mock_answer"),
    path("mock/<int:mock_id>/debrief/", mock.mock_debrief, name="mock_debrief"),
    path(
        "mock/<int:mock_id>/answers/<int:answer_id>/confirm/",
        mock.mock_confirm,
        name="mock_confirm",
    ),
    path(
        "mock/<int:mock_id>/answers/<int:answer_id>/undo/",
        mock.mock_undo,
        name="mock_undo",
    ),
    path("mock/<int:mock_id>/soon/", mock.mock_soon, name="mock_soon"),
    # The learner: settings and "Your data"
    path("settings/", learner.learner_settings, name="settings"),
    path("settings/scheduler/", learner.scheduler_settings, name="scheduler_settings"),
    path("settings/topics/", learner.topic_settings, name="topic_settings"),
    path("settings/workload/", learner.workload_estimate, name="workload"),
    path("account/", learner.account, name="account"),
    path("account/export/", learner.export_data, name="account_export"),
    path("account/import/", learner.import_data, name="account_import"),
    path(
        "account/import/<int:import_id>/",
        learner.import_status,
        name="account_import_status",
    ),
    path(
        "account/import/<int:import_id>/cancel/",
        learner.import_cancel,
        name="account_import_cancel",
    ),
    path("account/delete/", learner.delete_account, name="account_delete"),
    # The light/dark switch in every page's header
    path("theme/", theme.set_theme, name="theme"),
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
