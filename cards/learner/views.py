"""The learner's pages: sign-up, settings, and "Your data" (download, import, delete)."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cards.learner import services, userdata
from cards.learner.forms import (
    DeleteAccountForm,
    ImportDataForm,
    SettingsForm,
    SignUpForm,
)
from cards.models import ReviewLog, ReviewSchedule, profile_for
from cards.reminders.forms import fieldset_context
from cards.web.http import HtmxHttpRequest, login_required


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _counts(user) -> dict[str, int]:
    return {
        "schedules": ReviewSchedule.objects.for_user(user).count(),
        "reviews": ReviewLog.objects.for_user(user).count(),
    }


def _data_page(request: HttpRequest, form: ImportDataForm, status: int = 200):
    context = {"import_form": form, **_counts(request.user)}
    return render(request, "account/data.html", context, status=status)


@require_GET
@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _data_page(request, ImportDataForm())


@require_GET
@login_required
def export_data(request: HttpRequest) -> HttpResponse:
    blob = userdata.dumps(userdata.export_user_data(user=request.user))
    day = profile_for(request.user).study_day(timezone.now())
    name = f"genai-prep-{slugify(request.user.get_username()) or 'data'}-{day}.json"
    response = HttpResponse(blob, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    add_never_cache_headers(response)
    return response


@require_POST
@login_required
def import_data(request: HttpRequest) -> HttpResponse:
    form = ImportDataForm(request.POST, request.FILES)
    if not form.is_valid():
        return _data_page(request, form, status=400)
    try:
        parsed = userdata.parse_user_data(form.cleaned_data["file"].read())
        result = userdata.import_user_data(user=request.user, data=parsed)
    except userdata.UserDataError as error:
        form.add_error("file", str(error))
        status = 409 if isinstance(error, userdata.ImportConflict) else 400
        return _data_page(request, form, status=status)
    text = (
        f"Imported {_count(result.schedules_added, 'question')} with "
        f"{_count(result.reviews_added, 'review')}, and your settings."
    )
    if result.schedules_kept:
        text += (
            f" {_count(result.schedules_kept, 'question')} you had already studied "
            "here kept their progress."
        )
    messages.success(request, text)
    return redirect("cards:account")


@require_http_methods(["GET", "POST"])
@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            userdata.delete_account(user=request.user)
            logout(request)
            messages.success(request, "Your account and all its data were deleted.")
            return redirect("home")
        status = 400
    else:
        status = 200
    context = {"form": form, **_counts(request.user)}
    return render(request, "account/delete.html", context, status=status)


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


@require_http_methods(["GET", "POST"])
@login_required
def learner_settings(request: HtmxHttpRequest) -> HttpResponse:
    profile = profile_for(request.user)
    is_new = profile.pk is None
    form = SettingsForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.save_settings(profile=form.save(commit=False))
        messages.success(request, "Settings saved.")
        return redirect("cards:settings")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "is_new": is_new, **fieldset_context(request.user)}
    return render(request, "cards/settings.html", context, status=status)
