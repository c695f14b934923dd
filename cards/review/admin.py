"""Admin: schedules and the review log, read-only (answers go through the services)."""

from django.contrib import admin

from cards.models import ReviewLog, ReviewSchedule
from cards.web.admin import ReadOnlyAdmin


@admin.register(ReviewSchedule)
class ReviewScheduleAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "question",
        "due_on",
        "repetitions",
        "interval_days",
        "ease",
        "lapses",
    ]
    list_filter = ["question__level"]
    list_select_related = ["user", "question"]
    search_fields = ["user__username", "question__prompt"]
    date_hierarchy = "due_on"


@admin.register(ReviewLog)
class ReviewLogAdmin(ReadOnlyAdmin):
    list_display = [
        "reviewed_at",
        "user",
        "question",
        "kind",
        "grade",
        "due_after",
    ]
    list_filter = ["kind", "grade"]
    list_select_related = ["user", "question"]
    search_fields = ["user__username", "question__prompt"]
    date_hierarchy = "reviewed_at"
