"""Question bank admin: analytics columns, import with preview, export, revisions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from cards.bank import analytics, textdiff
from cards.bank import formats as bank
from cards.bank import services as bank_services
from cards.bank.formats.core import MAX_ANSWER, MAX_PROMPT
from cards.models import Question, QuestionRevision

IMPORT_SALT = "cards.admin.import"
PREVIEW_MAX_AGE = 60 * 60  # seconds a preview can be applied
REVISIONS_SHOWN = 50
STATS = [
    "learners",
    "reviews_count",
    "again",
    "lapses_count",
    "ease",
    "needs_rewriting_flag",
]


class QuestionAdminForm(forms.ModelForm):
    substantial_edit = forms.BooleanField(
        required=False,
        label="Substantial edit",
        help_text="The meaning of the prompt or answer changed: learners who already "
        "know this question see it again within a day, with a note and a diff. Leave "
        "unticked for typo fixes (nothing changes for learners).",
    )

    class Meta:
        model = Question
        fields = ["key", "level", "position", "prompt", "answer", "is_active"]

    def _clean_text(self, name: str, limit: int) -> str:
        # Browsers send textareas with CRLF; the bank stores LF (as imports do).
        value = self.cleaned_data[name].replace("\r\n", "\n").replace("\r", "\n")
        problem = bank.text_problem(value, limit=limit)
        if problem and "whitespace" not in problem:
            raise forms.ValidationError(f"This text {problem}.")
        return value.strip()

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


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Question file",
        help_text=f"Markdown in the seed's format (.md, .txt), CSV or JSON; at most "
        f"{bank.MAX_FILE_BYTES // 1000:,} kB, UTF-8.",
    )
    format = forms.ChoiceField(
        choices=[
            ("", "From the file name"),
            ("markdown", "Markdown"),
            ("csv", "CSV"),
            ("json", "JSON"),
        ],
        required=False,
    )


class NeedsRewritingFilter(admin.SimpleListFilter):
    title = "needs rewriting"
    parameter_name = "rewrite"

    def lookups(self, request: HttpRequest, model_admin: object) -> list:
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in {"yes", "no"}:
            return queryset.filter(needs_rewriting=self.value() == "yes")
        return queryset


def _diff_html(old: str, new: str) -> str:
    lines = []
    for row in textdiff.diff_lines(old, new):
        parts = (
            format_html("<{0}>{1}</{0}>", _TAG[kind], text)
            if kind in _TAG
            else conditional_escape(text)
            for kind, text in row.segments
        )
        lines.append(
            format_html(
                '<div class="gp-diff-{}"><span class="gp-sign" aria-hidden="true">'
                "{}</span>{}</div>",
                row.kind,
                row.sign,
                mark_safe("".join(parts)),  # noqa: S308 - every part escaped above
            )
        )
    return format_html('<div class="gp-diff">{}</div>', mark_safe("".join(lines)))  # noqa: S308


_TAG = {"removed": "del", "added": "ins"}


class QuestionBankAdminMixin:
    """Added to QuestionAdmin; keeps the bank features out of the base admin."""

    form = QuestionAdminForm
    change_list_template = "admin/cards/question/change_list.html"

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

    # Import and export -------------------------------------------------------

    def can_import(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        extra = {"can_import": self.can_import(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="cards_question_import"),
            path("export/", wrap(self.export_view), name="cards_question_export"),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, title: str, **extra: object) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            **extra,
        }

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (
            self.has_add_permission(request) and self.has_change_permission(request)
        ):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._apply_import(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method != "POST":
            return self._render_import(request, form=form)
        if not form.is_valid():
            return self._render_import(request, form=form, status=400)
        upload = form.cleaned_data["file"]
        fmt = form.cleaned_data["format"] or bank.detect_format(upload.name)
        if fmt is None:
            form.add_error("format", "Choose a format: the file name does not say.")
            return self._render_import(request, form=form, status=400)
        if upload.size > bank.MAX_FILE_BYTES:
            form.add_error("file", f"The file has {upload.size:,} bytes; at most 1 MB.")
            return self._render_import(request, form=form, status=400)
        try:
            text = bank.decode(upload.read())
            plan = self._plan(text, fmt)
        except bank.BankError as exc:
            problems = [p.describe(upload.name) for p in exc.problems]
            return self._render_import(
                request, form=form, problems=problems, status=400
            )
        return self._render_preview(request, upload.name, fmt, text, plan)

    def _plan(self, text: str, fmt: str) -> bank.ImportPlan:
        return bank_services.import_questions(
            parsed=bank.parse(text, fmt), editor=None, now=timezone.now(), dry_run=True
        )

    def _render_import(
        self, request: HttpRequest, *, status: int = 200, **extra: object
    ) -> TemplateResponse:
        context = self._context(request, "Import questions", **extra)
        return TemplateResponse(
            request, "admin/cards/question/import.html", context, status=status
        )

    def _render_preview(
        self,
        request: HttpRequest,
        name: str,
        fmt: str,
        text: str,
        plan: bank.ImportPlan,
        *,
        status: int = 200,
        warning: str = "",
    ) -> TemplateResponse:
        token = signing.dumps(
            {"name": name, "format": fmt, "text": text, "plan": plan.fingerprint()},
            salt=IMPORT_SALT,
            compress=True,
        )
        rows = []
        for change in plan.changes:
            diffs = [
                (what, _diff_html(getattr(change.old, what), getattr(change.new, what)))
                for what in ("prompt", "answer")
                if what in change.fields
            ]
            rows.append({"change": change, "diffs": diffs})
        return self._render_import(
            request,
            status=status,
            preview=True,
            name=name,
            plan=plan,
            rows=rows,
            token=token,
            warning=warning,
            repairs=[p.describe(name) for p in plan.repairs],
        )

    def _apply_import(self, request: HttpRequest) -> HttpResponse:
        try:
            payload = signing.loads(
                request.POST["token"], salt=IMPORT_SALT, max_age=PREVIEW_MAX_AGE
            )
            parsed = bank.parse(payload["text"], payload["format"])
        except (signing.BadSignature, bank.BankError, KeyError, TypeError):
            return self._render_import(
                request,
                form=ImportForm(),
                problems=["The preview expired or was altered; upload the file again."],
                status=400,
            )
        try:
            plan = bank_services.import_questions(
                parsed=parsed,
                editor=request.user,
                now=timezone.now(),
                expected=payload["plan"],
            )
        except bank_services.PlanChanged:
            plan = self._plan(payload["text"], payload["format"])
            warning = "The question bank changed since this preview. Check the new one."
            return self._render_preview(
                request,
                payload["name"],
                payload["format"],
                payload["text"],
                plan,
                status=409,
                warning=warning,
            )
        except bank.BankError as exc:
            problems = [p.describe(payload["name"]) for p in exc.problems]
            return self._render_import(
                request, form=ImportForm(), problems=problems, status=400
            )
        self.message_user(request, f"Imported {payload['name']}: {plan.summary()}.")
        return redirect("admin:cards_question_changelist")

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        fmt = request.GET.get("format")
        if fmt not in bank_services.EXPORT_TYPES:
            status = 400 if fmt else 200
            context = self._context(request, "Export questions", bad_format=fmt)
            return TemplateResponse(
                request, "admin/cards/question/export.html", context, status=status
            )
        try:
            export = bank_services.export(fmt)
        except bank.Unrepresentable as exc:
            question = Question.objects.filter(key=exc.key).first()
            url = reverse("admin:cards_question_change", args=[question.pk])
            self.message_user(
                request,
                format_html(
                    'Cannot export as {}: <a href="{}">{}</a> {}. Fix it, or export '
                    "CSV or JSON.",
                    fmt,
                    url,
                    exc.key,
                    exc.reason,
                ),
                messages.ERROR,
            )
            return redirect("admin:cards_question_export")
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response


@admin.register(QuestionRevision)
class QuestionRevisionAdmin(admin.ModelAdmin):
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
    ]
    readonly_fields = fields

    @admin.display(description="Prompt (old → new)")
    def prompt_diff(self, obj: QuestionRevision) -> str:
        return _diff_html(obj.old_prompt, obj.new_prompt)

    @admin.display(description="Answer (old → new)")
    def answer_diff(self, obj: QuestionRevision) -> str:
        return _diff_html(obj.old_answer, obj.new_answer)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
