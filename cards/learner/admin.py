"""Admin: learners' settings and their imports, read-only."""

from django.contrib import admin

from cards.models import DataImport, LearnerProfile
from cards.web.admin import ReadOnlyAdmin


@admin.register(LearnerProfile)
class LearnerProfileAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "time_zone",
        "rollover_hour",
        "new_cards_per_day",
        "reviews_per_day",
    ]
    search_fields = ["user__username"]
    list_select_related = ["user"]


@admin.register(DataImport)
class DataImportAdmin(ReadOnlyAdmin):
    """The "Your data" imports: support sees what failed and why, never the file."""

    list_display = ["user", "status", "file_name", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = [
        "user", "status", "file_name", "file_size", "schedules_added",
        "reviews_added", "schedules_kept", "error", "created_at", "started_at",
        "finished_at",
    ]  # fmt: skip
