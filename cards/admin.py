"""Admin: the question bank for staff; schedules and the review log read-only."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cards.bank.admin import QuestionBankAdminMixin  # question bank (issue 5)
from cards.models import LearnerProfile, Question, ReviewLog, ReviewSchedule
from cards.review import services


@admin.register(Question)
class QuestionAdmin(QuestionBankAdminMixin, admin.ModelAdmin):
    list_display = ["prompt_excerpt", "level", "position", "is_active", "updated_at"]
    list_display_links = ["prompt_excerpt"]
    list_editable = ["position"]
    list_filter = ["level", "is_active"]
    search_fields = ["prompt", "answer", "key"]
    ordering = ["level", "position", "id"]
    prepopulated_fields = {"key": ["prompt"]}
    readonly_fields = ["preview", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["level", "position", "prompt", "answer", "is_active"]}),
        ("Preview", {"fields": ["preview"]}),
        (
            "Identity",
            {"fields": ["key", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]
    actions = ["activate", "deactivate"]
    save_on_top = True

    @admin.display(description="Question", ordering="prompt")
    def prompt_excerpt(self, obj: Question) -> str:
        return str(obj)

    @admin.display(description="Rendered (as saved)")
    def preview(self, obj: Question) -> str:
        if not obj.pk:
            return "Save to see the rendered question."
        return format_html(
            '<div class="gp-preview"><h3>Prompt</h3>{}<h3>Answer</h3>{}</div>',
            mark_safe(obj.prompt_html),  # noqa: S308 - sanitised by nh3
            mark_safe(obj.answer_html),  # noqa: S308
        )

    @admin.action(description="Activate selected questions")
    def activate(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = services.set_questions_active(questions=queryset, is_active=True)
        self.message_user(request, f"Activated {count} question(s).")

    @admin.action(description="Deactivate selected questions (keeps history)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = services.set_questions_active(questions=queryset, is_active=False)
        self.message_user(request, f"Deactivated {count} question(s).")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to staff for support; changes go through the app's services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


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
        "interval_after",
    ]
    list_filter = ["kind", "grade"]
    list_select_related = ["user", "question"]
    search_fields = ["user__username", "question__prompt"]
    date_hierarchy = "reviewed_at"


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
