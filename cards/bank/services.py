"""Question bank writes: imports, edits with revisions, substantial-edit notices.

Every function that writes runs in one transaction: an import or an edit is
applied whole or not at all. Parsing and serialising live in `cards.bank`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cards.bank import anki, conflicts, revisions
from cards.bank import formats as bank
from cards.bank.topic_writes import (  # noqa: F401
    ensure_topics,  # noqa: F401 - callers use services
    set_topics,
    topics_named,
)
from cards.models import (
    KeyPoint,
    LearnerProfile,
    Level,
    Question,
    QuestionRevision,
    ReviewSchedule,
    RevisionSource,
)

# A substantial edit brings a known question back by the learner's next study day.
RESURFACE_WITHIN = timedelta(days=1)


class PlanChanged(Exception):
    """The bank changed between an import's preview and its confirmation."""


def point_data(point: KeyPoint) -> bank.KeyPointData:
    return bank.KeyPointData(
        statement=point.statement,
        aliases=tuple(point.alias_list),
        is_must=point.is_must,
        is_misconception=point.is_misconception,
    )


def as_data(question: Question) -> bank.QuestionData:
    """The question as the formats see it; its key points read from the database
    (or the prefetch cache), in order."""
    points = (
        tuple(point_data(p) for p in question.key_points.all()) if question.pk else ()
    )
    return bank.QuestionData(
        key=question.key,
        level=question.level,
        position=question.position,
        prompt=question.prompt,
        answer=question.answer,
        is_active=question.is_active,
        key_points=points,
        # Empty reads as "not said", as a file without the lines does.
        topics=tuple(t.name for t in question.topics.all()) or None
        if question.pk
        else None,
        sources=tuple(question.source_list) or None,
        verified_on=question.verified_on,
    )


def points_text(points: tuple[bank.KeyPointData, ...] | None) -> str:
    return "\n".join(p.as_line() for p in points or ())


def replace_key_points(
    question: Question, points: tuple[bank.KeyPointData, ...]
) -> None:
    question.key_points.all().delete()
    getattr(question, "_prefetched_objects_cache", {}).pop("key_points", None)
    KeyPoint.objects.bulk_create(
        KeyPoint(
            question=question,
            order=order,
            statement=p.statement,
            aliases="; ".join(p.aliases),
            is_must=p.is_must,
            is_misconception=p.is_misconception,
        )
        for order, p in enumerate(points, start=1)
    )


def bank_data(*, active_only: bool = False) -> list[bank.QuestionData]:
    questions = Question.objects.order_by("level", "position", "key").prefetch_related(
        "key_points", "topics"
    )
    if active_only:
        questions = questions.active()
    return [as_data(q) for q in questions]


def _describe(old: bank.QuestionData | None, new: bank.QuestionData) -> str:
    if old is None:
        return "created"
    parts = [f"key {old.key} -> {new.key}"] if old.key != new.key else []
    for name in bank.changed_fields(old, new):
        if name == "level":
            parts.append(f"level {Level(old.level).label} -> {Level(new.level).label}")
        elif name == "position":
            parts.append(f"position {old.position} -> {new.position}")
        elif name == "is_active":
            parts.append("reactivated" if new.is_active else "deactivated")
        elif name == "key_points":
            parts.append("key points")
        elif name == "verified_on":
            parts.append("verified date")
        else:
            parts.append(name)
    return "; ".join(parts)[:200]


def _revise(
    question: Question,
    *,
    old: bank.QuestionData | None,
    editor: AbstractBaseUser | None,
    now: datetime,
    source: str,
    substantial: bool = False,
) -> QuestionRevision:
    """An unsaved revision of `question` (now saved) against its `old` text."""
    new = as_data(question)
    return QuestionRevision(
        question=question,
        editor=editor if editor and editor.is_authenticated else None,
        created_at=now,
        source=source,
        changed=_describe(old, new),
        is_substantial=substantial,
        old_prompt=old.prompt if old else "",
        new_prompt=question.prompt,
        old_answer=old.answer if old else "",
        new_answer=question.answer,
        old_key_points=points_text(old.key_points) if old else "",
        new_key_points=points_text(new.key_points),
    )


@transaction.atomic
def save_question(
    *,
    question: Question,
    editor: AbstractBaseUser | None,
    now: datetime,
    substantial: bool = False,
) -> tuple[QuestionRevision | None, int]:
    """Save an edited (or new) question and keep a revision of what changed.

    A substantial edit of the prompt or answer brings the question back within
    a day for every learner who already knows it, with a note that it changed.
    Returns the revision (None when nothing changed) and that learner count.
    """
    stored = None
    if question.pk:
        stored = Question.objects.select_for_update().filter(pk=question.pk).first()
    old = as_data(stored) if stored else None
    question.save()
    if old == as_data(question):
        return None, 0
    text_changed = old is not None and (
        old.prompt != question.prompt or old.answer != question.answer
    )
    substantial = substantial and text_changed
    revision = _revise(
        question,
        old=old,
        editor=editor,
        now=now,
        source=RevisionSource.ADMIN,
        substantial=substantial,
    )
    revision.save()
    learners = resurface(revision=revision, now=now) if substantial else 0
    settle_unseen_changes(question_ids=[question.pk])
    return revision, learners


@transaction.atomic
def record_key_point_edit(
    *,
    question: Question,
    before: tuple[bank.KeyPointData, ...],
    editor: AbstractBaseUser | None,
    now: datetime,
) -> QuestionRevision | None:
    """Keep a revision of an edit of `question`'s key points (the admin inline)."""
    after = tuple(point_data(p) for p in question.key_points.all())
    if after == before:
        return None
    return QuestionRevision.objects.create(
        question=question,
        editor=editor if editor and editor.is_authenticated else None,
        created_at=now,
        source=RevisionSource.ADMIN,
        changed="key points",
        old_prompt=question.prompt,
        new_prompt=question.prompt,
        old_answer=question.answer,
        new_answer=question.answer,
        old_key_points=points_text(before),
        new_key_points=points_text(after),
    )


def resurface(*, revision: QuestionRevision, now: datetime) -> int:
    """Bring `revision`'s question back for learners who know it (repetitions > 0).

    Only the due date moves (to the learner's next study day at the latest);
    the SM-2 state, the version and the history stay. A learner who has not
    yet seen an earlier substantial change keeps that one, so the diff they
    get spans everything since they last answered.
    """
    schedules = list(
        ReviewSchedule.objects.select_for_update().filter(
            question_id=revision.question_id, repetitions__gt=0
        )
    )
    profiles = {
        p.user_id: p
        for p in LearnerProfile.objects.filter(
            user_id__in=[s.user_id for s in schedules]
        )
    }
    for schedule in schedules:
        profile = profiles.get(schedule.user_id) or LearnerProfile()
        latest = profile.study_day(now) + RESURFACE_WITHIN
        schedule.due_on = min(schedule.due_on, latest)
        if schedule.unseen_change_id is None:
            schedule.unseen_change = revision
    ReviewSchedule.objects.bulk_update(schedules, ["due_on", "unseen_change"])
    return len(schedules)


def settle_unseen_changes(*, question_ids: list[int]) -> int:
    """Drop the note of learners whose question reads again as they last saw it.

    After an edit or an import reverts a rewrite, the note would point at no
    difference. Returns the number of notes dropped.
    """
    schedules = list(
        ReviewSchedule.objects.select_for_update()
        .filter(question_id__in=question_ids, unseen_change__isnull=False)
        .select_related("question", "unseen_change")
    )
    history: dict[int, list[QuestionRevision]] = {}
    for revision in QuestionRevision.objects.filter(
        question_id__in={s.question_id for s in schedules}
    ).order_by("created_at", "id"):
        history.setdefault(revision.question_id, []).append(revision)
    settled = []
    for schedule in schedules:
        question = schedule.question
        now = (question.prompt, question.answer)
        seen = revisions.seen_text(
            history.get(question.pk, []),
            last_answered=schedule.last_reviewed_at,
            unseen=schedule.unseen_change,
            now=now,
        )
        if seen == now:
            schedule.unseen_change = None
            settled.append(schedule)
    ReviewSchedule.objects.bulk_update(settled, ["unseen_change"])
    return len(settled)


@transaction.atomic
def import_questions(
    *,
    parsed: bank.ParseResult,
    editor: AbstractBaseUser | None,
    now: datetime,
    dry_run: bool = False,
    expected: str | None = None,
    resolutions: Mapping[str, str] | None = None,
) -> bank.ImportPlan:
    """Create new questions and update matching ones (by key), all or nothing.

    `expected` is the fingerprint of the plan a person previewed: when the
    bank changed since, PlanChanged is raised and nothing is written. An
    update that would revert a later revision (cards/bank/conflicts.py) needs
    a choice in `resolutions` (key -> "keep" or "take"), else
    UnresolvedConflicts is raised and nothing is written.
    """
    questions = parsed.questions
    keys = [q.key for q in questions]
    stored = {
        q.key: q
        for q in Question.objects.select_for_update()
        .filter(key__in=keys)
        .prefetch_related("key_points", "topics")
    }
    plan = bank.plan_import(
        questions,
        {key: as_data(q) for key, q in stored.items()},
        bank_size=Question.objects.count(),
        repairs=parsed.repairs,
    )
    if expected is not None and plan.fingerprint() != expected:
        raise PlanChanged("The question bank changed since the preview.")
    if dry_run:
        return plan
    choices = resolutions or {}
    found = conflicts.find(plan)
    unresolved = {
        key: c for key, c in found.items() if choices.get(key) not in conflicts.CHOICES
    }
    if unresolved:
        raise conflicts.UnresolvedConflicts(unresolved)
    kept = {key for key in found if choices[key] == conflicts.KEEP}
    made = []
    topics_seen: dict = {}  # name -> Topic, looked up once per import
    for change in plan.changes:
        new = change.new
        if new.key in kept:
            continue
        if change.action == "create":
            question = Question(
                key=new.key,
                level=new.level,
                position=new.position,
                prompt=new.prompt,
                answer=new.answer,
                is_active=True if new.is_active is None else new.is_active,
                sources="\n".join(new.sources or ()),
                verified_on=new.verified_on,
            )
        elif change.action == "update":
            question = stored[new.key]
            for name in change.fields:
                if name == "sources":
                    question.sources = "\n".join(new.sources)
                elif name not in {"key_points", "topics"}:
                    setattr(question, name, getattr(new, name))
        else:
            continue
        try:
            # Keys were checked against the file and the locked rows above, and
            # the level's check constraint is enforced by the database too.
            question.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problem = bank.Problem(new.line, "; ".join(exc.messages))
            raise bank.BankError([problem]) from None
        question.save()
        if new.key_points is not None and (
            change.action == "create" or "key_points" in change.fields
        ):
            replace_key_points(question, new.key_points)
        if new.topics is not None and (
            change.action == "create" or "topics" in change.fields
        ):
            set_topics(question, new.topics, known=topics_seen)
        made.append(
            _revise(
                question,
                old=change.old,
                editor=editor,
                now=now,
                source=RevisionSource.IMPORT,
            )
        )
    QuestionRevision.objects.bulk_create(made)
    settle_unseen_changes(question_ids=[r.question_id for r in made])
    return plan


PACK_STAGE = 1  # packs come after the seed (stage 0) in study order


@transaction.atomic
def load_pack(data: bytes, *, now: datetime) -> int:
    """Create a pack's questions, in stage PACK_STAGE, if none of them is stored.

    A pack already (even partly) in the bank is left alone: its questions may
    have been edited or retired, and a deleted one stays deleted.
    """
    parsed = bank.parse_markdown(bank.decode(data))
    keys = [q.key for q in parsed.questions]
    if Question.objects.filter(key__in=keys).exists():
        return 0
    import_questions(parsed=parsed, editor=None, now=now)
    return Question.objects.filter(key__in=keys).update(stage=PACK_STAGE)


def set_questions_active(*, questions: QuerySet[Question], is_active: bool) -> int:
    """Activate or retire questions in bulk; schedules and history stay."""
    return questions.update(is_active=is_active, updated_at=timezone.now())


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


EXPORT_TYPES = {
    "markdown": ("text/markdown; charset=utf-8", "md"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "apkg": ("application/apkg", "apkg"),
}


def export(fmt: str) -> Export:
    """The whole bank in `fmt`; an Anki deck holds the active questions only."""
    content_type, extension = EXPORT_TYPES[fmt]
    if fmt == "apkg":
        questions = (
            Question.objects.active()
            .order_by("level", "position", "key")
            .prefetch_related("topics", "key_points")
        )
        content = anki.build_package(questions)
    else:
        content = bank.serialise(bank_data(), fmt).encode()
    return Export(content, content_type, f"genai-prep-questions.{extension}")
