"""The question bank in the admin: questions with analytics columns, edits with
revisions and diffs, read-only revisions. Import and export: admin_transfer.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, F, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from cards.bank import analytics, textdiff
from cards.bank import formats as bank
from cards.bank import services as bank_services
from cards.bank.admin_keypoints import KeyPointInline, QuestionKeyPointsAdminMixin
from cards.bank.admin_transfer import QuestionTransferAdminMixin
from cards.bank.formats.core import MAX_ANSWER, MAX_POSITION, MAX_PROMPT
from cards.models import Question, QuestionRevision, Topic
from cards.web.admin import ReadOnlyAdmin
from cards.web.numbers import WholeNumberField

REVISIONS_SHOWN = 50
STATS = [
    "learners",
    "reviews_count",
    "again",
    "lapses_count",
    "ease",
    "override_rate",
    "needs_rewriting_flag",
]


class QuestionAdminForm(forms.ModelForm):
    position = WholeNumberField(
        min_value=0,
        max_value=MAX_POSITION,
        strip=True,
        help_text=Question._meta.get_field("position").help_text,
    )
    stage = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=32_767,
        label="Study stage",
        help_text=Question._meta.get_field("stage").help_text,
    )
    substantial_edit = forms.BooleanField(
        required=False,
        label="Substantial edit",
        help_text="The meaning of the prompt or answer changed: learners who already "
        "know this question see it again within a day, with a note and a diff. Leave "
        "unticked for typo fixes (nothing changes for learners).",
    )

    class Meta:
        model = Question
        fields = [
            "key",
            "level",
            "stage",
            "position",
            "prompt",
            "answer",
            "is_active",
            "topics",
            "sources",
            "verified_on",
        ]
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "sources": forms.Textarea(attrs={"rows": 3}),
        }

    def _clean_text(self, name: str, limit: int) -> str:
        # Browsers send textareas with CRLF; the bank stores LF (as imports do).
        value = self.cleaned_data[name].replace("\r\n", "\n").replace("\r", "\n")
        problem = bank.text_problem(value, limit=limit)
        if problem and "whitespace" not in problem:
            raise forms.ValidationError(f"This text {problem}.")
        return value.strip()

    def clean_stage(self) -> int:
        # Left out (older forms, scripts): the question keeps its stage.
        value = self.cleaned_data.get("stage")
        return self.instance.stage if value is None else value

    def clean_prompt(self) -> str:
        return self._clean_text("prompt", MAX_PROMPT)

    def clean_answer(self) -> str:
        return self._clean_text("answer", MAX_ANSWER)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("substantial_edit"):
            instance = self.instance
            same = instance.pk and (
                data.get("prompt") == instance.prompt
                and data.get("answer") == instance.answer
            )
            if not instance.pk or same:
                self.add_error(
                    "substantial_edit",
                    "A substantial edit changes the prompt or the answer of an "
                    "existing question.",
                )
        return data


class NeedsRewritingFilter(admin.SimpleListFilter):
    title = "needs rewriting"
    parameter_name = "rewrite"

    def lookups(self, request: HttpRequest, model_admin: object) -> list:
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in {"yes", "no"}:
            return queryset.filter(needs_rewriting=self.value() == "yes")
        return queryset


@admin.register(Question)
class QuestionAdmin(
    QuestionKeyPointsAdminMixin, QuestionTransferAdminMixin, admin.ModelAdmin
):
    form = QuestionAdminForm
    list_display = ["prompt_excerpt", "level", "position", "is_active", "updated_at"]
    list_display_links = ["prompt_excerpt"]
    list_editable = ["position"]
    list_filter = ["level", "topics", "is_active"]
    search_fields = ["prompt", "answer", "key"]
    ordering = ["stage", "level", "position", "id"]
    prepopulated_fields = {"key": ["prompt"]}
    readonly_fields = ["preview", "try_answer_link", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["level", "stage", "position", "prompt", "answer", "is_active"]},
        ),
        ("Topics and sources", {"fields": ["topics", "sources", "verified_on"]}),
        ("Preview", {"fields": ["preview", "try_answer_link"]}),
        (
            "Identity",
            {"fields": ["key", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]
    actions = ["activate", "deactivate"]
    inlines = [KeyPointInline]
    save_on_top = True

    def get_changelist_form(self, request: HttpRequest, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class PositionForm(base):
            """The list's editable position, labelled per row (WCAG 1.3.1, 4.1.2)."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if "position" in self.fields:
                    label = f"Position of “{self.instance}”"
                    self.fields["position"].widget.attrs["aria-label"] = label

        return PositionForm

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
        count = bank_services.set_questions_active(questions=queryset, is_active=True)
        self.message_user(request, f"Activated {count} question(s).")

    @admin.action(description="Deactivate selected questions (keeps history)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = bank_services.set_questions_active(questions=queryset, is_active=False)
        self.message_user(request, f"Deactivated {count} question(s).")

    # Analytics ---------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return analytics.with_stats(super().get_queryset(request))

    def get_list_display(self, request: HttpRequest) -> list:
        # The figures replace "updated at" (still on the change page) to fit.
        columns = [c for c in super().get_list_display(request) if c != "updated_at"]
        return [*columns, *STATS]

    def get_list_filter(self, request: HttpRequest) -> list:
        return [*super().get_list_filter(request), NeedsRewritingFilter]

    @admin.display(description="Learners", ordering="learners_started")
    def learners(self, obj: Question) -> int:
        return obj.learners_started

    @admin.display(description="Reviews", ordering="reviews")
    def reviews_count(self, obj: Question) -> int:
        return obj.reviews

    # Questions nobody answered sort last when sorting by most "Again" first...
    @admin.display(description="Again", ordering=F("again_share").asc(nulls_first=True))
    def again(self, obj: Question) -> str:
        return "–" if obj.again_share is None else f"{obj.again_share:.0%}"

    @admin.display(description="Lapses", ordering="lapses")
    def lapses_count(self, obj: Question) -> int:
        return obj.lapses

    # ...and by lowest ease first.
    @admin.display(description="Avg ease", ordering=F("avg_ease").asc(nulls_last=True))
    def ease(self, obj: Question) -> str:
        return "–" if obj.avg_ease is None else f"{obj.avg_ease:.2f}"

    @admin.display(description="Rewrite?", ordering="needs_rewriting")
    def needs_rewriting_flag(self, obj: Question) -> str:
        # Only the flagged rows carry a mark, so they stand out in a long list.
        if not obj.needs_rewriting:
            return ""
        return mark_safe(  # noqa: S308 - a constant
            '<span class="gp-flag" title="Ease at the 1.3 floor or frequent lapses">'
            "Rewrite</span>"
        )

    # Edits and revisions -----------------------------------------------------

    def get_fieldsets(self, request: HttpRequest, obj: Question | None = None) -> list:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.insert(1, ("Learners", {"fields": ["substantial_edit"]}))
            fieldsets.append(("History", {"fields": ["revision_history"]}))
        return fieldsets

    def get_readonly_fields(
        self, request: HttpRequest, obj: Question | None = None
    ) -> list:
        return [*super().get_readonly_fields(request, obj), "revision_history"]

    @admin.display(description="Revisions (newest first)")
    def revision_history(self, obj: Question) -> str:
        revisions = obj.revisions.select_related("editor")[:REVISIONS_SHOWN]
        if not revisions:
            return "None yet."
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
            "<td>{}</td></tr>",
            (
                (
                    reverse("admin:cards_questionrevision_change", args=[r.pk]),
                    timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
                    r.editor or "–",
                    r.get_source_display(),
                    r.changed,
                    "substantial" if r.is_substantial else "minor",
                )
                for r in revisions
            ),
        )
        return format_html(
            '<table class="gp-revisions"><thead><tr><th scope="col">When</th>'
            '<th scope="col">Who</th><th scope="col">How</th><th scope="col">What'
            '</th><th scope="col">Kind</th></tr></thead><tbody>{}</tbody></table>',
            rows,
        )

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool
    ) -> None:
        question = form.instance
        before = tuple(bank_services.point_data(p) for p in question.key_points.all())
        super().save_related(request, form, formsets, change)
        bank_services.record_key_point_edit(
            question=question, before=before, editor=request.user, now=timezone.now()
        )

    def save_model(
        self, request: HttpRequest, obj: Question, form: forms.ModelForm, change: bool
    ) -> None:
        _, learners = bank_services.save_question(
            question=obj,
            editor=request.user,
            now=timezone.now(),
            substantial=bool(form.cleaned_data.get("substantial_edit")),
        )
        if learners:
            self.message_user(
                request,
                f"{learners} learner(s) who knew this question will see it again "
                "within a day, with a note that it changed.",
            )


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "is_opt_in", "question_count"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(n_questions=Count("questions"))

    @admin.display(description="Questions", ordering="n_questions")
    def question_count(self, obj: Topic) -> int:
        return obj.n_questions


@admin.register(QuestionRevision)
class QuestionRevisionAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "question",
        "editor",
        "source",
        "changed",
        "is_substantial",
    ]
    list_filter = ["source", "is_substantial"]
    list_select_related = ["question", "editor"]
    search_fields = ["question__prompt", "question__key", "editor__username"]
    date_hierarchy = "created_at"
    fields = [
        "question",
        "created_at",
        "editor",
        "source",
        "changed",
        "is_substantial",
        "prompt_diff",
        "answer_diff",
        "key_points_diff",
    ]
    readonly_fields = fields

    @admin.display(description="Prompt (old → new)")
    def prompt_diff(self, obj: QuestionRevision) -> str:
        return textdiff.as_html(obj.old_prompt, obj.new_prompt)

    @admin.display(description="Answer (old → new)")
    def answer_diff(self, obj: QuestionRevision) -> str:
        return textdiff.as_html(obj.old_answer, obj.new_answer)

    @admin.display(description="Key points (old → new)")
    def key_points_diff(self, obj: QuestionRevision) -> str:
        return textdiff.as_html(obj.old_key_points, obj.new_key_points)
