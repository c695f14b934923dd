"""A learner's export, import and deletion (plan item 13, invariant I3)."""

import gzip
import json
import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from cards.learner import userdata
from cards.models import LearnerProfile, ReviewLog, ReviewSchedule
from cards.review import services
from tests.factories import make_user

START = date(2026, 1, 5)


def study(user, questions, reviews: int, seed: int = 1, start: date = START) -> None:
    """`reviews` answers through the real service, each on the card's due day."""
    rng = random.Random(seed)
    for n in range(reviews):
        question = questions[n % len(questions)]
        schedule = ReviewSchedule.objects.filter(user=user, question=question).first()
        day = (schedule.redrill_on or schedule.due_on) if schedule else start
        when = datetime.combine(day, time(12, n % 60, n % 59, n * 7919 % 1_000_000))
        grade = 1 if schedule and schedule.interval_days > 60 else rng.randint(0, 5)
        services.record_review(
            user=user,
            question=question,
            grade=grade,
            version=schedule.version if schedule else 0,
            now=when.replace(tzinfo=UTC),
            duration_ms=rng.choice([None, rng.randint(0, 600_000)]),
        )


def wipe(user) -> None:
    ReviewLog.objects.filter(user=user).delete()
    ReviewSchedule.objects.filter(user=user).delete()
    LearnerProfile.objects.filter(user=user).delete()
    user.refresh_from_db()


def export(user) -> bytes:
    user = type(user).objects.get(pk=user.pk)  # no cached profile
    return b"".join(userdata.export_stream(user=user))


def document(blob: bytes) -> dict:
    """A version 3 file (gzipped JSON lines) as a version 2 document: the same
    records, named fields; read here independently of the importer."""
    header, *rows = [json.loads(line) for line in gzip.decompress(blob).splitlines()]
    kind, counts = rows.pop()
    assert kind == "end"
    fields = {"schedule": header["schedule_fields"], "review": header["review_fields"]}
    names = ("format", "version", "account", "settings", "plan", "reminders", "care")
    out = {k: header[k] for k in names if k in header}
    out |= {"schedules": [], "reviews": []}
    for kind, *values in rows:
        out[f"{kind}s"].append(dict(zip(fields[kind], values, strict=True)))
    assert counts == {
        "schedules": len(out["schedules"]),
        "reviews": len(out["reviews"]),
    }
    return out


def as_lines(doc: dict) -> bytes:
    """The inverse of document(): `doc` as version 3 lines (not gzipped).

    Records that are not objects are written as they are (for fuzzing)."""
    fields = {"schedules": list(userdata.SCHEDULE_FIELDS)}
    fields["reviews"] = list(userdata.REVIEW_FIELDS)
    names = ("format", "version", "account", "settings", "plan", "reminders", "care")
    header = {k: doc[k] for k in names if k in doc}
    header |= {
        "schedule_fields": fields["schedules"],
        "review_fields": fields["reviews"],
    }
    lines = [header]
    for name in ("schedules", "reviews"):
        records = doc.get(name) if isinstance(doc.get(name), list) else [doc.get(name)]
        for r in records:
            values = [r.get(f) for f in fields[name]] if isinstance(r, dict) else [r]
            lines.append([name[:-1], *values])
    counts = {n: len(doc[n]) if isinstance(doc.get(n), list) else 1 for n in fields}
    lines.append(["end", counts])
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


def import_(user, blob: bytes) -> userdata.ImportResult:
    user = type(user).objects.get(pk=user.pk)
    return userdata.import_user_data(user=user, data=userdata.parse_user_data(blob))


@pytest.fixture
def learners(questions):
    empty = make_user(username="empty")
    LearnerProfile.objects.filter(user=empty).delete()  # never saved settings
    heavy = make_user(username="heavy", time_zone="America/New_York", rollover_hour=2)
    study(heavy, questions, 1_000)
    unicode = make_user(
        username="Zoë_李小龍",
        email="zoë@例え.jp",
        time_zone="Asia/Kolkata",
        grade_scale="six",
    )
    study(unicode, questions[:3], 25, seed=2, start=date(2026, 2, 1))
    return {"empty": empty, "1,000 reviews": heavy, "unicode-heavy": unicode}


@pytest.fixture
def pair(questions):
    """Two learners with some history each, on different dates."""
    first = make_user(username="first")
    study(first, questions, 40, seed=4)
    second = make_user(username="Zoë_李小龍")
    study(second, questions[:3], 25, seed=2, start=date(2026, 2, 1))
    return first, second


@pytest.fixture
def small_file(questions) -> dict:
    """A valid version 2 file (one JSON document) of a learner with 25 reviews
    of 3 questions: version 3's records in version 2's layout."""
    learner = make_user(username="small")
    study(learner, questions[:3], 25, seed=3)
    return document(export(learner)) | {"version": 2}


def test_export_wipe_import_round_trips_byte_for_byte(learners, figure):
    identical = duplicates = 0
    for user in learners.values():
        first = export(user)
        wipe(user)
        import_(user, first)
        second = export(user)
        rows = ReviewLog.objects.count() + ReviewSchedule.objects.count()
        again = import_(user, first)
        duplicates += ReviewLog.objects.count() + ReviewSchedule.objects.count() - rows
        duplicates += again.schedules_added + again.reviews_added
        identical += first == second == export(user)
    figure(
        13,
        f"{identical}/{len(learners)} fixture users round-trip identical "
        f"({', '.join(learners)}); {duplicates} duplicates on re-import",
    )
    assert identical == len(learners) and duplicates == 0
    heavy = document(export(learners["1,000 reviews"]))
    assert len(heavy["reviews"]) == 1_000 and len(heavy["schedules"]) == 10


def test_export_holds_only_the_learners_own_rows(pair):
    mine = document(export(pair[1]))
    theirs = ReviewLog.objects.filter(user=pair[0])
    their_times = {log.reviewed_at.isoformat() for log in theirs}
    assert mine["account"]["username"] == "Zoë_李小龍"
    assert len(mine["reviews"]) == 25
    assert not their_times & {r["reviewed_at"] for r in mine["reviews"]}
    assert "first" not in json.dumps(mine).replace("type_answer_first", "")


def test_import_restores_into_a_new_account(pair):
    blob = export(pair[0])
    newcomer = make_user(username="newcomer")
    result = import_(newcomer, blob)
    assert (result.schedules_added, result.reviews_added) == (10, 40)
    restored = document(export(newcomer))
    original = document(blob)
    for key in ("settings", "schedules", "reviews"):
        assert restored[key] == original[key]


def test_import_keeps_progress_already_made(pair, questions):
    blob = export(pair[0])
    other = make_user()
    study(other, questions[:2], 3)
    kept = {s.pk: s.version for s in ReviewSchedule.objects.filter(user=other)}
    result = import_(other, blob)
    assert (result.schedules_kept, result.schedules_added) == (2, 8)
    for pk, version in kept.items():
        assert ReviewSchedule.objects.get(pk=pk).version == version


def mutate(data: dict, path: str, value) -> dict:
    target = data
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is KeyError:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return data


BAD_FIELDS = [
    ("format", "something-else", "not a GenAI Prep data file"),
    ("version", 3, "version 1 or 2"),
    ("version", True, "version 1 or 2"),
    ("settings.time_zone", "Mars/Olympus", "time zone"),
    ("settings.rollover_hour", 24, "between 0 and 23"),
    ("settings.reviews_per_day", "200", "whole number"),
    ("schedules.0.question", "no\x00pe", "NUL"),
    ("schedules.0.state.ease", "1.00", "at least 1.30"),
    ("schedules.0.state.ease", 2.5, "decimal such as 2.50"),
    ("schedules.0.state.interval_days", 36_501, "from 0 to 36500"),
    ("schedules.0.state.repetitions", 2**31, "between 0 and 2147483647"),
    ("schedules.0.state.extra", 1, "SM-2 state has exactly"),
    ("schedules.0.state", [2, 6, "2.50"], "must be an object"),
    ("schedules.0.scheduler", "sm3", "must be one of sm2"),
    ("reviews.0.state_after.ease", "2.5", "decimal such as 2.50"),
    ("schedules.0.version", 2**63, "between 0 and"),
    ("schedules.0.version", -1, "between 0 and"),
    ("schedules.0.lapses", True, "whole number"),
    ("schedules.0.due_on", "2026-13-01", "date such as"),
    ("schedules.0.due_on", "20260105", "date such as"),
    ("schedules.0.last_reviewed_at", "2026-01-05T12:00:00", "UTC offset"),
    ("schedules.0.last_reviewed_at", "0001-01-01T00:00:00+01:00", "UTC offset"),
    ("schedules.0.redrill_on", KeyError, "missing redrill_on"),
    ("schedules.0.extra", 1, "unexpected extra"),
    ("reviews.0.grade", 6, "between 0 and 5"),
    ("reviews.0.grade", "3", "whole number"),
    ("reviews.0.grade", 3.0, "whole number"),
    ("reviews.0.kind", "cram", "must be one of"),
    ("reviews.0.duration_ms", 10**12, "between 0 and"),
    ("reviews.0.from_version", 10_000, "does not fit"),
    ("reviews.0.question", "what-is-generative-ai-not", "has no schedule"),
    ("reviews", {"not": "a list"}, "must be a list"),
    ("account", [], "must be an object"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD_FIELDS)
def test_invalid_files_are_refused_whole(small_file, path, value, message):
    user = make_user()
    data = mutate(small_file, path, value)
    with pytest.raises(userdata.UserDataError, match=message):
        import_(user, json.dumps(data).encode())
    assert not ReviewSchedule.objects.filter(user=user).exists()
    assert not ReviewLog.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (b"\xff\xfe not utf-8", "not JSON"),
        (b"{", "not JSON"),
        (b"[]", "not a GenAI Prep"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
        (
            b'{"format": "genai-prep/user-data", "version": ' + b"9" * 5000 + b"}",
            "JSON",
        ),
        (b" " * (userdata.MAX_IMPORT_BYTES + 1), "larger than"),
    ],
)
def test_malformed_files_are_refused(db, blob, message):
    with pytest.raises(userdata.UserDataError, match=message):
        userdata.parse_user_data(blob)


def test_questions_missing_from_the_bank_are_refused(small_file):
    user = make_user()
    extra = dict(small_file["schedules"][0], question="not-in-this-bank")
    small_file["schedules"].append(extra)
    with pytest.raises(userdata.UserDataError, match="not in this question bank"):
        import_(user, json.dumps(small_file).encode())
    assert (
        not LearnerProfile.objects.filter(user=user, time_zone="UTC")
        .exclude(rollover_hour=4)
        .exists()
    )
    assert not ReviewSchedule.objects.filter(user=user).exists()


def test_duplicate_schedule_and_review_are_refused(small_file):
    data = json.loads(json.dumps(small_file))
    data["schedules"].append(dict(data["schedules"][0]))
    with pytest.raises(userdata.UserDataError, match="repeats a question"):
        userdata.parse_user_data(json.dumps(data).encode())
    data = small_file
    data["reviews"].append(dict(data["reviews"][0]))
    with pytest.raises(userdata.UserDataError, match="does not fit"):
        userdata.parse_user_data(json.dumps(data).encode())


def test_delete_account_removes_everything_of_the_learner_only(pair):
    heavy, other = pair
    others = ReviewLog.objects.filter(user=other).count()
    userdata.delete_account(user=heavy)
    assert not ReviewLog.objects.filter(user_id=heavy.pk).exists()
    assert not ReviewSchedule.objects.filter(user_id=heavy.pk).exists()
    assert not LearnerProfile.objects.filter(user_id=heavy.pk).exists()
    assert ReviewLog.objects.filter(user=other).count() == others


def test_dates_are_exported_in_utc(small_file):
    data = small_file
    moment = datetime.fromisoformat(data["reviews"][0]["reviewed_at"])
    assert moment.utcoffset() == timedelta(0)


# Version 1 files (before the serialised scheduler state) ------------------------


def as_version_1(data: dict) -> dict:
    """`data` as a version 1 export wrote it: SM-2's state spelled out in columns."""
    data = json.loads(json.dumps(data))
    data["version"] = 1

    def columns(state, suffix=""):
        names = ("repetitions", "interval_days", "ease")
        if suffix:
            names = ("repetitions", "interval", "ease")
        return {
            f"{n}{suffix}": state[key]
            for n, key in zip(
                names, ("repetitions", "interval_days", "ease"), strict=True
            )
        }

    for s in data["schedules"]:
        assert s.pop("scheduler") == "sm2"
        s.update(columns(s.pop("state")))
    for r in data["reviews"]:
        assert r.pop("scheduler") == "sm2"
        r.update(columns(r.pop("state_before"), "_before"))
        r.update(columns(r.pop("state_after"), "_after"))
    return data


def test_a_version_1_file_imports_to_the_same_data(small_file):
    old = as_version_1(small_file)
    assert "ease_before" in old["reviews"][0] and "state" not in old["schedules"][0]
    user = make_user(username="small-again")
    result = import_(user, json.dumps(old).encode())
    assert (result.schedules_added, result.reviews_added) == (3, 25)
    again = document(export(user))
    for key in ("settings", "schedules", "reviews"):
        assert again[key] == small_file[key]
    assert again["version"] == 3


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("schedules.0.ease", "1.00", r"schedules\[0\]\.state: ease must be at least"),
        ("reviews.0.interval_after", -1, r"reviews\[0\]\.state_after: interval_days"),
        ("reviews.0.ease_before", KeyError, "missing ease_before"),
    ],
)
def test_a_bad_version_1_file_says_where(small_file, path, value, message):
    data = mutate(as_version_1(small_file), path, value)
    with pytest.raises(userdata.UserDataError, match=message):
        userdata.parse_user_data(json.dumps(data).encode())
