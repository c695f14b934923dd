"""The drill's pages (issue 16): choose, answer card by card, see how it went.

Plain forms and redirects (no htmx): each step is a page of its own, so it
works without JavaScript and the browser's focus starts on the new card.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from cards.bank import topic_choice
from cards.models import Question, profile_for
from cards.review import buttons, drill, queue, services
from cards.review.answer import Flow
from cards.review.conflicts import ReviewConflict
from cards.review.forms import GradeForm
from cards.scheduling.base import PASSING_GRADE
from cards.web.http import HtmxHttpRequest, login_required


def _session(request: HtmxHttpRequest) -> drill.Session | None:
    return drill.Session.load(request.session.get(drill.SESSION_KEY))


def _save(request: HtmxHttpRequest, session: drill.Session) -> None:
    request.session[drill.SESSION_KEY] = session.as_dict()


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def drill_start(request: HtmxHttpRequest) -> HttpResponse:
    """Choose a drill (GET, with the choice prefilled from the query) or start it."""
    topics = list(topic_choice.studied_topics(request.user))
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = drill.DrillForm(data, topics=topics)
    if request.method == "POST" and form.is_valid():
        topic = next((t for t in topics if t.slug == form.cleaned_data["topic"]), None)
        ids = drill.weakest(
            request.user,
            size=form.cleaned_data["size"],
            by=form.cleaned_data["by"],
            topic=topic,
        )
        if ids:
            _save(request, drill.Session(ids, topic=topic.name if topic else ""))
            return redirect("cards:drill_card")
        messages.info(
            request, "No started cards to drill there yet: review some first."
        )
        return redirect("cards:drill")
    status = 400 if request.method == "POST" else 200
    if request.method == "GET" and form.is_bound and not form.is_valid():
        form = drill.DrillForm(topics=topics)  # a stale link: start from defaults
    context = {"form": form, "session": _session(request)}
    return render(request, "cards/drill.html", context, status=status)


@require_safe
@login_required
def drill_card(request: HtmxHttpRequest) -> HttpResponse:
    session = _session(request)
    if session is None:
        return redirect("cards:drill")
    profile = profile_for(request.user)
    today = profile.study_day(timezone.now())
    while not session.is_done:
        question = Question.objects.filter(pk=session.current).first()
        try:
            card = queue.card_for(
                user=request.user, question=question, today=today, flow=Flow.DRILL
            )
            break
        except (ReviewConflict, AttributeError):
            session.at += 1  # retired or deleted since the drill began
            _save(request, session)
    context: dict = {"session": session, "step": "done"}
    if not session.is_done:
        context |= {
            "step": "answer" if request.GET.get("answer") == "1" else "prompt",
            "question": question,
            "card": card,
            "choices": buttons.choices(profile.grade_scale),
            "number": session.at + 1,
        }
    return render(request, "cards/drill_card.html", context)


@require_POST
@login_required
def drill_grade(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)  # as grade: 404 first
    session = _session(request)
    if session is None or session.current != question_id:
        messages.info(request, "That card is no longer in your drill.")
        return redirect("cards:drill_card" if session else "cards:drill")
    form = GradeForm(request.POST, scale=profile_for(request.user).grade_scale)
    if not form.is_valid():
        messages.error(request, "Choose one of the grade buttons.")
        return redirect(reverse("cards:drill_card") + "?answer=1")
    try:
        services.record_review(
            user=request.user,
            question=question,
            grade=form.cleaned_data["grade"],
            version=form.cleaned_data["version"],
            now=timezone.now(),
            flow=Flow.DRILL,
        )
    except ReviewConflict as conflict:
        messages.info(request, f"{conflict.message} The drill moved on.")
    else:
        session.failed += form.cleaned_data["grade"] < PASSING_GRADE
    session.at += 1
    _save(request, session)
    return redirect("cards:drill_card")
