"""The bank's learner-facing pages: what changed in a question; the Anki deck."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from cards.bank import services, textdiff
from cards.models import ReviewSchedule
from cards.ops.ratelimit import rate_limited
from cards.web.http import HtmxHttpRequest, login_required


@require_GET
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


@require_GET
@login_required
@rate_limited("deck")
def anki_deck(request: HtmxHttpRequest) -> HttpResponse:
    export = services.export("apkg")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = 'attachment; filename="genai-prep.apkg"'
    return response
