"""The progress page: one read of the aggregates, shaped in Python, rendered as SVG."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from cards import progress as charts
from cards.mock import calibration
from cards.models import Level, profile_for
from cards.ops.replica import replica_reads
from cards.progress import fragments, queries
from cards.progress.forms import ProgressRangeForm
from cards.web.http import HtmxHttpRequest, login_required


@require_safe
@login_required
@never_cache
@vary_on_headers("HX-Request")
@replica_reads  # may lag a second behind the primary (cards/ops/replica.py)
def progress(request: HtmxHttpRequest) -> HttpResponse:
    form = ProgressRangeForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose a range of 30, 90 or 365 days.")
    span = form.cleaned_data["days"]
    profile = profile_for(request.user)
    today = profile.study_day(timezone.now())
    if request.htmx and not request.htmx.history_restore_request:
        days = queries.daily_activity(request.user)
        return HttpResponse(fragments.activity(days, today=today, span=span))
    deck = queries.deck(request.user, today=today)
    snap = queries.snapshot(request.user, today=today, deck_figures=deck)
    stamp = fragments.digest(snap.days)
    context = {
        "page": charts.build_page(snap, span=span, history=False),
        "profile": profile,
        "activity_html": fragments.activity(
            snap.days, today=today, span=span, stamp=stamp
        ),
        "calendar_html": fragments.calendar(snap.days, today=today, stamp=stamp),
    }
    context["missed_points"] = queries.missed_key_points(request.user)
    # Issue 18: mock scores over time, and confidence calibration (3 queries).
    context["mock_chart"] = calibration.score_chart(queries.mock_scores(request.user))
    context["calibration"] = calibration.calibration(
        queries.calibration_counts(request.user),
        queries.calibration_topic_counts(request.user),
        levels=Level.labels,
    )
    context["topics"] = queries.topic_mastery(request.user, states=deck.topic_states)
    return render(request, "cards/progress.html", context)
