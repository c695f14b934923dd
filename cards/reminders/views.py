"""Reminder pages: settings (a fieldset of /settings/), verification, unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cards.reminders import services, tokens
from cards.reminders.forms import ReminderSettingsForm, fieldset_context
from cards.web.http import HtmxHttpRequest, login_required

SETTINGS_PARTIAL = "cards/settings.html#reminders"


def _settings_page(
    request: HtmxHttpRequest, form, *, status: int = 200, saved: bool = False
):
    from cards.learner.forms import SettingsForm
    from cards.models import profile_for

    context = fieldset_context(request.user, form) | {"reminder_saved": saved}
    if request.htmx:
        return render(request, SETTINGS_PARTIAL, context, status=status)
    profile = profile_for(request.user)
    context |= {"form": SettingsForm(instance=profile), "is_new": profile.pk is None}
    return render(request, "cards/settings.html", context, status=status)


@require_POST
@login_required
def reminder_settings(request: HtmxHttpRequest) -> HttpResponse:
    form = ReminderSettingsForm(
        request.POST, instance=services.settings_for(request.user)
    )
    if form.is_valid():
        try:
            services.save_reminder_settings(
                reminder=form.save(commit=False), now=timezone.now()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not request.htmx:
                messages.success(request, "Reminder settings saved.")
                return redirect("cards:settings")
            fresh = ReminderSettingsForm(instance=services.settings_for(request.user))
            return _settings_page(request, fresh, saved=True)
    return _settings_page(request, form, status=400)


@require_POST
@login_required
def send_verification(request: HtmxHttpRequest) -> HttpResponse:
    if services.request_verification(user=request.user):
        messages.success(
            request, f"We sent a confirmation link to {request.user.email}."
        )
    else:
        messages.error(request, "Add an email address to your account first.")
    return redirect("cards:settings")


@require_http_methods(["GET", "HEAD", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    # GET only asks (link scanners fetch links); the button's POST confirms.
    if request.method == "GET":
        ok = tokens.read_verify_token(token) is not None
        context = {"token": token, "ok": ok, "ask": ok}
        return render(
            request, "reminders/verify.html", context, status=200 if ok else 400
        )
    user = services.verify_email(token=token)
    status = 200 if user else 400
    return render(request, "reminders/verify.html", {"ok": bool(user)}, status=status)


# RFC 8058: a mail client's one-click POST carries no CSRF token or cookie; the
# signed token is what authorises the request, and it can only turn mail off.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if tokens.read_unsubscribe_token(token) is None:
        return render(request, "reminders/unsubscribe.html", {"bad": True}, status=400)
    if request.method == "GET":
        return render(request, "reminders/unsubscribe.html", {"token": token})
    services.unsubscribe(token=token)
    return render(request, "reminders/unsubscribe.html", {"done": True})
