"""Mock interview pages: setup and past mocks, the run, the debrief.

A POST without htmx redirects (PRG); with htmx it answers with the partial
that changed. Drafts are saved by static/js/mock.js (204, nothing to swap).
"""

from __future__ import annotations

from django.db.models import Avg, Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from cards.learner.choices import Confidence
from cards.mock import debrief, plan, services
from cards.mock.forms import ConfirmForm, DraftForm, HandInForm, SetupForm
from cards.mock.models import MockInterview
from cards.models import Level, profile_for
from cards.review import typed
from cards.review.conflicts import ReviewConflict
from cards.review.forms import first_error
from cards.web.http import HtmxHttpRequest, login_required


def _mock(request: HtmxHttpRequest, mock_id: int) -> MockInterview:
    return get_object_or_404(MockInterview, pk=mock_id, user=request.user)


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(
        message, status=status, content_type="text/plain; charset=utf-8"
    )


def home_context(request: HtmxHttpRequest, form: SetupForm) -> dict:
    mocks = (
        MockInterview.objects.filter(user=request.user)
        .annotate(avg=Avg("answers__score"), n=Count("answers"))
        .order_by("-started_at")[:50]
    )
    past = [
        debrief.Past(
            m, None if m.avg is None else round(m.avg * 100), m.n, m.started_at
        )
        for m in mocks
    ]
    chosen = form.data.getlist("level") if form.is_bound else []
    return {
        "form": form,
        "past": past,
        "chosen_levels": [int(v) for v in chosen if v.isdigit()],
        "chosen_topics": form.data.getlist("topic") if form.is_bound else [],
    }


@never_cache
@require_safe
@login_required
def mock_home(request: HtmxHttpRequest) -> HttpResponse:
    form = SetupForm(
        initial={"count": plan.DEFAULT_COUNT},
        topics=services.studied_topics(request.user),
    )
    return render(request, "mock/home.html", home_context(request, form))


@require_POST
@login_required
def mock_start(request: HtmxHttpRequest) -> HttpResponse:
    form = SetupForm(request.POST, topics=services.studied_topics(request.user))
    if form.is_valid():
        try:
            mock = services.start_mock(
                user=request.user,
                now=timezone.now(),
                count=form.cleaned_data["count"],
                levels=form.levels(),
                topics=form.topics(),
                seconds=form.cleaned_data["seconds"],
            )
        except services.MockConflict as conflict:
            form.add_error(None, str(conflict))
        else:
            return redirect("cards:mock_run", mock.pk)
    context = home_context(request, form)
    return render(request, "mock/home.html", context, status=400)


def _run_context(request: HtmxHttpRequest, mock: MockInterview, notice: str = ""):
    item = services.current(mock)
    now = timezone.now()
    return {
        "mock": mock,
        "item": item,
        "total": mock.answers.count(),
        "level": Level(item.question.level).label if item else "",
        "deadline_ms": debrief.millis(item.deadline) if item else None,
        "now_ms": debrief.millis(now),
        "saved_ms": debrief.millis(item.draft_saved_at) if item else None,
        "left": plan.seconds_left(now=now, deadline=item.deadline) if item else 0,
        "limit": plan.duration_text(item.time_limit_s * 1000) if item else "",
        "grace": int(plan.GRACE.total_seconds()),
        "rate_confidence": profile_for(request.user).rate_confidence,
        "confidence_choices": Confidence.choices,
        "max_typed": f"{typed.MAX_TYPED_CHARS:,}",
        "notice": notice,
    }


@never_cache
@vary_on_headers("HX-Request")
@require_safe
@login_required
def mock_run(request: HtmxHttpRequest, mock_id: int) -> HttpResponse:
    mock = _mock(request, mock_id)
    if mock.is_finished:
        return redirect("cards:mock_debrief", mock.pk)
    return render(request, "mock/run.html", _run_context(request, mock))


@require_POST
@login_required
def mock_draft(request: HtmxHttpRequest, mock_id: int) -> HttpResponse:
    mock = _mock(request, mock_id)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _text(first_error(form), 400)
    try:
        services.save_draft(
            mock=mock,
            answer_id=form.cleaned_data["answer"],
            text=form.cleaned_data["text"],
            now=timezone.now(),
        )
    except services.MockConflict as conflict:
        return _text(str(conflict), 409)
    return HttpResponse(status=204)


def _after(request: HtmxHttpRequest, mock: MockInterview, notice: str = "", status=200):
    mock.refresh_from_db()
    if mock.is_finished:
        if request.htmx:
            return HttpResponseClientRedirect(mock_url(mock))
        return redirect("cards:mock_debrief", mock.pk)
    if not request.htmx:
        return redirect("cards:mock_run", mock.pk)
    context = _run_context(request, mock, notice)
    return render(request, "mock/run.html#question", context, status=status)


def mock_url(mock: MockInterview) -> str:
    return reverse("cards:mock_debrief", args=[mock.pk])


@require_POST
@login_required
def mock_answer(request: HtmxHttpRequest, mock_id: int) -> HttpResponse:
    mock = _mock(request, mock_id)
    form = HandInForm(request.POST)
    if not form.is_valid():
        return _text(first_error(form), 400)
    try:
        services.hand_in(
            mock=mock,
            answer_id=form.cleaned_data["answer"],
            text=form.cleaned_data["text"],
            confidence=form.cleaned_data["confidence"],
            now=timezone.now(),
        )
    except services.MockConflict as conflict:
        return _after(request, mock, str(conflict), status=409)
    return _after(request, mock)


def _debrief_context(request: HtmxHttpRequest, mock: MockInterview) -> dict:
    scale = profile_for(request.user).grade_scale
    rows = list(
        mock.answers.select_related("question")
        .prefetch_related("question__topics")
        .order_by("position")
    )
    items = [debrief.item(r, scale=scale, is_weak=services.is_weak(r)) for r in rows]
    topics = {r.pk: [t.name for t in r.question.topics.all()] for r in rows}
    summary = debrief.summary(mock, items, topics)
    return {"mock": mock, "items": items, "summary": summary}


@never_cache
@require_safe
@login_required
def mock_debrief(request: HtmxHttpRequest, mock_id: int) -> HttpResponse:
    mock = _mock(request, mock_id)
    if not mock.is_finished:
        return redirect("cards:mock_run", mock.pk)
    return render(request, "mock/debrief.html", _debrief_context(request, mock))


def _debrief_change(request, mock, answer_id: int, message: str = "", status=200):
    """The changed item (and the summary, out of band) for htmx; else PRG."""
    if not request.htmx:
        return redirect(mock_url(mock) + f"#answer-{answer_id}")
    context = _debrief_context(request, mock)
    context["changed"] = next(
        (i for i in context["items"] if i.row.pk == answer_id), None
    )
    context["message"] = message
    return render(request, "mock/debrief.html#changed", context, status=status)


@require_POST
@login_required
def mock_confirm(
    request: HtmxHttpRequest, mock_id: int, answer_id: int
) -> HttpResponse:
    mock = _mock(request, mock_id)
    form = ConfirmForm(request.POST, scale=profile_for(request.user).grade_scale)
    if not form.is_valid():
        return _text(first_error(form), 400)
    try:
        services.confirm(
            user=request.user,
            mock=mock,
            answer_id=answer_id,
            grade=form.cleaned_data["grade"],
            now=timezone.now(),
        )
    except (services.MockConflict, ReviewConflict) as conflict:
        return _debrief_change(request, mock, answer_id, str(conflict), 409)
    return _debrief_change(request, mock, answer_id, "Grade confirmed and logged.")


@require_POST
@login_required
def mock_undo(request: HtmxHttpRequest, mock_id: int, answer_id: int) -> HttpResponse:
    mock = _mock(request, mock_id)
    try:
        services.undo_confirm(
            user=request.user, mock=mock, answer_id=answer_id, now=timezone.now()
        )
    except (services.MockConflict, ReviewConflict) as conflict:
        return _debrief_change(request, mock, answer_id, str(conflict), 409)
    return _debrief_change(request, mock, answer_id, "Confirmation undone.")


@require_POST
@login_required
def mock_soon(request: HtmxHttpRequest, mock_id: int) -> HttpResponse:
    mock = _mock(request, mock_id)
    try:
        services.review_soon(user=request.user, mock=mock, now=timezone.now())
    except services.MockConflict as conflict:
        return _text(str(conflict), 409)
    return redirect(mock_url(mock) + "#summary")
