"""An import on the job queue: stored, run once by the task, failed whole."""

import gzip
import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.urls import reverse

from cards import tasks
from cards.learner import imports, userdata
from cards.learner.userdata_file import REVIEW_FIELDS
from cards.models import (
    DataImport,
    DataImportChunk,
    LearnerProfile,
    Question,
    ReviewLog,
    ReviewSchedule,
)
from tests.factories import make_schedule, make_user
from tests.learner.test_data import export, study
from tests.reminders.smtp import db_queue, run_worker  # noqa: F401 (fixture)


def upload(blob: bytes, name: str = "mine.jsonl.gz") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, blob, content_type="application/gzip")


@pytest.fixture
def history(db):
    """An exported file of 3 questions and 12 answers, from another account."""
    source = make_user(username="source", new_cards_per_day=7)
    questions = [make_schedule(user=source).question for _ in range(3)]
    ReviewSchedule.objects.filter(user=source).delete()
    study(source, questions, reviews=12)
    return export(source)


def start(user, blob: bytes, clock, **kwargs) -> DataImport:
    return imports.start_import(user=user, upload=upload(blob, **kwargs), now=clock.now)


def committed(user, blob: bytes, clock, settings) -> DataImport:
    """An import committed with its job left unrun (for threads to run it)."""
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    return start(user, blob, clock)


ROW_LOCKS = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks: SQLite serialises the two transactions instead",
)


def rows(user) -> tuple[int, int]:
    return (
        ReviewSchedule.objects.filter(user=user).count(),
        ReviewLog.objects.filter(user=user).count(),
    )


def test_start_stores_the_file_and_enqueues_on_commit(
    user, history, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        job = start(user, history, clock)
    assert len(queued) == 1  # on commit only: a worker must find the row
    assert (job.status, job.file_name, job.file_size) == (
        "queued",
        "mine.jsonl.gz",
        len(history),
    )
    stored = b"".join(
        bytes(c) for c in job.chunks.order_by("number").values_list("data", flat=True)
    )
    assert stored == history
    assert rows(user) == (0, 0)  # nothing imported in the request


def test_the_task_imports_once_and_a_second_run_writes_nothing(user, history, clock):
    job = start(user, history, clock)
    assert tasks.run_data_import.call(import_id=job.pk) == "done"
    job.refresh_from_db()
    assert (job.schedules_added, job.reviews_added, job.schedules_kept) == (3, 12, 0)
    assert job.finished_at == clock.now and job.error == ""
    assert not job.chunks.exists()  # the file is deleted once imported
    assert rows(user) == (3, 12)
    assert LearnerProfile.objects.get(user=user).new_cards_per_day == 7
    # The same job again (a retry, a second worker): found done, skipped.
    assert tasks.run_data_import.call(import_id=job.pk) == "skipped"
    assert rows(user) == (3, 12)
    job.refresh_from_db()
    assert job.reviews_added == 12


def test_a_job_left_running_by_a_dead_worker_runs_once(user, history, clock):
    job = start(user, history, clock)
    # A worker set it running, then died: its transaction wrote nothing.
    DataImport.objects.filter(pk=job.pk).update(status="running")
    assert imports.run_import(import_id=job.pk, now=clock.now) == "done"
    assert imports.run_import(import_id=job.pk, now=clock.now) == "skipped"
    assert rows(user) == (3, 12)


def test_a_file_split_in_many_chunks_imports_whole(user, history, clock, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_BYTES", 97)
    job = start(user, history, clock)
    assert job.chunks.count() == -(-len(history) // 97) > 3
    assert imports.run_import(import_id=job.pk, now=clock.now) == "done"
    assert rows(user) == (3, 12)


def _unknown_question(blob: bytes) -> bytes:
    Question.objects.filter(pk=Question.objects.order_by("pk").first().pk).update(
        key="gone-from-the-bank"
    )
    return blob


def _bad_last_review(blob: bytes) -> bytes:
    # The header and schedules are fine (checked in the request); the last
    # review names a version its schedule never had (read by the worker).
    lines = gzip.decompress(blob).splitlines(keepends=True)
    record = json.loads(lines[-2])
    assert record[0] == "review"
    record[1 + REVIEW_FIELDS.index("from_version")] = 999
    lines[-2] = json.dumps(record).encode() + b"\n"
    return gzip.compress(b"".join(lines))


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (_unknown_question, "not in this question bank"),
        (_bad_last_review, "does not fit its schedule's version"),
    ],
)
def test_a_bad_file_fails_with_its_reason_and_writes_nothing(
    user, history, clock, spoil, reason
):
    blob = spoil(history)
    before = list(LearnerProfile.objects.filter(user=user).values())
    job = start(user, blob, clock)
    assert tasks.run_data_import.call(import_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and reason in job.error, job.error
    assert job.finished_at == clock.now and job.reviews_added is None
    assert rows(user) == (0, 0)
    assert list(LearnerProfile.objects.filter(user=user).values()) == before
    assert not DataImportChunk.objects.exists()
    assert imports.run_import(import_id=job.pk, now=clock.now) == "skipped"


def test_a_file_that_is_not_ours_is_refused_in_the_request(user, clock):
    with pytest.raises(userdata.UserDataError, match="not JSON"):
        start(user, b"not json", clock)
    assert not DataImport.objects.exists()


def test_one_import_at_a_time_per_learner(user, other_user, history, clock):
    first = start(user, history, clock)
    with pytest.raises(imports.ImportBusy, match="already waiting or running"):
        start(user, history, clock)
    start(other_user, history, clock)  # another learner's turn is their own
    DataImport.objects.filter(pk=first.pk).update(status="running")
    with pytest.raises(imports.ImportBusy):
        start(user, history, clock)
    # The database holds the rule too, whatever the caller checked.
    with pytest.raises(IntegrityError):
        DataImport.objects.create(
            user=user, file_name="x", file_size=1, created_at=clock.now
        )


def test_after_an_import_the_next_replaces_its_record(user, history, clock):
    first = start(user, history, clock)
    imports.run_import(import_id=first.pk, now=clock.now)
    second = start(user, history, clock)
    assert list(DataImport.objects.filter(user=user)) == [second]
    assert imports.latest_for(user) == second


def test_an_import_pending_for_an_hour_gives_way(user, history, clock):
    stuck = start(user, history, clock)  # no worker ever ran it
    clock.shift(minutes=59)
    with pytest.raises(imports.ImportBusy):
        start(user, history, clock)
    clock.shift(minutes=2)
    fresh = start(user, history, clock)
    assert fresh.status == "queued"
    assert not DataImport.objects.filter(pk=stuck.pk).exists()
    # Its job, run at last, finds nothing to do.
    assert imports.run_import(import_id=stuck.pk, now=clock.now) == "skipped"
    assert rows(user) == (0, 0)


def test_deleting_the_account_removes_its_pending_import(user, history, clock):
    job = start(user, history, clock)
    userdata.delete_account(user=user)
    assert not DataImport.objects.exists() and not DataImportChunk.objects.exists()
    assert imports.run_import(import_id=job.pk, now=clock.now) == "skipped"


@pytest.mark.django_db(transaction=True)  # the worker's own transactions
@pytest.mark.usefixtures("db_queue")
def test_on_the_real_queue_the_worker_runs_it_and_a_duplicate_job_is_harmless(
    user, history, clock
):
    job = start(user, history, clock)  # committed: its job row is enqueued
    assert rows(user) == (0, 0)  # a job row now waits for a worker
    assert run_worker() == 1
    job.refresh_from_db()
    assert job.status == "done" and rows(user) == (3, 12)
    tasks.run_data_import.enqueue(import_id=job.pk)  # the same job, twice
    assert run_worker() == 1
    assert rows(user) == (3, 12)


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_job_import_it_once(user, history, clock, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    job = start(user, history, clock)  # committed, its job left to the threads
    barrier, results = threading.Barrier(2), []

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(imports.run_import(import_id=job.pk, now=clock.now))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # PostgreSQL: the second skips the locked row; SQLite: it waits its turn
    # (IMMEDIATE) and then finds it done.
    assert sorted(results) == ["done", "skipped"]
    assert rows(user) == (3, 12)


def test_a_waiting_import_is_cancelled_and_its_job_finds_nothing(user, history, clock):
    job = start(user, history, clock)
    clock.shift(minutes=5)
    cancelled = imports.cancel_import(user=user, import_id=job.pk, now=clock.now)
    assert (cancelled.status, cancelled.error) == ("cancelled", "")
    assert cancelled.finished_at == clock.now
    assert not DataImportChunk.objects.exists()  # the file is gone at once
    assert imports.run_import(import_id=job.pk, now=clock.now) == "skipped"
    assert rows(user) == (0, 0)
    assert start(user, history, clock).status == "queued"  # their turn is free


def test_an_import_left_running_by_a_dead_worker_can_be_cancelled(user, history, clock):
    job = start(user, history, clock)
    # A worker marked it running, then died: its transaction never committed.
    DataImport.objects.filter(pk=job.pk).update(status="running")
    assert imports.cancel_import(user=user, import_id=job.pk, now=clock.now).status == (
        "cancelled"
    )
    assert imports.run_import(import_id=job.pk, now=clock.now) == "skipped"
    assert rows(user) == (0, 0)


def test_a_finished_import_is_not_changed_by_a_cancel(user, history, clock):
    job = start(user, history, clock)
    imports.run_import(import_id=job.pk, now=clock.now)
    assert imports.cancel_import(user=user, import_id=job.pk, now=clock.now).status == (
        "done"
    )
    assert rows(user) == (3, 12)


def test_another_learners_import_cannot_be_cancelled(user, other_user, history, clock):
    job = start(user, history, clock)
    with pytest.raises(DataImport.DoesNotExist):
        imports.cancel_import(user=other_user, import_id=job.pk, now=clock.now)
    job.refresh_from_db()
    assert job.status == "queued" and DataImportChunk.objects.exists()


def _hold_the_import(job, clock, monkeypatch, *, then) -> list[str]:
    """A worker importing `job` pauses mid-import while `then()` runs beside it."""
    inside, release, results = threading.Event(), threading.Event(), []
    real = userdata.import_user_data

    def slow_import(**kwargs):
        result = real(**kwargs)  # its rows are written, not yet committed
        inside.set()
        release.wait(timeout=30)
        return result

    def worker() -> None:
        try:
            results.append(imports.run_import(import_id=job.pk, now=clock.now))
        finally:
            connection.close()

    monkeypatch.setattr(userdata, "import_user_data", slow_import)
    thread = threading.Thread(target=worker)
    try:
        thread.start()
        assert inside.wait(timeout=30)
        results.append(then())
    finally:
        release.set()
        thread.join(timeout=60)
    return results


def _wait_until_blocked() -> None:
    """PostgreSQL: until another session waits for a lock (SQLite: a moment)."""
    for _ in range(200):
        if connection.vendor != "postgresql":
            threading.Event().wait(0.2)
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
        threading.Event().wait(0.05)
    raise AssertionError("the deletion never waited for the import")


@ROW_LOCKS
@pytest.mark.django_db(transaction=True)
def test_an_import_in_a_workers_hands_is_too_late_to_cancel(
    user, history, clock, settings, monkeypatch
):
    job = committed(user, history, clock, settings)

    def cancel() -> str:
        with pytest.raises(imports.ImportInHand, match="being imported right now"):
            imports.cancel_import(user=user, import_id=job.pk, now=clock.now)
        return "refused"

    assert _hold_the_import(job, clock, monkeypatch, then=cancel) == [
        "refused",
        "done",
    ]
    assert rows(user) == (3, 12)


@pytest.mark.django_db(transaction=True)
def test_deleting_the_account_during_its_import_leaves_nothing(
    user, history, clock, settings, monkeypatch
):
    job = committed(user, history, clock, settings)

    user_id, deleter = user.pk, threading.Thread(target=_delete_in_thread, args=(user,))

    def delete() -> str:
        # Waits for the import's commit (PostgreSQL: its row lock; SQLite: the
        # write lock), then removes everything it wrote.
        deleter.start()
        _wait_until_blocked()
        return "deleting"

    results = _hold_the_import(job, clock, monkeypatch, then=delete)
    deleter.join(timeout=60)
    assert not deleter.is_alive()
    assert results == ["deleting", "done"]
    assert not DataImport.objects.exists() and not DataImportChunk.objects.exists()
    for model in (ReviewSchedule, ReviewLog, LearnerProfile):
        assert not model.objects.filter(user_id=user_id).exists()


def _delete_in_thread(user) -> None:
    try:
        userdata.delete_account(user=user)
    finally:
        connection.close()


@ROW_LOCKS
@pytest.mark.django_db(transaction=True)
def test_the_status_page_says_when_it_is_too_late_to_cancel(
    user, history, clock, settings, monkeypatch, client
):
    job = committed(user, history, clock, settings)
    client.force_login(user)
    url = reverse("cards:account_import_cancel", args=[job.pk])
    answers = []

    def cancel() -> str:
        answers.append(client.post(url, headers={"HX-Request": "true"}))
        answers.append(client.post(url))
        return "asked"

    assert _hold_the_import(job, clock, monkeypatch, then=cancel) == ["asked", "done"]
    for r in answers:
        assert r.status_code == 409
        assert "being imported right now and can no longer be stopped" in r.text
        assert "Importing mine.jsonl.gz" in r.text
    assert "<html" not in answers[0].text and "<html" in answers[1].text
    assert rows(user) == (3, 12)
