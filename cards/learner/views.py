"""The learner's pages: sign-up, settings, and "Your data" (download, import, delete)."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from cards.bank import topic_choice
from cards.learner import (
    imports,
    scheduler_switch,
    services,
    userdata,
    workload,
    zones,
)
from cards.learner.forms import (
    LOOKALIKE,
    DeleteAccountForm,
    ImportDataForm,
    SettingsForm,
    SignUpForm,
)
from cards.learner.models import DataImport, ImportStatus
from cards.learner.scheduler_form import SchedulerForm
from cards.models import ReviewLog, ReviewSchedule, profile_for
from cards.ops.ratelimit import rate_limited
from cards.planning import dashboard
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
    context |= import_context(imports.latest_for(request.user))
    return render(request, "account/data.html", context, status=status)


@require_safe
@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _data_page(request, ImportDataForm())


@require_safe
@login_required
@rate_limited("export")
def export_data(request: HttpRequest) -> HttpResponse:
    day = profile_for(request.user).study_day(timezone.now())
    name = f"genai-prep-{slugify(request.user.get_username()) or 'data'}-{day}.jsonl.gz"
    response = StreamingHttpResponse(
        userdata.export_stream(user=request.user), content_type="application/gzip"
    )
    response["Content-Disposition"] = content_disposition_header(True, name)
    add_never_cache_headers(response)
    return response


@require_POST
@login_required
@rate_limited("import")
def import_data(request: HtmxHttpRequest) -> HttpResponse:
    """Store the file and queue its import (cards/learner/imports.py)."""
    form = ImportDataForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            job = imports.start_import(
                user=request.user, upload=form.cleaned_data["file"], now=timezone.now()
            )
        except userdata.UserDataError as error:
            form.add_error("file", str(error))
            status = 409 if isinstance(error, imports.ImportBusy) else 400
        else:
            if not request.htmx:
                return redirect("cards:account_import_status", import_id=job.pk)
            job.refresh_from_db()  # a backend that runs jobs at once ran it
            context = {"import_form": ImportDataForm(), **import_context(job)}
            return _announce_done(
                job, render(request, "account/data.html#import_panel", context)
            )
    if request.htmx:
        context = {
            "import_form": form,
            **import_context(imports.latest_for(request.user)),
        }
        return render(request, "account/data.html#import_panel", context, status=status)
    return _data_page(request, form, status=status)


def _import_text(job: DataImport) -> str:
    name = job.file_name or "your file"
    if job.status == ImportStatus.QUEUED:
        return f"{name} is waiting for its turn to be imported."
    if job.status == ImportStatus.RUNNING:
        return f"Importing {name}…"
    if job.status == ImportStatus.FAILED:
        return f"The import of {name} failed. {job.error}"
    if job.status == ImportStatus.CANCELLED:
        return f"You cancelled the import of {name}. Nothing was imported."
    text = (
        f"Imported {_count(job.schedules_added or 0, 'question')} with "
        f"{_count(job.reviews_added or 0, 'review')}, and your settings."
    )
    if job.schedules_kept:
        text += (
            f" {_count(job.schedules_kept, 'question')} you had already studied "
            "here kept their progress."
        )
    return text


def import_context(job: DataImport | None) -> dict:
    if job is None:
        return {"data_import": None}
    return {"data_import": job, "import_text": _import_text(job)}


@require_safe
@login_required
def import_status(request: HtmxHttpRequest, import_id: int) -> HttpResponse:
    """An import's progress: a page (no JavaScript), or the polled fragment."""
    job = get_object_or_404(DataImport, pk=import_id, user=request.user)
    if request.htmx:
        if request.GET.get("shown") == job.status:
            return HttpResponse(status=204)  # unchanged: nothing to swap or announce
        return _announce_done(
            job,
            render(
                request, "account/import.html#import_status_body", import_context(job)
            ),
        )
    return render(request, "account/import.html", import_context(job))


@require_POST
@login_required
def import_cancel(request: HtmxHttpRequest, import_id: int) -> HttpResponse:
    """Cancel a waiting import (or one whose worker died); too late once in hand."""
    status, context = 200, {}
    try:
        job = imports.cancel_import(
            user=request.user, import_id=import_id, now=timezone.now()
        )
    except DataImport.DoesNotExist:
        raise Http404 from None
    except imports.ImportInHand as error:
        job = get_object_or_404(DataImport, pk=import_id, user=request.user)
        status, context = 409, {"cancel_error": str(error)}
    context |= import_context(job)
    if request.htmx:
        template = "account/import.html#import_status_body"
        return _announce_done(job, render(request, template, context, status=status))
    if status == 200:
        return redirect("cards:account_import_status", import_id=job.pk)
    return render(request, "account/import.html", context, status=status)


def _announce_done(job: DataImport, response: HttpResponse) -> HttpResponse:
    # "Your data" refreshes its download counts (an hx-trigger on the event).
    if job.status == ImportStatus.DONE:
        response["HX-Trigger"] = "import-done"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
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


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("signup", methods=("POST",))
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_up(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except services.UsernameTaken:
            form.add_error("username", LOOKALIKE)
        else:
            login(
                request, user, backend="cards.learner.backends.ModelBackendWithProfile"
            )
            return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


def _pending_sentence(profile) -> str:
    """Settings says when a new time zone or day start applies: tomorrow."""
    parts = []
    if profile.pending_time_zone and profile.pending_time_zone != profile.time_zone:
        parts.append(f"time zone ({profile.pending_time_zone.replace('_', ' ')})")
    hour = profile.pending_rollover_hour
    if hour is not None and hour != profile.rollover_hour:
        parts.append(f"day start ({hour:02d}:00)")
    start = timezone.localtime(profile.pending_from, profile.tzinfo)
    return (
        f"Your new {' and '.join(parts) or 'settings'} will apply from tomorrow, "
        f"when your current study day ends ({start:%-d %b %H:%M} "
        f"{profile.time_zone.replace('_', ' ')} time)."
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def learner_settings(request: HtmxHttpRequest) -> HttpResponse:
    profile = profile_for(request.user)
    is_new = profile.pk is None
    form = SettingsForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        saved = services.save_settings(profile=form.save(commit=False))
        text = "Settings saved."
        if saved.has_pending:
            text += " " + _pending_sentence(saved)
        messages.success(request, text)
        return redirect("cards:settings")
    status = 400 if request.method == "POST" else 200
    context = _settings_context(request, profile, form=form, is_new=is_new)
    return render(request, "cards/settings.html", context, status=status)


def _settings_context(
    request: HtmxHttpRequest,
    profile,
    *,
    form: SettingsForm,
    is_new: bool,
    topic_form: topic_choice.TopicChoiceForm | None = None,
) -> dict:
    context = {"form": form, "is_new": is_new, **_scheduler_context(request, profile)}
    context |= fieldset_context(request.user)
    # The interview plan's fieldset (templates/cards/plan.html#plan_settings).
    context |= dashboard.context(request.user, profile, timezone.now())
    context["topic_form"] = topic_form or topic_choice.TopicChoiceForm(
        user=request.user
    )
    return context


@require_POST
@login_required
def topic_settings(request: HtmxHttpRequest) -> HttpResponse:
    """The topics panel (issue 16): which topics the learner studies."""
    form = topic_choice.TopicChoiceForm(request.POST, user=request.user)
    if not form.is_valid():
        profile = profile_for(request.user)
        context = _settings_context(
            request,
            profile,
            form=SettingsForm(instance=profile),
            is_new=profile.pk is None,
            topic_form=form,
        )
        return render(request, "cards/settings.html", context, status=400)
    topic_choice.choose_topics(user=request.user, studied=form.cleaned_data["topics"])
    count = len(form.cleaned_data["topics"])
    messages.success(request, f"Topics saved: you study {_count(count, 'topic')}.")
    return redirect("cards:settings")


# The scheduler panel of the settings page (issue 19) ---------------------------

SHORT_NAMES = {"sm2": "SM-2", "fsrs": "FSRS"}


def _scheduler_context(
    request: HtmxHttpRequest, profile, form: SchedulerForm | None = None
) -> dict:
    initial = {
        "scheduler": profile.scheduler,
        "desired_retention": profile.desired_retention,
    }
    pending = profile.has_pending and profile.pending_from > timezone.now()
    return {
        "scheduler_form": form or SchedulerForm(initial=initial),
        # Issue 14: a new time zone or day start waiting for tomorrow.
        "pending": _pending_sentence(profile) if pending else "",
        "zone_options": zones.options(current=profile.time_zone),
    }


@require_POST
@login_required
def scheduler_settings(request: HtmxHttpRequest) -> HttpResponse:
    profile = profile_for(request.user)
    form = SchedulerForm(request.POST)
    if not form.is_valid():
        context = {
            "form": SettingsForm(instance=profile),
            "is_new": profile.pk is None,
            **_scheduler_context(request, profile, form),
        }
        return render(request, "cards/settings.html", context, status=400)
    before = profile.scheduler
    result = scheduler_switch.switch_scheduler(
        user=request.user,
        to=form.cleaned_data["scheduler"],
        now=timezone.now(),
        desired_retention=form.cleaned_data["desired_retention"],
    )
    text = "Scheduler settings saved."
    if before != form.cleaned_data["scheduler"]:
        name = SHORT_NAMES[form.cleaned_data["scheduler"]]
        text = (
            f"Switched to {name}: {_count(result.changed, 'card')} converted; "
            "every due date and every answer kept."
        )
    messages.success(request, text)
    return redirect("cards:settings")


@require_safe
@login_required
def workload_estimate(request: HtmxHttpRequest) -> HttpResponse:
    profile = profile_for(request.user)
    rows = workload.estimate(user=request.user, profile=profile, now=timezone.now())
    fit = workload.default_parameters_fit(user=request.user)
    context = {"workload": rows, "fit": fit}
    if request.htmx:
        return render(request, "cards/settings.html#workload", context)
    context |= {
        "form": SettingsForm(instance=profile),
        "is_new": profile.pk is None,
        **_scheduler_context(request, profile),
    }
    return render(request, "cards/settings.html", context)
