"""HTTP views: parse the request, call one service or queryset, render."""

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.middleware import HtmxDetails

from cards import queue, services
from cards.forms import SignUpForm
from cards.models import Level, Question, profile_for


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
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})
