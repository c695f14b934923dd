"""Deleting an account removes every row that names the person, in every table."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client
from django.urls import reverse

from cards.bank import services as bank_services
from cards.models import Question
from tests.factories import PASSWORD, make_question, make_schedule, make_user

NAME, EMAIL = "zed-erase-me", "zed.erase@example.org"
HOME_IP, OTHER_IP = "203.0.113.7", "198.51.100.9"


def _login(password: str, ip: str, username: str = NAME) -> Client:
    client = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT="ZedBrowser/1.0")
    client.post(reverse("login"), {"username": username, "password": password})
    return client


def _rows_naming(user_id: int) -> list[str]:
    """Every row, in every installed model, that points at or spells the person."""
    found = []
    user_model = get_user_model()
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not field.concrete or field.auto_created and not field.is_relation:
                continue
            if field.is_relation and (field.many_to_one or field.one_to_one):
                points_at_user = field.related_model is user_model and (
                    model._base_manager.filter(**{field.attname: user_id}).exists()
                )
                if points_at_user:
                    found.append(f"{model._meta.label}.{field.name} -> user")
            elif isinstance(field, models.CharField | models.TextField):
                for value in (NAME, EMAIL):
                    lookup = {f"{field.attname}__iexact": value}
                    if model._base_manager.filter(**lookup).exists():
                        found.append(f"{model._meta.label}.{field.name} = {value}")
    if user_model._base_manager.filter(pk=user_id).exists():
        found.append("the user row")
    return found


def _sessions_of(user_id: int) -> int:
    return sum(
        s.get_decoded().get("_auth_user_id") == str(user_id)
        for s in Session.objects.all()
    )


def test_deleting_an_account_leaves_no_row_naming_the_person(db, settings):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = (
        True  # off here; a deployment may turn it on
    )
    zed = make_user(username=NAME, email=EMAIL)
    bystander = make_user(username="bystander")
    make_schedule(user=zed)
    staff = make_user(username="boss", is_superuser=True)
    # The person's traces: failed and good logins from two places (axes), a
    # second signed-in device, an admin's edit of their account, their edit
    # of a question as staff (revision editor).
    _login("wrong-1", OTHER_IP)
    _login("wrong-2", HOME_IP)
    _login(PASSWORD, OTHER_IP)
    device = _login(PASSWORD, HOME_IP)
    _login("wrong-4", "192.0.2.44")  # an attempt still pending (not reset)
    # Someone else's failed logins from the person's address stay theirs.
    _login("wrong-3", HOME_IP, username="bystander")
    admin = Client()
    admin.force_login(staff)
    LogEntry.objects.log_actions(
        user_id=staff.pk, queryset=[zed], action_flag=2, change_message="Changed email."
    )
    question = make_question()
    question.answer = "Edited by zed."
    zed.is_staff = True
    zed.save()
    bank_services.save_question(question=question, editor=zed, now=question.created_at)
    assert AccessLog.objects.filter(username=NAME).count() == 2
    assert AccessAttempt.objects.filter(username=NAME).exists()
    assert AccessFailureLog.objects.filter(username=NAME).exists()
    assert _sessions_of(zed.pk) == 2
    before = _rows_naming(zed.pk)
    assert any("axes" in row for row in before) and any(
        "LogEntry" in row for row in before
    )

    r = device.post(reverse("cards:account_delete"), {"password": PASSWORD})

    assert r.status_code == 302
    assert _rows_naming(zed.pk) == []
    assert _sessions_of(zed.pk) == 0
    # Nothing of anyone else went: the bystander, their failed login, the
    # question and its revision (without its editor).
    assert get_user_model().objects.filter(pk=bystander.pk).exists()
    assert AccessFailureLog.objects.filter(username="bystander").exists()
    assert Question.objects.get(pk=question.pk).revisions.get().editor is None
