"""Notes, suspensions and reports travel with "Your data" (v3) and come back."""

import gzip
import json
from datetime import UTC, datetime

import pytest

from cards.care import services
from cards.learner import userdata
from cards.models import CardNote, ProblemReport, Suspension
from tests.factories import make_question, make_user

NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)


def export(user) -> bytes:
    return b"".join(userdata.export_stream(user=user))


def import_(user, blob: bytes):
    return userdata.import_user_data(user=user, data=userdata.parse_user_data(blob))


def header_of(blob: bytes) -> dict:
    return json.loads(gzip.decompress(blob).splitlines()[0])


def with_header(blob: bytes, **changes) -> bytes:
    lines = gzip.decompress(blob).splitlines()
    header = json.loads(lines[0])
    for key, value in changes.items():
        if value is None:
            header.pop(key, None)
        else:
            header[key] = value
    return b"\n".join([json.dumps(header).encode(), *lines[1:]]) + b"\n"


@pytest.fixture
def cared(db):
    learner = make_user(username="notes")
    q1, q2 = make_question(key="kv-cache"), make_question(key="rope")
    services.save_note(user=learner, question=q1, text="Línea 1\nline 2 ✓", now=NOW)
    services.suspend_card(user=learner, question=q2, now=NOW)
    report = services.report_problem(user=learner, question=q1, note="typo", now=NOW)
    services.resolve_reports(
        reports=ProblemReport.objects.filter(pk=report.pk), by=make_user(), now=NOW
    )
    return learner


def test_the_export_carries_notes_suspensions_and_reports(cared):
    care = header_of(export(cared))["care"]
    assert care == {
        "notes": [["kv-cache", "Línea 1\nline 2 ✓", "2026-01-05T12:00:00+00:00"]],
        "suspended": [["rope", "2026-01-05T12:00:00+00:00"]],
        "reports": [
            [
                "kv-cache",
                "typo",
                "2026-01-05T12:00:00+00:00",
                "2026-01-05T12:00:00+00:00",
            ]
        ],
    }


def test_import_restores_them_into_a_new_account_once(cared):
    blob = export(cared)
    fresh = make_user()
    import_(fresh, blob)
    import_(fresh, blob)  # twice: nothing doubles
    assert CardNote.objects.get(user=fresh).text == "Línea 1\nline 2 ✓"
    assert Suspension.objects.get(user=fresh).question.key == "rope"
    report = ProblemReport.objects.get(reporter=fresh)
    assert report.note == "typo" and report.is_resolved
    assert header_of(export(fresh))["care"] == header_of(blob)["care"]


def test_a_file_from_before_care_still_imports(cared):
    blob = with_header(export(cared), care=None)
    fresh = make_user()
    import_(fresh, blob)
    assert not CardNote.objects.filter(user=fresh).exists()


@pytest.mark.parametrize(
    ("care", "message"),
    [
        ({"notes": []}, "care must have exactly"),
        (
            {
                "notes": [["kv-cache", "", NOW.isoformat()]],
                "suspended": [],
                "reports": [],
            },
            r"care.notes\[0\] must be text",
        ),
        (
            {
                "notes": [["kv-cache", "x" * 1001, NOW.isoformat()]],
                "suspended": [],
                "reports": [],
            },
            "1 to 1000 characters",
        ),
        (
            {"notes": [], "suspended": [["rope", "yesterday"]], "reports": []},
            "must be a date-time",
        ),
        (
            {
                "notes": [],
                "suspended": [["rope", "2026-01-05T12:00:00"]],
                "reports": [],
            },
            "time zone",
        ),
        (
            {
                "notes": [["kv-cache", "a\x00b", NOW.isoformat()]],
                "suspended": [],
                "reports": [],
            },
            "cannot be stored",
        ),
        (
            {"notes": {}, "suspended": [], "reports": []},
            "care.notes must be a list of at most",
        ),
        (
            {"notes": [], "suspended": [["rope"]], "reports": []},
            r"care.suspended\[0\] must be a list of 2 values",
        ),
        (
            {"notes": [], "suspended": "rope", "reports": []},
            "care.suspended must be a list",
        ),
        (
            {"notes": [], "suspended": [[7, NOW.isoformat()]], "reports": []},
            r"care.suspended\[0\] must start with a question key",
        ),
        (
            {
                "notes": [
                    ["kv-cache", "one", NOW.isoformat()],
                    ["kv-cache", "two", NOW.isoformat()],
                ],
                "suspended": [],
                "reports": [],
            },
            r"care.notes\[1\] repeats a question",
        ),
        (
            {
                "notes": [],
                "suspended": [],
                "reports": [["rope", "typo", NOW.isoformat(), "later"]],
            },
            r"care.reports\[0\] must be a date-time",
        ),
    ],
)
def test_a_bad_care_section_is_refused_and_writes_nothing(cared, care, message):
    blob = with_header(export(cared), care=care)
    fresh = make_user()
    with pytest.raises(userdata.UserDataError, match=message):
        import_(fresh, blob)
    assert not Suspension.objects.filter(user=fresh).exists()


def test_a_note_on_a_question_missing_from_the_bank_is_refused(cared):
    care = header_of(export(cared))["care"]
    care["notes"][0][0] = "not-in-this-bank"
    fresh = make_user()
    with pytest.raises(userdata.UserDataError, match="not-in-this-bank"):
        import_(fresh, with_header(export(cared), care=care))
    assert not CardNote.objects.filter(user=fresh).exists()
    assert not Suspension.objects.filter(user=fresh).exists()
