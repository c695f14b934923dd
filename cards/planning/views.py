"""The plan's pages: the plan itself, and the forms that set it (PRG, no JavaScript needed)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cards.models import profile_for
from cards.planning import dashboard, services
from cards.planning.forms import BacklogForm, BreakForm, InterviewForm
from cards.web.http import HtmxHttpRequest, login_required

# Where a form came from, and so where it goes back to (never a free URL).
BACK = {"home": "home", "settings": "cards:settings", "plan": "cards:plan"}


def _back(request: HtmxHttpRequest) -> HttpResponse:
    return redirect(BACK.get(request.POST.get("back", ""), "cards:plan"))


def _page(request: HtmxHttpRequest, status: int = 200, **forms) -> HttpResponse:
    ctx = dashboard.context(
        request.user, profile_for(request.user), timezone.now(), **forms
    )
    return render(request, "cards/plan.html", ctx, status=status)


@require_GET
@login_required
def plan_page(request: HtmxHttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@login_required
def set_interview(request: HtmxHttpRequest) -> HttpResponse:
    form = InterviewForm(request.POST)
    if form.is_valid():
        try:
            row = services.set_interview(
                user=request.user,
                on=form.cleaned_data["interview_on"],
                levels=form.cleaned_data["levels"],
                minutes_per_day=form.cleaned_data["minutes_per_day"],
                now=timezone.now(),
            )
        except services.PlanError as error:
            form.add_error("interview_on", str(error))
        else:
            messages.success(
                request, f"Interview date set: {row.interview_on:%-d %B %Y}."
            )
            return _back(request)
    return _page(request, status=400, interview_form=form)


@require_POST
@login_required
def clear_interview(request: HtmxHttpRequest) -> HttpResponse:
    services.clear_interview(user=request.user)
    messages.success(
        request, "Interview date cleared: normal scheduling, nothing was lost."
    )
    return _back(request)


@require_POST
@login_required
def add_break(request: HtmxHttpRequest) -> HttpResponse:
    form = BreakForm(request.POST)
    if form.is_valid():
        try:
            away, moved = services.plan_break(
                user=request.user,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                now=timezone.now(),
            )
        except services.PlanError as error:
            form.add_error("starts_on", str(error))
        else:
            messages.success(
                request,
                f"Break planned from {away.starts_on:%-d %b} to {away.ends_on:%-d %b}: "
                f"{moved} card{'' if moved == 1 else 's'} moved to the days around it.",
            )
            return _back(request)
    return _page(request, status=400, break_form=form)


@require_POST
@login_required
def cancel_break(request: HtmxHttpRequest, break_id: int) -> HttpResponse:
    if services.cancel_break(user=request.user, break_id=break_id):
        messages.success(request, "Break removed. Cards already moved keep their days.")
        return _back(request)
    return HttpResponse("No such break.", status=404, content_type="text/plain")


@require_POST
@login_required
def spread_backlog(request: HtmxHttpRequest) -> HttpResponse:
    form = BacklogForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, backlog_form=form)
    moved = services.spread_backlog(
        user=request.user, days=form.cleaned_data["days"], now=timezone.now()
    )
    messages.success(
        request,
        f"Spread over {form.cleaned_data['days']} days: {moved} cards moved to the "
        "coming days, the ones you are most likely to forget stay today.",
    )
    return _back(request)
