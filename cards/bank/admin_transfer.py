"""Question bank admin views: import with a preview to confirm, and export."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from cards.bank import conflicts, textdiff
from cards.bank import formats as bank
from cards.bank import services as bank_services
from cards.models import Question


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


IMPORT_SALT = "cards.admin.import"


PREVIEW_MAX_AGE = 60 * 60  # seconds a preview can be applied


class QuestionTransferAdminMixin:
    """Import and export views on the question changelist (QuestionAdmin)."""

    change_list_template = "admin/cards/question/change_list.html"

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
        choices: dict[str, str] | None = None,
    ) -> TemplateResponse:
        token = signing.dumps(
            {"name": name, "format": fmt, "text": text, "plan": plan.fingerprint()},
            salt=IMPORT_SALT,
            compress=True,
        )
        found = conflicts.find(plan)
        choices = choices or {}
        rows = []
        for change in plan.changes:
            diffs = [
                (
                    what,
                    textdiff.as_html(
                        getattr(change.old, what), getattr(change.new, what)
                    ),
                )
                for what in ("prompt", "answer")
                if what in change.fields
            ]
            key = change.new.key
            rows.append(
                {
                    "change": change,
                    "diffs": diffs,
                    "conflict": found.get(key),
                    "choice": choices.get(key, ""),
                }
            )
        return self._render_import(
            request,
            status=status,
            preview=True,
            name=name,
            plan=plan,
            rows=rows,
            token=token,
            warning=warning,
            conflicts=len(found),
            conflict_choices=conflicts.CHOICES.items(),
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
        choices = {
            name.removeprefix("conflict-"): value
            for name, value in request.POST.items()
            if name.startswith("conflict-")
        }
        try:
            plan = bank_services.import_questions(
                parsed=parsed,
                editor=request.user,
                now=timezone.now(),
                expected=payload["plan"],
                resolutions=choices,
            )
        except conflicts.UnresolvedConflicts as exc:
            plan = self._plan(payload["text"], payload["format"])
            return self._render_preview(
                request,
                payload["name"],
                payload["format"],
                payload["text"],
                plan,
                status=400,
                warning=f"Nothing was imported: choose what to do with "
                f"{len(exc.conflicts)} conflict(s) below.",
                choices=choices,
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
        kept = sum(1 for v in choices.values() if v == conflicts.KEEP)
        also = f"; {kept} kept as stored (conflicts)" if kept else ""
        self.message_user(
            request, f"Imported {payload['name']}: {plan.summary()}{also}."
        )
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
