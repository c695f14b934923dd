"""Mock interviews in "Your data" (version 3): one ["mock", {...}] line each.

A mock's answers name their question by key and their confirmation's log by
its `from_version` (with the question, that names one review of the file).
Key point ids are this installation's, so they are not exported; the verdict
shown in the debrief (`points`: statement and covered) is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from cards.learner.userdata_file import UserDataError, _fail, _value
from cards.mock import plan
from cards.mock.models import MockAnswer, MockInterview
from cards.models import Question, ReviewLog

MOCK_FIELDS = {
    "started_at",
    "study_day",
    "finished_at",
    "levels",
    "topics",
    "soon_at",
    "answers",
}
# name: (kind of userdata_file._value, or "bool"/"points"/"confidence"; nullable)
ANSWER_FIELDS: dict[str, tuple[str, bool]] = {
    "question": ("key", False),
    "position": ("count", False),
    "time_limit_s": ("count", False),
    "started_at": ("datetime", True),
    "deadline": ("datetime", True),
    "draft": ("text", False),
    "draft_saved_at": ("datetime", True),
    "text": ("text", False),
    "submitted_at": ("datetime", True),
    "is_late": ("bool", False),
    "confidence": ("confidence", True),
    "points": ("points", False),
    "score": ("score", True),
    "suggested_grade": ("grade", True),
    "grade": ("grade", True),
    "log_version": ("count", True),
}


def _out(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def export_mocks(user: AbstractBaseUser) -> Iterator[dict[str, Any]]:
    """The learner's mocks, oldest first (two queries)."""
    mocks = list(MockInterview.objects.filter(user=user).order_by("started_at", "pk"))
    answers: dict[int, list[dict]] = {}
    rows = (
        MockAnswer.objects.filter(mock__user=user)
        .select_related("question", "review_log")
        .order_by("mock_id", "position")
    )
    for a in rows:
        record = {
            name: _out(getattr(a, name))
            for name in ANSWER_FIELDS
            if name not in {"question", "log_version"}
        }
        record["question"] = a.question.key
        record["log_version"] = a.review_log.from_version if a.review_log else None
        answers.setdefault(a.mock_id, []).append(record)
    for m in mocks:
        yield {
            "started_at": _out(m.started_at),
            "study_day": _out(m.study_day),
            "finished_at": _out(m.finished_at),
            "levels": list(m.levels),
            "topics": list(m.topics),
            "soon_at": _out(m.soon_at),
            "answers": answers.get(m.pk, []),
        }


def _checked(kind: str, value: object, where: str) -> object:
    if kind == "bool":
        if not isinstance(value, bool):
            raise _fail(where, "must be true or false")
        return value
    if kind == "confidence":
        if isinstance(value, bool) or value not in (1, 2, 3):
            raise _fail(where, "must be 1, 2 or 3")
        return value
    if kind == "points":
        ok = isinstance(value, list) and len(value) <= 50
        ok = ok and all(
            isinstance(p, list)
            and len(p) == 2
            and isinstance(p[0], str)
            and len(p[0]) <= 1_000
            and isinstance(p[1], bool)
            for p in value
        )
        if not ok:
            raise _fail(where, "must be a list of [statement, covered] pairs")
        return value
    return _value(kind, value, where)


def check_mock(raw: object, where: str) -> dict[str, Any]:
    """A mock record of the file, validated (UserDataError says where)."""
    if not isinstance(raw, dict) or set(raw) != MOCK_FIELDS:
        raise _fail(where, f"must have exactly {', '.join(sorted(MOCK_FIELDS))}")
    out: dict[str, Any] = {
        "started_at": _value("datetime", raw["started_at"], f"{where}.started_at"),
        "study_day": _value("date", raw["study_day"], f"{where}.study_day"),
    }
    for name in ("finished_at", "soon_at"):
        value = raw[name]
        out[name] = (
            None if value is None else _value("datetime", value, f"{where}.{name}")
        )
    levels = raw["levels"]
    if not isinstance(levels, list) or not all(v in (1, 2, 3) for v in levels):
        raise _fail(f"{where}.levels", "must be a list of levels 1 to 3")
    out["levels"] = levels
    topics = raw["topics"]
    if not isinstance(topics, list) or not all(
        isinstance(t, str) and 0 < len(t) <= 80 for t in topics
    ):
        raise _fail(f"{where}.topics", "must be a list of topic slugs")
    out["topics"] = topics
    answers = raw["answers"]
    if not isinstance(answers, list) or not 1 <= len(answers) <= plan.MAX_COUNT:
        raise _fail(f"{where}.answers", f"must list 1 to {plan.MAX_COUNT} answers")
    out["answers"] = []
    for i, a in enumerate(answers):
        at = f"{where}.answers[{i}]"
        if not isinstance(a, dict) or set(a) != set(ANSWER_FIELDS):
            raise _fail(at, f"must have exactly {', '.join(ANSWER_FIELDS)}")
        record = {}
        for name, (kind, nullable) in ANSWER_FIELDS.items():
            if a[name] is None and nullable:
                record[name] = None
            elif a[name] is None:
                raise _fail(f"{at}.{name}", "must not be empty")
            else:
                record[name] = _checked(kind, a[name], f"{at}.{name}")
        out["answers"].append(record)
    if len({a["position"] for a in out["answers"]}) != len(answers) or len(
        {a["question"] for a in out["answers"]}
    ) != len(answers):
        raise _fail(f"{where}.answers", "repeat a position or a question")
    return out


def import_mocks(user: AbstractBaseUser, mocks: Iterable[dict[str, Any]]) -> int:
    """Restore the file's mocks; one that starts when one of the account's does
    is already there (importing twice adds nothing). Returns how many were added."""
    mocks = list(mocks)
    keys = {a["question"] for m in mocks for a in m["answers"]}
    questions = {q.key: q for q in Question.objects.filter(key__in=keys)}
    unknown = sorted(keys - questions.keys())
    if unknown:
        raise UserDataError(
            f"{len(unknown)} question(s) of the mock interviews are not in this "
            f"question bank: {', '.join(unknown[:5])}"
        )
    have = set(
        MockInterview.objects.filter(user=user).values_list("started_at", flat=True)
    )
    logs = {
        (key, v): pk
        for pk, key, v in ReviewLog.objects.filter(
            user=user, kind="mock", question__key__in=keys, mock_answer__isnull=True
        ).values_list("pk", "question__key", "from_version")
    }
    added = 0

    def log_of(answer: dict[str, Any]) -> int | None:
        # Each log confirms one answer (a file naming one twice links it once).
        return logs.pop((answer["question"], answer["log_version"]), None)

    for m in mocks:
        if m["started_at"] in have:
            continue
        fields = {k: v for k, v in m.items() if k != "answers"}
        mock = MockInterview.objects.create(user=user, **fields)
        MockAnswer.objects.bulk_create(
            MockAnswer(
                mock=mock,
                question=questions[a["question"]],
                review_log_id=log_of(a),
                **{k: v for k, v in a.items() if k not in {"question", "log_version"}},
            )
            for a in m["answers"]
        )
        added += 1
    return added
