"""One learner never reaches another's data (plan item 4, invariant I3).

Learner B requests learner A's objects by id, and the ids around them, on
every learner URL that takes an id in its path (enumerated from the URLconf,
so routes added later are covered) or in its query/body (undo's `log`, the
review page's `card`); every other learner route gets the usual id field
names sprayed at it. The whole sequence runs twice: with A and A's history in
the database, and again with A deleted ("B alone"). Must hold:

- nothing B does changes A's rows (user, settings, schedules, log) or the bank;
- each of B's responses is the same in both runs (status, Location and body,
  after masking the per-request nonce and CSRF token; the clock is frozen), so none
  of A's data shows and no status tells that an object of A's exists (a 404
  stays a 404, never a 403); A's username, e-mail, durations and the old text
  of the questions A studied never appear;
- ids naming a learner's own objects (a question's change history, an answer
  to undo) are 404 unless they are B's.

Grade and reveal take shared question ids: B grading question X acts on B's
own schedule, which is correct; A's schedule of X is left untouched. Admin URLs
are staff-only and checked by item 23 (test_admin_boundary.py).
"""

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cards.bank import services as bank_services
from cards.care import services as care
from cards.learner import imports
from cards.learner.userdata import export_stream
from cards.mock import services as mock_services
from cards.models import (
    CardNote,
    DataImport,
    LearnerProfile,
    MockAnswer,
    MockInterview,
    ProblemReport,
    Question,
    QuestionRevision,
    ReviewLog,
    ReviewSchedule,
    StudyBreak,
    Suspension,
)
from cards.review import services
from tests.factories import make_question, make_user
from tests.routes import all_routes, id_routes

NOW = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
A_NAME = "annika-q7zv"
A_EMAIL = "annika-q7zv@example.org"
A_DURATION_MS = 987_654  # A's answers took this long; nobody else's did
A_OLD_TEXT = "Annika-only old wording"  # questions A studied, before a rewrite
A_NOTE = "Annika-only private note"  # A's note and report (issue 16)

# Ids in the query or body: route name -> (method, field).
BODY_IDS = {"cards:undo": ("post", "log"), "cards:review": ("get", "card")}
# Routes whose id names one learner's own object: 404 unless it is B's.
PRIVATE = {
    "cards:question_changes": "questions",
    "cards:undo": "logs",
    "cards:plan_break_cancel": "breaks",
    "cards:account_import_status": "imports",  # a "Your data" import's progress
    "cards:account_import_cancel": "imports",
    # Issue 18: a mock interview and its answers are the learner's own.
    **{
        f"cards:mock_{name}": "mocks"
        for name in ("run", "draft", "answer", "debrief", "confirm", "undo", "soon")
    },
}
# Path ids naming shared objects (bank questions) or carrying a token.
SHARED = {
    "cards:reveal",
    "cards:check",
    "cards:grade",
    "cards:card_info",
    # Issue 16: B's own note, suspension and report on a bank question.
    "cards:my_card",
    "cards:suspend",
    "cards:card_note",
    "cards:report",
    "cards:drill_grade",  # B's own drill session (in B's session) of a question
}  # card info: B's own card
TOKEN = {"password_reset_confirm"}  # uidb64 + token: item 19
# Signed tokens of reminder mail (tests/reminders/test_views.py: forged ones fail).
TOKEN |= {"cards:reminders_verify", "cards:reminders_unsubscribe"}
# Names an id might go by in a form or query string of a route added later,
# and which of A's objects each is given: a log, a question, a schedule, A.
ID_FIELDS = {
    "log": "log", "card": "question", "question": "question",
    "question_id": "question", "schedule": "schedule", "id": "schedule",
    "pk": "log", "user": "user",
}  # fmt: skip

_MASKS = [
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r"\b[A-Za-z0-9]{64}\b"), "CSRF"),  # masked CSRF tokens
]


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    data: dict
    endpoint: str  # the route name
    target: int  # the id under test


def masked(response) -> tuple:
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if content.startswith(b"PK\x03\x04"):  # a zip (the Anki deck): its members,
        with zipfile.ZipFile(io.BytesIO(content)) as archive:  # not their mtimes
            content = b"".join(archive.read(n) for n in sorted(archive.namelist()))
    body = content.decode("utf-8", "replace")
    for pattern, repl in _MASKS:
        body = pattern.sub(repl, body)
    return response.status_code, response.get("Location", ""), body


def history(user, questions, *, now, duration_ms=None) -> list[ReviewLog]:
    """Two answers per question: one three days ago, one today."""
    logs = []
    for question in questions:
        for days_ago, grade in ((3, 4), (0, 3)):
            version = ReviewSchedule.objects.filter(user=user, question=question)
            version = version.values_list("version", flat=True).first() or 0
            logs.append(
                services.record_review(
                    user=user, question=question, grade=grade, version=version,
                    now=now - timedelta(days=days_ago), duration_ms=duration_ms,
                )
            )  # fmt: skip
    return logs


def guarded(a_pk: int) -> list:
    """A's rows and the shared bank: what nothing B does may change."""
    return [
        list(get_user_model().objects.filter(pk=a_pk).values()),
        list(LearnerProfile.objects.filter(user_id=a_pk).values()),
        list(ReviewSchedule.objects.filter(user_id=a_pk).order_by("pk").values()),
        list(ReviewLog.objects.filter(user_id=a_pk).order_by("pk").values()),
        list(Question.objects.order_by("pk").values()),
        list(QuestionRevision.objects.order_by("pk").values()),
        list(CardNote.objects.filter(user_id=a_pk).values()),
        list(Suspension.objects.filter(user_id=a_pk).values()),
        list(ProblemReport.objects.filter(reporter_id=a_pk).values()),
        list(MockInterview.objects.filter(user_id=a_pk).order_by("pk").values()),
        list(MockAnswer.objects.filter(mock__user_id=a_pk).order_by("pk").values()),
        list(DataImport.objects.filter(user_id=a_pk).values()),
    ]


def rows_written() -> int:
    """Rows inserted, updated or deleted so far on this connection (SQLite) or
    in this transaction (PostgreSQL): when a call leaves it unchanged, the call
    wrote nothing and `guarded` need not read A's rows again."""
    if connection.vendor == "sqlite":
        return connection.connection.total_changes
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables"
        )
        return cursor.fetchone()[0]


def path_value(converter: str, name: str, target: int) -> str:
    if name == "uidb64":
        return urlsafe_base64_encode(force_bytes(target))
    if converter in ("int", "path", "slug"):
        return str(target)
    return "set-password" if name == "token" else str(target)


def plan(a_versions, targets) -> tuple[list[Call], int]:
    """Every request B makes, and K (the number of id-taking endpoints)."""
    calls: list[Call] = []
    routes = [r for r in id_routes() if not r.is_admin]
    unknown = {r.name for r in routes} - set(PRIVATE) - SHARED - TOKEN
    assert not unknown, f"new id-taking route(s) {unknown}: classify them above"
    assert all(r.params for r in routes), "a learner route with a regex id"
    for route in routes:
        for target in targets:
            path = route.path(
                {n: path_value(c, n, target) for n, c in route.params.items()}
            )
            # A's shown version (acting on A's state), then 0 (B's own new card).
            versions = {a_versions.get(target, 0), 0}
            for method in ("get", "post"):
                for version in sorted(versions):
                    data = {"version": str(version), "grade": "4"}
                    calls.append(Call(method, path, data, route.name, target))
    by_name = {r.name: r.path for r in all_routes()}
    for name, (method, field) in BODY_IDS.items():
        for target in targets:
            data = {field: str(target)}
            calls.append(Call(method, by_name[name], data, name, target))
    return calls, len(routes) + len(BODY_IDS)


def spray_calls(a_ids: dict[str, int]) -> list[Call]:
    """Every other learner route: plain, then with A's ids in the usual fields."""
    calls = []
    with_ids = {r.name for r in id_routes()} | set(BODY_IDS)
    data = {field: str(a_ids[kind]) for field, kind in ID_FIELDS.items()}
    for route in all_routes():
        if route.is_admin or route.name in with_ids:
            continue
        for method in ("get", "post"):
            calls.append(Call(method, route.path, {}, route.name, 0))
            calls.append(Call(method, route.path, data, route.name, a_ids["log"]))
    return calls


def sequences() -> list[tuple[str, str, int | None]]:
    """PostgreSQL's id sequences (a rollback does not rewind them; SQLite's does)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences")
        return cursor.fetchall()


def rewind(saved: list[tuple[str, str, int | None]]) -> None:
    """So that B's new rows get the same ids in both runs."""
    with connection.cursor() as cursor:
        for schema, name, last in saved:
            cursor.execute(
                "SELECT setval(%s, %s, %s)",
                [f'"{schema}"."{name}"', last or 1, last is not None],
            )


def owns(learner, call: Call) -> bool | None:
    """For a route holding learners' own objects: is call.target B's? Else None."""
    kind = PRIVATE.get(call.endpoint)
    if kind == "questions":
        return ReviewSchedule.objects.filter(
            user=learner, question=call.target
        ).exists()
    if kind == "logs":
        return ReviewLog.objects.filter(user=learner, pk=call.target).exists()
    if kind == "imports":
        return DataImport.objects.filter(user=learner, pk=call.target).exists()
    if kind == "breaks":
        return StudyBreak.objects.filter(user=learner, pk=call.target).exists()
    if kind == "mocks":  # the mock's id (and the answer's, on the answer routes)
        return MockInterview.objects.filter(user=learner, pk=call.target).exists()
    return None


def run(calls: list[Call], learner, *, a_pk: int | None) -> tuple[list, list[str]]:
    """B makes every call; returns (masked response, B owns the id) and writes."""
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    out, wrote = [], []
    before = guarded(a_pk) if a_pk else None
    for call in calls:
        own = owns(learner, call)
        written = rows_written()
        response = getattr(client, call.method)(call.path, call.data)
        out.append((masked(response), own))
        if a_pk and rows_written() != written:
            now = guarded(a_pk)
            if now != before:
                wrote.append(f"{call.method.upper()} {call.path} {call.data}")
                before = now
        if "_auth_user_id" not in client.session:  # logged out by /accounts/logout/
            client.force_login(learner)
    return out, wrote


@time_machine.travel(NOW, tick=False)  # both runs see the same clock
def test_no_learner_reaches_another_learners_objects(db, figure):
    now = NOW
    written = rows_written()
    a = make_user(username=A_NAME, email=A_EMAIL)
    assert rows_written() > written  # the counter `run` trusts sees writes here
    b = make_user(username="bruno")
    b_questions = [make_question() for _ in range(3)]
    make_question()  # a gap in question ids between B's and A's
    a_questions = [make_question(prompt=f"{A_OLD_TEXT} {n}?") for n in range(3)]
    [make_question() for _ in range(2)]  # new to everyone
    history(b, b_questions, now=now)
    a_logs = history(a, a_questions, now=now, duration_ms=A_DURATION_MS)
    for question in a_questions:  # a rewrite A has not seen yet
        question.prompt = f"Rewritten prompt {question.pk}?"
        bank_services.save_question(
            question=question, editor=None, now=now, substantial=True
        )
    for question in a_questions[:2]:  # A's own note, suspension and report
        care.save_note(user=a, question=question, text=A_NOTE, now=now)
        care.suspend_card(user=a, question=question, now=now)
        care.report_problem(user=a, question=question, note=A_NOTE, now=now)
    a_mock = mock_services.start_mock(user=a, now=now, count=2, seed=7)
    first = a_mock.answers.order_by("position").first()
    mock_services.hand_in(mock=a_mock, answer_id=first.pk, text=A_NOTE, now=now)
    a_import = imports.start_import(  # waiting, with A's file stored
        user=a,
        upload=SimpleUploadedFile("a.jsonl.gz", b"".join(export_stream(user=a))),
        now=now,
    )
    a_schedules = list(ReviewSchedule.objects.filter(user=a))
    a_versions = {s.question_id: s.version for s in a_schedules}
    a_objects = {
        a.pk, a.profile.pk,
        *(s.pk for s in a_schedules), *(log.pk for log in a_logs),
        *(q.pk for q in a_questions),
        a_mock.pk, *a_mock.answers.values_list("pk", flat=True), a_import.pk,
        *QuestionRevision.objects.filter(question__in=a_questions).values_list(
            "pk", flat=True
        ),
    }  # fmt: skip
    targets = sorted({n + d for n in a_objects for d in (-1, 0, 1)} - {0})
    calls, k = plan(a_versions, targets)
    sprayed = spray_calls(
        {
            "user": a.pk, "schedule": a_schedules[0].pk,
            "log": a_logs[-1].pk, "question": a_questions[0].pk,
        }
    )  # fmt: skip
    calls += sprayed

    saved = sequences()
    with transaction.atomic():  # run 1, with A; then roll B's writes back
        with_a, wrote = run(calls, b, a_pk=a.pk)
        transaction.set_rollback(True)
    rewind(saved)
    a.delete()  # run 2: B alone (the bank, B and B's history as before)
    alone, _ = run(calls, b, a_pk=None)

    differ, errors, forbidden, not_404, markers = [], [], [], [], []
    for call, (response, own), (other, _) in zip(calls, with_a, alone, strict=True):
        status, _, body = response
        label = f"{call.method.upper()} {call.path} {call.data} -> {status}"
        if response != other:
            differ.append(f"{label} (B alone: {other[0]})")
        if status >= 500:
            errors.append(label)
        if status == 403:
            forbidden.append(label)
        if own is False and status not in (404, 405):  # 405: not for any id
            not_404.append(label)
        for marker in (A_NAME, A_EMAIL, A_OLD_TEXT, A_NOTE, str(A_DURATION_MS)):
            if marker in body:
                markers.append(f"{label}: {marker}")
    bad = {label.split(" -> ")[0] for label in differ + markers + wrote}
    pairs: dict[bool, set] = {True: set(), False: set()}  # sprayed or not
    for c in calls:
        if f"{c.method.upper()} {c.path} {c.data}" in bad:
            pairs[c in sprayed].add((c.endpoint, c.method))
    other_routes = {c.endpoint for c in sprayed}
    figure(
        4,
        f"{len(pairs[False])} of {k} x 2 cross-user requests leaked or wrote "
        f"({k} id-taking endpoints x GET/POST, {len(calls) - len(sprayed)} requests "
        f"with {len(targets)} ids of A's objects and their neighbours); "
        f"{len(pairs[True])} of {len(other_routes)} x 2 other learner routes with "
        f"A's ids in id-named fields ({len(sprayed)} requests); each response "
        f"compared with B alone; {len(errors)} x 5xx, {len(forbidden)} x 403",
    )
    assert wrote == [], wrote
    assert differ == [], differ[:5]
    assert markers == [], markers[:5]
    assert (errors, forbidden, not_404) == ([], [], [])
    # The learner's own-data pages were among those compared.
    paths = {c.path for c in calls}
    assert {"/progress/", "/account/export/", "/account/"} <= paths
    not_b = sum(own is False for _, own in with_a)
    assert not_b >= len(targets)
