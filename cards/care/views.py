"""A learner's own card: the page, and its suspend, note and report actions.

The forms are partials of templates/care/my_card.html that the review's back
face and card info include. htmx swaps the note and report in place; without
htmx every POST redirects back (PRG). Suspending always reloads the page it
came from: on the review screen the card must leave.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from cards.care import reads, services
from cards.models import Question, Suspension
from cards.web.http import HtmxHttpRequest, login_required

SUSPENDED = (
    "Card suspended: it has left your queue. Your suspended cards are listed "
    "under Review, and each one's card info can unsuspend it."
)
UNSUSPENDED = "Card back in your queue, with its schedule."


def _next(request: HtmxHttpRequest, question_id: int) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and target.startswith("/"):
        return target
    return reverse("cards:my_card", args=[question_id])


def _context(request: HtmxHttpRequest, question: Question, **extra: object) -> dict:
    return {
        "question": question,
        "care": reads.for_card(request.user, question.pk),
        "care_next": extra.pop("care_next", request.get_full_path()),
        **extra,
    }


@never_cache
@require_safe
@login_required
def my_card(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    return render(request, "care/my_card.html", _context(request, question))


@never_cache
@require_safe
@login_required
def suspended(request: HtmxHttpRequest) -> HttpResponse:
    """The learner's suspended cards, newest first, each with its way back."""
    rows = (
        Suspension.objects.filter(user=request.user)
        .select_related("question")
        .order_by("-created_at", "-pk")
    )
    return render(request, "care/suspended.html", {"suspensions": rows})


@require_POST
@login_required
def suspend(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    action = request.POST.get("action")
    if action == "suspend":
        services.suspend_card(user=request.user, question=question, now=timezone.now())
        messages.success(request, SUSPENDED)
    elif action == "unsuspend":
        services.unsuspend_card(user=request.user, question=question)
        messages.success(request, UNSUSPENDED)
    else:
        return HttpResponse(
            "Choose suspend or unsuspend.", status=400, content_type="text/plain"
        )
    return redirect(_next(request, question_id))


def _form_response(
    request: HtmxHttpRequest,
    question: Question,
    *,
    kind: str,
    done: str,
    error: str,
) -> HttpResponse:
    """The partial (htmx), the page with the error (400), or a redirect (PRG)."""
    next_url = _next(request, question.pk)
    if request.htmx or error:
        context = _context(
            request,
            question,
            care_next=next_url,
            error=error,
            error_in=kind if error else "",
            status_text=done,
            reported=kind == "report" and not error,
        )
        template = f"care/my_card.html#{kind}_response" if request.htmx else ""
        return render(
            request,
            template or "care/my_card.html",
            context,
            status=400 if error else 200,
        )
    messages.success(request, done)
    return redirect(next_url)


@require_POST
@login_required
def save_note(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    error, done = "", ""
    try:
        note = services.save_note(
            user=request.user,
            question=question,
            text=request.POST.get("text", ""),
            now=timezone.now(),
        )
        done = "Note saved." if note else "Note deleted."
    except services.CareError as problem:
        error = str(problem)
    return _form_response(request, question, kind="note", done=done, error=error)


@require_POST
@login_required
def report(request: HtmxHttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    error, done = "", ""
    try:
        services.report_problem(
            user=request.user,
            question=question,
            note=request.POST.get("note", ""),
            now=timezone.now(),
        )
        done = "Thank you: the editors will look at this question."
    except services.CareError as problem:
        error = str(problem)
    return _form_response(request, question, kind="report", done=done, error=error)
