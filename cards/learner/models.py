"""The learner domain's tables: usernames' skeletons (issue 14), pending imports.

Imported by cards/models.py, so that the app registry (one app label) finds it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class UsernameSkeleton(models.Model):
    """The TR39 skeleton of a username (cards/learner/usernames.py), to refuse
    look-alikes at sign-up with one indexed lookup."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="username_skeleton",
    )
    # The username it was computed from: a rename leaves the row stale, and a
    # stale row counts as missing (the check computes those users' keys).
    username = models.CharField(max_length=150)
    skeleton = models.CharField(max_length=600, unique=True)

    def __str__(self) -> str:
        return f"Skeleton of {self.username}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


PENDING_IMPORT = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class DataImportQuerySet(models.QuerySet):
    def pending(self) -> DataImportQuerySet:
        return self.filter(status__in=PENDING_IMPORT)


class DataImport(models.Model):
    """A "Your data" upload waiting for, or run by, a worker (cards/learner/imports.py).

    The file's bytes wait in DataImportChunk rows (app servers share no disk,
    workers may be on other machines) and are deleted once it has run.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_imports"
    )
    status = models.CharField(
        max_length=10, choices=ImportStatus, default=ImportStatus.QUEUED
    )
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField()
    schedules_added = models.PositiveIntegerField(null=True, blank=True)
    reviews_added = models.PositiveIntegerField(null=True, blank=True)
    schedules_kept = models.PositiveIntegerField(null=True, blank=True)
    # What the learner is told when it failed (nothing was written then).
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DataImportQuerySet.as_manager()

    class Meta:
        constraints = [
            # One import at a time per learner: a second one is refused.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_pending_import_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.user_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_IMPORT


class DataImportChunk(models.Model):
    """One piece (at most 1 MiB) of a waiting import's file, in order."""

    data_import = models.ForeignKey(
        DataImport, on_delete=models.CASCADE, related_name="chunks"
    )
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["data_import", "number"], name="import_chunk_number"
            )
        ]

    def __str__(self) -> str:
        return f"Chunk {self.number} of import {self.data_import_id}"
