"""The bank's learner-facing pages: what changed in a question; the Anki deck."""

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import condition, require_safe

from cards.bank import deck, textdiff
from cards.models import ReviewSchedule
from cards.web.http import HtmxHttpRequest, login_required


@require_safe
@login_required
def question_changes(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    """The old and new text of a question this learner has studied."""
    schedule = get_object_or_404(
        ReviewSchedule.objects.select_related("question", "unseen_change"),
        user=request.user,
        # question__pk, not question_id: Django keeps an out-of-range integer
        # out of the query, but not through a foreign key (question_id=), and
        # SQLite raised OverflowError (a 500) for an id beyond 64 bits.
        question__pk=question_id,
    )
    question = schedule.question
    # Unseen: everything since the learner last answered; else the latest change.
    revision = (
        schedule.unseen_change or question.revisions.filter(is_substantial=True).first()
    )
    context = {"question": question, "revision": revision, "schedule": schedule}
    if revision is not None:
        context["prompt_rows"] = (
            textdiff.diff_lines(revision.old_prompt, question.prompt)
            if revision.old_prompt != question.prompt
            else []
        )
        context["answer_rows"] = textdiff.diff_lines(
            revision.old_answer, question.answer
        )
    return render(request, "cards/question_changes.html", context)


def _deck_etag(request: HtmxHttpRequest) -> str:
    # Computed once per request: `condition` asks first, the view reads it.
    request.deck_version = deck.bank_version()
    return request.deck_version


@require_safe
@login_required
@condition(etag_func=_deck_etag)
def anki_deck(request: HtmxHttpRequest) -> HttpResponse:
    return FileResponse(
        deck.open_deck(request.deck_version),
        as_attachment=True,
        filename="genai-prep.apkg",
        content_type="application/apkg",
    )
