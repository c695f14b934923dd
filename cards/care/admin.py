"""Learners' problem reports, and the questions that need an editor's attention."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import admin, messages
from django.db.models import (
    BooleanField,
    Case,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from cards.bank import analytics
from cards.care import services
from cards.models import ProblemReport, Question, QuestionNeedingAttention

# A question whose facts were last checked longer ago than this needs checking.
VERIFY_EVERY = timedelta(days=365)


def _question_link(question: Question) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:cards_question_change", args=[question.pk]),
        Truncator(question.prompt).chars(90),
    )


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: object) -> list:
        return [("open", "Open"), ("resolved", "Resolved")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    # The note opens the report; the question links to its own page (a link in
    # the first column would sit inside the admin's row link).
    list_display = ["note", "question_link", "reporter", "created_at", "status"]
    list_filter = [StatusFilter, "created_at"]
    search_fields = ["note", "question__prompt", "question__key", "reporter__username"]
    list_select_related = ["question", "reporter", "resolved_by"]
    readonly_fields = [
        "question_link",
        "reporter",
        "note",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]
    fields = readonly_fields
    actions = ["resolve", "reopen"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # learners report from their card

    @admin.display(description="question", ordering="question__prompt")
    def question_link(self, obj: ProblemReport) -> str:
        return _question_link(obj.question)

    @admin.display(description="status", ordering="resolved_at")
    def status(self, obj: ProblemReport) -> str:
        if obj.resolved_at is None:
            return "Open"
        return f"Resolved by {obj.resolved_by or 'a deleted admin'}"

    @admin.action(description="Mark selected reports resolved", permissions=["change"])
    def resolve(self, request: HttpRequest, queryset: QuerySet[ProblemReport]) -> None:
        done = services.resolve_reports(
            reports=queryset, by=request.user, now=timezone.now()
        )
        self.message_user(request, f"{done} report(s) resolved.", messages.SUCCESS)

    @admin.action(description="Reopen selected reports", permissions=["change"])
    def reopen(self, request: HttpRequest, queryset: QuerySet[ProblemReport]) -> None:
        done = queryset.update(resolved_at=None, resolved_by=None)
        self.message_user(request, f"{done} report(s) reopened.", messages.SUCCESS)


def with_attention(questions: QuerySet[Question], *, now: datetime) -> QuerySet:
    """Annotate open_reports, needs_rewriting (analytics) and is_unverified."""
    open_reports = (
        ProblemReport.objects.filter(question=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("question")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        analytics.with_stats(questions)
        .annotate(open_reports=Coalesce(Subquery(open_reports), Value(0)))
        .annotate(
            is_unverified=Case(
                When(
                    Q(verified_on__isnull=True)
                    | Q(verified_on__lt=(now - VERIFY_EVERY).date()),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


class ReasonFilter(admin.SimpleListFilter):
    title = "reason"
    parameter_name = "reason"

    def lookups(self, request: HttpRequest, model_admin: object) -> list:
        return [
            ("reported", "Reported"),
            ("rewrite", "Needs rewriting"),
            ("unverified", "Not verified for a year"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        field = {
            "reported": Q(open_reports__gt=0),
            "rewrite": Q(needs_rewriting=True),
            "unverified": Q(is_unverified=True),
        }.get(self.value() or "")
        return queryset.filter(field) if field is not None else queryset


@admin.register(QuestionNeedingAttention)
class NeedsAttentionAdmin(admin.ModelAdmin):
    """Reported, to be rewritten (the analytics' flag) or not verified for a year."""

    list_display_links = None  # the prompt links to the question itself
    list_display = [
        "prompt_link",
        "level",
        "reasons",
        "open_reports_count",
        "verified_on",
    ]
    list_filter = [ReasonFilter, "level"]
    search_fields = ["prompt", "key"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # edits happen on the question itself (the link)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        questions = with_attention(Question.objects.all(), now=timezone.now())
        return questions.filter(
            Q(open_reports__gt=0) | Q(needs_rewriting=True) | Q(is_unverified=True)
        ).order_by("-open_reports", "level", "position", "pk")

    @admin.display(description="question", ordering="prompt")
    def prompt_link(self, obj: Question) -> str:
        return _question_link(obj)

    @admin.display(description="why")
    def reasons(self, obj: Question) -> str:
        found = []
        if obj.open_reports:
            found.append(f"reported ({obj.open_reports} open)")
        if obj.needs_rewriting:
            found.append("needs rewriting (low ease or many lapses)")
        if obj.is_unverified:
            found.append(
                "never verified"
                if obj.verified_on is None
                else "not verified for a year"
            )
        return "; ".join(found)

    @admin.display(description="open reports", ordering="open_reports")
    def open_reports_count(self, obj: Question) -> str:
        if not obj.open_reports:
            return "0"
        url = reverse("admin:cards_problemreport_changelist")
        return format_html(
            '<a href="{}?status=open&amp;q={}">{}</a>', url, obj.key, obj.open_reports
        )
