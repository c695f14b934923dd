"""HTTP views: parse the request, call one service or queryset, render."""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from cards import progress as charts
from cards.bank import services as bank_services
from cards.bank import textdiff
from cards.models import Level, Question, ReviewSchedule, profile_for
from cards.progress import queries as stats
from cards.review import queue, services
from cards.review.forms import ProgressRangeForm, SignUpForm


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(
            request,
            "cards/landing.html",
            {"questions": Question.objects.active().count()},
        )
    snapshot = queue.snapshot(
        user=request.user, profile=profile_for(request.user), now=timezone.now()
    )
    context = {
        "queue": snapshot,
        "due": snapshot.redrills + snapshot.reviews_left,
        "new": snapshot.new_left,
        "level_links": [
            (label, f"{reverse('cards:review')}?level={value}")
            for value, label in Level.choices
        ],
    }
    return render(request, "cards/home.html", context)


@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.sign_up(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            time_zone=form.cleaned_data["time_zone"],
        )
        login(request, user, backend="cards.learner.backends.ModelBackendWithProfile")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


# Question bank (issue 5): what changed in a question; the Anki deck ---------


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
def anki_deck(request: HtmxHttpRequest) -> HttpResponse:
    export = bank_services.export("apkg")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = 'attachment; filename="genai-prep.apkg"'
    return response


# --- Progress page (issue 4) -------------------------------------------------


@require_GET
@login_required
@never_cache
@vary_on_headers("HX-Request")
def progress(request: HtmxHttpRequest) -> HttpResponse:
    form = ProgressRangeForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose a range of 30, 90 or 365 days.")
    span = form.cleaned_data["days"]
    profile = profile_for(request.user)
    today = profile.study_day(timezone.now())
    if request.htmx and not request.htmx.history_restore_request:
        days = stats.daily_activity(request.user)
        context = {"activity": charts.activity(days, today=today, span=span)}
        return render(request, "cards/progress.html#activity", context)
    page = charts.build_page(stats.snapshot(request.user, today=today), span=span)
    context = {"page": page, "activity": page.activity, "profile": profile}
    return render(request, "cards/progress.html", context)
