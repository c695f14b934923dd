"""Admin: schedules and the review log, read-only (answers go through the services)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from cards.models import ReviewLog, ReviewSchedule
from cards.review import card_info
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
        "scheduler",
        "card_info_link",
    ]
    list_filter = ["question__level", "scheduler"]
    list_select_related = ["user", "question"]
    search_fields = ["user__username", "question__prompt"]
    date_hierarchy = "due_on"

    @admin.display(description="Card info")
    def card_info_link(self, obj: ReviewSchedule) -> str:
        url = reverse("admin:cards_reviewschedule_card_info", args=[obj.pk])
        return format_html('<a href="{}">Card info</a>', url)

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.card_info_view)
        return [
            path("<int:pk>/card-info/", view, name="cards_reviewschedule_card_info"),
            *super().get_urls(),
        ]

    def card_info_view(self, request: HttpRequest, pk: int) -> TemplateResponse:
        """The learner's card info page, for staff (read-only)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        schedule = get_object_or_404(
            ReviewSchedule.objects.select_related("user", "question"), pk=pk
        )
        context = {
            **self.admin_site.each_context(request),
            **card_info.context(schedule, now=timezone.now()),
            "title": f"Card info: {schedule.user} · {schedule.question}",
        }
        return TemplateResponse(request, "admin/cards/card_info.html", context)


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
