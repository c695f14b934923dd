"""The dashboard and the daily review: show a card, reveal it, grade it, undo.

Every htmx request has a plain-HTML twin: a POST without htmx redirects (PRG).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from cards.bank import browse as bank_browse
from cards.care import reads as care_reads
from cards.learner.choices import Confidence
from cards.models import (
    Level,
    Question,
    ReminderSettings,
    ReviewSchedule,
    SchedulerChoice,
    profile_for,
)
from cards.planning import dashboard as planning_dashboard
from cards.planning import services as planning
from cards.review import announce, card_info, queue, queue_next, services, typed
from cards.review import back as card_back
from cards.review.conflicts import Reason, ReviewConflict
from cards.review.forms import (
    CheckForm,
    GradeForm,
    LevelsForm,
    RevealForm,
    ReviewPageForm,
    UndoForm,
    first_error,
)
from cards.web import reversing
from cards.web.http import HtmxHttpRequest, login_required

# Refusals with a status of their own; every other reason is a 409.
STATUS = {Reason.ALREADY_UNDONE: 404}
UNDONE = "Answer taken back. Answer it again when ready."


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(
            request,
            "cards/landing.html",
            {"questions": Question.objects.active().count()},
        )
    snapshot = planned_snapshot(
        user=request.user, profile=profile_for(request.user), now=timezone.now()
    )
    profile = profile_for(request.user)
    context = {
        **planning_dashboard.home_context(
            request.user,
            profile,
            timezone.now(),
            plan_on=snapshot.plan_on,
            due=snapshot.due,
        ),
        "queue": snapshot,
        "due": snapshot.redrills + snapshot.reviews_left,
        "new": snapshot.new_left,
        "reminders_on": ReminderSettings.objects.filter(
            user=request.user, is_enabled=True
        ).exists(),
        "level_links": [
            (label, f"{reverse('cards:review')}?level={value}")
            for value, label in Level.choices
        ],
    }
    return render(request, "cards/home.html", context)


def review_url(levels: tuple[int, ...] = (), **extra: object) -> str:
    query = urlencode([("level", level) for level in levels] + list(extra.items()))
    url = reversing.reverse_ids("cards:review")  # every card's: reversed once
    return url + (f"?{query}" if query else "")


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _level_names(levels: tuple[int, ...]) -> str:
    # Empty when every level is in the session, else e.g. "Basic and Advanced".
    if len(levels) == len(Level):
        return ""
    return " and ".join(Level(level).label for level in levels)


def _render(
    request: HtmxHttpRequest,
    snapshot: queue.Queue,
    *,
    card: queue.Card | None = None,
    revealed: card_back.Revealed | None = None,
    shown_at: int | None = None,
    notice: str = "",
    announcement: str = "",
    status: int = 200,
    confidence: int | None = None,
) -> HttpResponse:
    """The review screen, or only its #card partial for htmx."""
    card = card or snapshot.card
    names = _level_names(snapshot.levels)
    shown_at = shown_at or _millis(timezone.now())
    profile, today = profile_for(request.user), snapshot.today
    shown = card is None or revealed is not None or profile.type_answer_first
    back = None if shown else card_back.back(card, profile, today, snapshot.has_plan)
    context = {
        "announcement": announcement,
        "queue": snapshot,
        "card": card,
        "revealed": revealed,
        "back": back,
        "shown_at": shown_at,
        "notice": notice,
        "level_names": names,
        "levels_label": f"Only {names}" if names else "All levels",
        "level_choices": Level.choices,
        # Only the finished screen links these (a reverse each, per card).
        "all_levels_url": review_url() if card is None else "",
        "settings_url": reverse("cards:settings") if card is None else "",
        "is_fsrs": profile.scheduler == SchedulerChoice.FSRS,
        "type_first": profile.type_answer_first,
        # Issue 18: rated before the reveal, carried to the grade.
        "rate_confidence": profile.rate_confidence,
        "confidence": confidence,
        "confidence_choices": Confidence.choices,
        "max_typed": f"{typed.MAX_TYPED_CHARS:,}",
        "skip_url": (
            _skip_url(card, snapshot.levels, shown_at)
            if card and profile.type_answer_first
            else ""
        ),
        "care_next": review_url(snapshot.levels),
    }
    template = "cards/review.html#card" if request.htmx else "cards/review.html"
    return render(request, template, context, status=status)


def _skip_url(card: queue.Card, levels: tuple[int, ...], shown_at: int) -> str:
    """The plain reveal, for a learner who skips typing an answer."""
    query = [("version", card.version), ("shown_at", shown_at)]
    query += [("level", level) for level in levels]
    return reverse("cards:reveal", args=[card.question_id]) + "?" + urlencode(query)


def _snapshot(request: HtmxHttpRequest, levels: tuple[int, ...]) -> queue.Queue:
    return planned_snapshot(
        user=request.user,
        profile=profile_for(request.user),
        now=timezone.now(),
        levels=levels,
    )


def planned_snapshot(*, user, profile, now: datetime, levels=()) -> queue.Queue:
    """The queue, after making today's interview plan if it is not made yet
    (once per study day: its pace, and the final window's cards brought in)."""
    snapshot = queue.snapshot(user=user, profile=profile, now=now, levels=levels)
    if snapshot.needs_plan:
        planning.prepare_day(user=user, now=now)
        snapshot = queue.snapshot(user=user, profile=profile, now=now, levels=levels)
    # A grade of the card it shows carries its counts over (queue_next).
    queue_next.remember(user.pk, snapshot)
    return snapshot


def _bad_request(request: HtmxHttpRequest, message: str) -> HttpResponse:
    """400: nothing was written; htmx shows the message in the flash area."""
    if request.htmx:
        response = render(
            request, "cards/review.html#flash", {"message": message}, status=400
        )
        return retarget(reswap(response, "outerHTML"), "#flash")
    levels = LevelsForm(request.GET)
    snapshot = _snapshot(request, levels.levels() if levels.is_valid() else ())
    return _render(request, snapshot, notice=message, status=400)


def _conflict(
    request: HtmxHttpRequest, conflict: ReviewConflict, levels: tuple[int, ...]
) -> HttpResponse:
    """The refusal's message (409: show it with the next card; 404: plain text)."""
    status = STATUS.get(conflict.reason, 409)
    if status == 404:
        return HttpResponse(
            conflict.message, status=404, content_type="text/plain; charset=utf-8"
        )
    snapshot = _snapshot(request, levels)
    return _render(request, snapshot, notice=conflict.message, status=status)


def _shown_card(
    request: HtmxHttpRequest,
    snapshot: queue.Queue,
    question: Question,
    version: int | None,
) -> tuple[queue.Card, dict]:
    """The card asked for, as `card_for` gives it; the queue's own head when it
    is that card at that version (its schedule and note came with the queue:
    no query), with what `card_back.revealed` then needs no query for."""
    head = snapshot.card
    if head is not None and head.question_id == question.pk and head.version == version:
        return head, {
            "has_plan": snapshot.has_plan,
            "care": card_back.queued_care(head),
        }
    card = queue.card_for(
        user=request.user, question=question, today=snapshot.today, version=version
    )
    return card, {}


def _card_or_none(
    request: HtmxHttpRequest, question_id: int, today
) -> queue.Card | None:
    """The card of `question_id` if it can be answered now, else None (the queue's)."""
    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        return None
    try:
        return queue.card_for(user=request.user, question=question, today=today)
    except ReviewConflict:
        return None


# A card shown from a cache (or the back button) would carry a stale version.
@never_cache
@vary_on_headers("HX-Request")
@require_safe
@login_required
def review(request: HtmxHttpRequest) -> HttpResponse:
    form = ReviewPageForm(request.GET)
    if not form.is_valid():
        return _bad_request(request, first_error(form))
    snapshot = _snapshot(request, form.levels())
    card = None
    if form.cleaned_data["card"] is not None:
        # After an undo without JavaScript: show the card that was taken back.
        card = _card_or_none(request, form.cleaned_data["card"], snapshot.today)
    return _render(request, snapshot, card=card)


@never_cache
@vary_on_headers("HX-Request")
@require_safe
@login_required
def reveal(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    form = RevealForm(request.GET)
    if not form.is_valid():
        return _bad_request(request, first_error(form))
    profile, levels = profile_for(request.user), form.levels()
    snapshot = _snapshot(request, levels)
    try:
        card, known = _shown_card(
            request, snapshot, question, form.cleaned_data["version"]
        )
    except ReviewConflict as conflict:
        return _conflict(request, conflict, levels)
    revealed = card_back.revealed(
        question.answer_html,
        card,
        scale=profile.grade_scale,
        profile=profile,
        today=snapshot.today,
        **known,
    )
    return _render(
        request,
        snapshot,
        card=card,
        revealed=revealed,
        shown_at=form.cleaned_data["shown_at"],
        confidence=form.cleaned_data["confidence"],
    )


# Checking writes nothing, so without htmx it answers the POST with the page
# itself (like a search form) rather than redirecting: the text would be lost.
@never_cache
@require_POST
@login_required
def check_typed(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    """Reveal the answer with the verdict on what the learner typed first."""
    question = get_object_or_404(Question, pk=question_id)
    form = CheckForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, first_error(form))
    profile, levels = profile_for(request.user), form.levels()
    snapshot = _snapshot(request, levels)
    try:
        card, known = _shown_card(
            request, snapshot, question, int(form.cleaned_data["version"])
        )
    except ReviewConflict as conflict:
        return _conflict(request, conflict, levels)
    text, shown, notice = form.cleaned_data["typed"], None, ""
    points = typed.points_of(question)
    if points:
        verdict = typed.check_answer(question, text, points)
        shown = typed.shown(text, verdict, scale=profile.grade_scale)
    else:
        notice = "This question has no key points yet: compare and grade yourself."
    revealed = card_back.revealed(
        question.answer_html,
        card,
        scale=profile.grade_scale,
        profile=profile,
        today=snapshot.today,
        verdict=shown,
        notice=notice,
        **known,
    )
    shown_at = form.cleaned_data["shown_at"]
    return _render(
        request,
        snapshot,
        card=card,
        revealed=revealed,
        shown_at=int(shown_at) if shown_at else None,
        confidence=form.cleaned_data["confidence"],
    )


@require_POST
@login_required
def grade(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    profile = profile_for(request.user)
    form = GradeForm(request.POST, scale=profile.grade_scale)
    if not form.is_valid():
        get_object_or_404(Question, pk=question_id)  # 404 before 400
        return _bad_request(request, first_error(form))
    now, levels = timezone.now(), form.levels()
    text, typed_answer = form.cleaned_data["typed"], None
    if text.strip():
        # Checked again here: the score kept is the server's, not the page's
        # (against the question the grade reads: no query of its own for it).
        def typed_answer(question: Question) -> services.TypedAnswer:
            return typed.typed_answer(text, typed.check_answer(question, text))

    try:
        # The question by id: the grade's own read brings it (issue 12).
        log = services.record_review(
            user=request.user,
            question=question_id,
            grade=form.cleaned_data["grade"],
            version=form.cleaned_data["version"],
            now=now,
            duration_ms=form.duration_ms(_millis(now)),
            typed=typed_answer,
            confidence=form.cleaned_data["confidence"],
        )
    except Question.DoesNotExist:
        raise Http404("No such question.") from None
    except ReviewConflict as conflict:
        return _conflict(request, conflict, levels)
    leech = care_reads.leech_notice(
        lapses_before=log.lapses_before, lapses_after=log.schedule.lapses
    )
    if not request.htmx:
        if leech:
            messages.info(request, leech)
        return redirect(review_url(levels))
    # The counts carried over from the card's own page, and only the next card
    # read; the whole snapshot when they cannot be (issue 12).
    snapshot = queue_next.after_grade(
        user=request.user, profile=profile, now=now, levels=levels, log=log
    )
    if snapshot is None:
        snapshot = planned_snapshot(
            user=request.user, profile=profile, now=now, levels=levels
        )
    else:
        queue_next.remember(request.user.pk, snapshot)
    return _render(
        request,
        snapshot,
        announcement=announce.after_grade(
            snapshot, level_names=_level_names(snapshot.levels)
        ),
        notice=leech,
    )


@require_POST
@login_required
def undo(request: HtmxHttpRequest) -> HttpResponse:
    form = UndoForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, first_error(form))
    levels = form.levels()
    try:
        question = services.undo_review(
            user=request.user, log_id=form.cleaned_data["log"], now=timezone.now()
        )
    except ReviewConflict as conflict:
        return _conflict(request, conflict, levels)
    if not request.htmx:
        messages.success(request, UNDONE)
        return redirect(review_url(levels, card=question.pk))
    snapshot = _snapshot(request, levels)
    card = _card_or_none(request, question.pk, snapshot.today)
    return _render(request, snapshot, card=card, notice=UNDONE)


@never_cache
@require_safe
@login_required
def card_info_page(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    # A question this learner may find in the bank (active, not in an opt-in
    # topic they did not choose), or one they have answered: their own
    # history stays theirs after an admin retires the question. question__pk
    # keeps an id beyond 64 bits out of the query (views.question_changes).
    schedule = (
        ReviewSchedule.objects.filter(user=request.user, question__pk=question_id)
        .select_related("question")
        .first()
    )
    if schedule is not None:
        question = schedule.question
    else:
        question = get_object_or_404(
            Question.objects.active().filter(bank_browse.visible_to(request.user)),
            pk=question_id,
        )
    context = card_info.context(
        schedule, question=question, user=request.user, now=timezone.now()
    )
    context.update(care=care_reads.for_card(request.user, question.pk))
    context.update(care_next=request.get_full_path())
    return render(request, "cards/card_info.html", context)
