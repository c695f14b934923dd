"""The bank's learner-facing pages: browse and search, what changed in a
question, the Anki deck."""

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import condition, require_safe

from cards.bank import browse as bank_browse
from cards.bank import deck, revisions, textdiff, topic_choice
from cards.models import ReviewSchedule, profile_for
from cards.ops.ratelimit import rate_limited
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
    now = (question.prompt, question.answer)
    history = list(question.revisions.order_by("created_at", "id"))
    seen = revisions.seen_text(
        history,
        last_answered=schedule.last_reviewed_at,
        unseen=schedule.unseen_change,
        now=now,
    )
    rewrites = [r for r in history if r.is_substantial]
    answered = schedule.last_reviewed_at
    since = [r for r in rewrites if answered is None or r.created_at > answered]
    revision, old = None, now
    if schedule.has_unseen_change and seen != now:
        # Everything since what this learner last saw.
        revision, old, view = schedule.unseen_change, seen, "since_seen"
    elif since and (schedule.has_unseen_change or answered is not None):
        revision, view = since[-1], "undone"  # rewritten, then changed back
    elif rewrites:
        revision = rewrites[-1]
        old, now = (
            (revision.old_prompt, revision.old_answer),
            (
                revision.new_prompt,
                revision.new_answer,
            ),
        )
        view = "last_rewrite"
    else:
        view = "never"
    context = {
        "question": question,
        "revision": revision,
        "schedule": schedule,
        "view": view,
        "prompt_rows": (
            textdiff.diff_lines(old[0], now[0]) if old[0] != now[0] else []
        ),
        "answer_rows": (
            textdiff.diff_lines(old[1], now[1]) if old[1] != now[1] else []
        ),
    }
    return render(request, "cards/question_changes.html", context)


def _deck_etag(request: HtmxHttpRequest) -> str:
    # Computed once per request: `condition` asks first, the view reads it.
    request.deck_version = deck.bank_version()
    return request.deck_version


@require_safe
@login_required
@condition(etag_func=_deck_etag)
@rate_limited("deck")
def anki_deck(request: HtmxHttpRequest) -> HttpResponse:
    return FileResponse(
        deck.open_deck(request.deck_version),
        as_attachment=True,
        filename="genai-prep.apkg",
        content_type="application/apkg",
    )


@require_safe
@login_required
def browse(request: HtmxHttpRequest) -> HttpResponse:
    """The bank as this learner may see it, filtered, searched and paged."""
    topics, hidden_topics = topic_choice.browse_topics(request.user)
    form = bank_browse.BrowseForm(request.GET, topics=topics)
    context = {"form": form, "page": None, "rows": []}
    if not form.is_valid():
        return render(request, "cards/browse.html", context, status=400)
    data = form.cleaned_data
    today = profile_for(request.user).study_day(timezone.now())
    topic = next((t for t in topics if t.slug == data["topic"]), None)
    questions = bank_browse.search(
        request.user,
        today=today,
        hidden_topics=hidden_topics,
        topic=topic,
        level=data["level"],
        text=data["q"],
        state=data["state"],
        sort=data["sort"],
    )
    page = bank_browse.paginate(
        questions,
        data["page"],
        user=request.user,
        sort=data["sort"],
        is_search=bool(data["q"]),
    )
    rows = bank_browse.rows(page, topics=topics, today=today)
    context |= {
        "page": page,
        "rows": rows,
        "topic": topic,
        "found": bank_browse.found(page),
        "shown_cap": f"{bank_browse.COUNT_CAP:,}",
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "cards/browse.html#results", context)
    return render(request, "cards/browse.html", context)
