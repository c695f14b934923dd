"""A "Your data" import on the job queue: checked and stored in the request, run by a worker.

The request checks what is cheap (the size, gzip, the header line and the
schedules of a version 3 file; a version 1/2 document whole, 20 MB at most),
stores the file in DataImportChunk rows and enqueues `cards.tasks.run_data_import`
once that is committed. The worker runs `userdata.import_user_data` in one
transaction together with the import's own row: the learner's data and
"done" commit together, so a job run twice (a retry, a second worker) finds
"done" and writes nothing, and a failure records its message and nothing else.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime, timedelta
from typing import IO

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cards.learner import userdata
from cards.learner.models import DataImport, DataImportChunk, ImportStatus

log = logging.getLogger(__name__)

CHUNK_BYTES = 2**20
# A pending import older than this (its worker died, or none ran) no longer
# holds the learner's turn: it is marked failed when they start another.
STALE_AFTER = timedelta(hours=1)
SPOOL_BYTES = 8 * 2**20  # a worker's copy of the file stays in memory below this

BUSY = (
    "An import of yours is already waiting or running: wait for it to finish "
    "(its progress is shown above), then try again."
)
STALE = "It did not finish within an hour (the server stopped?). Nothing was imported."
IN_HAND = (
    "It is being imported right now and can no longer be stopped; it will "
    "finish in a moment."
)
UNEXPECTED = (
    "Something went wrong on our side while importing. Nothing was imported; "
    "please try again later."
)


class ImportBusy(userdata.UserDataError):
    """The learner already has an import queued or running."""


class ImportInHand(userdata.UserDataError):
    """A worker is importing it now: too late to cancel."""


def latest_for(user: AbstractBaseUser) -> DataImport | None:
    return DataImport.objects.filter(user=user).order_by("-created_at", "-pk").first()


def _expire_stale(user: AbstractBaseUser, now: datetime) -> None:
    # SKIP LOCKED: a row a worker holds is being imported right now, however old.
    stale = DataImport.objects.select_for_update(skip_locked=True).filter(
        user=user, created_at__lt=now - STALE_AFTER
    )
    for job in stale.pending():
        _finish(job, now=now, status=ImportStatus.FAILED, error=STALE)


def start_import(
    *, user: AbstractBaseUser, upload: UploadedFile, now: datetime
) -> DataImport:
    """Check `upload` cheaply, store it and queue its import; raises UserDataError."""
    from cards import tasks

    # Raises UserDataError for a file that is not ours (nothing is stored).
    userdata.read_user_data(upload)
    upload.seek(0)
    with transaction.atomic():
        _expire_stale(user, now)
        if DataImport.objects.filter(user=user).pending().exists():
            raise ImportBusy(BUSY)
        try:
            with transaction.atomic():
                job = DataImport.objects.create(
                    user=user,
                    file_name=(upload.name or "")[:255],
                    file_size=upload.size or 0,
                    created_at=now,
                )
        except IntegrityError:  # another request of theirs got in first
            raise ImportBusy(BUSY) from None
        # Only the latest import's outcome is shown: older rows go.
        DataImport.objects.filter(user=user).exclude(pk=job.pk).delete()
        # Read in pieces (UploadedFile.chunks gives an in-memory file whole).
        pieces = iter(lambda: upload.read(CHUNK_BYTES), b"")
        for number, piece in enumerate(pieces):
            DataImportChunk.objects.create(data_import=job, number=number, data=piece)
        # After the commit: a worker must find the row and its file.
        transaction.on_commit(lambda: tasks.run_data_import.enqueue(import_id=job.pk))
    return job


def cancel_import(
    *, user: AbstractBaseUser, import_id: int, now: datetime
) -> DataImport:
    """Cancel the learner's import unless a worker has it in hand (ImportInHand).

    A queued import, or one left "running" by a worker that died (its row is
    no longer locked), is cancelled: its file goes and its job, if it ever
    runs, finds nothing to do. A finished one is returned as it is. Raises
    DataImport.DoesNotExist for an import that is not the learner's.
    """
    with transaction.atomic():
        job = (
            DataImport.objects.select_for_update(skip_locked=True)
            .filter(pk=import_id, user=user)
            .first()
        )
        if job is None:
            # Locked (a worker is importing it) or not theirs at all.
            DataImport.objects.get(pk=import_id, user=user)
            raise ImportInHand(IN_HAND)
        if job.is_pending:
            _finish(job, now=now, status=ImportStatus.CANCELLED)
    return job


def _file_of(job: DataImport) -> IO[bytes]:
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    pieces = job.chunks.order_by("number").values_list("data", flat=True)
    for piece in pieces.iterator(chunk_size=4):
        copy.write(bytes(piece))
    copy.seek(0)
    return copy


def _finish(job: DataImport, *, now: datetime, status: str, error: str = "") -> None:
    job.status, job.error, job.finished_at = status, error, now
    job.save(update_fields=["status", "error", "finished_at"])
    job.chunks.all().delete()


def run_import(*, import_id: int, now: datetime) -> str:
    """Import a queued upload, once; returns its status ("skipped" if not ours to run)."""
    # Shown as running while the import's transaction is open.
    DataImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=now
    )
    with transaction.atomic():
        # Locked for the whole import: another run of this job skips it, and a
        # row still "running" but unlocked is one whose worker died (its
        # transaction rolled back, so nothing of it was written): run it.
        job = (
            DataImport.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(pk=import_id, status=ImportStatus.RUNNING)
            .first()
        )
        if job is None:  # done, failed, deleted with its account, or in hand
            return "skipped"
        try:
            with transaction.atomic(), _file_of(job) as file:
                data = userdata.read_user_data(file)
                result = userdata.import_user_data(user=job.user, data=data, now=now)
        except userdata.UserDataError as error:
            failed = str(error)
        except Exception:
            log.exception("data import %s failed", import_id)
            failed = UNEXPECTED
        else:
            failed = ""
            job.schedules_added = result.schedules_added
            job.reviews_added = result.reviews_added
            job.schedules_kept = result.schedules_kept
            job.save(
                update_fields=["schedules_added", "reviews_added", "schedules_kept"]
            )
        # The clock again: a large import takes a while after `now`.
        status = ImportStatus.FAILED if failed else ImportStatus.DONE
        _finish(job, now=max(now, timezone.now()), status=status, error=failed)
    return job.status
