"""Admin: learners' settings, read-only."""

from django.contrib import admin

from cards.models import LearnerProfile
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
