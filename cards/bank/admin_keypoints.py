"""Key points in the question admin: the inline with miss rates, the override
rate column, and the "Try an answer" page that shows the checker's verdict."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from cards.bank import analytics
from cards.bank import formats as bank
from cards.bank.formats.core import key_points_problem
from cards.models import KeyPoint, Question
from cards.review import typed


class KeyPointFormSet(forms.BaseInlineFormSet):
    """The bank's rule for a question's key points (as imports enforce it).

    The inline table's inputs sit under column headers, not labels: each
    gets a name that starts with its header's text ("Statement (key point 2)").
    """

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        which = "new key point" if index is None else f"key point {index + 1}"
        for field in form.fields.values():
            field.widget.attrs.setdefault("aria-label", f"{field.label} ({which})")

    def clean(self) -> None:
        super().clean()
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if not kept:
            return  # a question may have no key points yet
        points = [
            bank.KeyPointData(
                statement=d.get("statement") or "",
                is_must=bool(d.get("is_must")),
                is_misconception=bool(d.get("is_misconception")),
            )
            for d in kept
        ]
        problem = key_points_problem(points)
        if problem:
            raise forms.ValidationError(f"Key points: {problem}.")


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    formset = KeyPointFormSet
    fields = ["order", "statement", "aliases", "is_must", "is_misconception", "missed"]
    readonly_fields = ["missed"]
    extra = 0
    verbose_name = "key point"

    @admin.display(description="Missed in checked answers")
    def missed(self, obj: KeyPoint) -> str:
        if not obj.pk:
            return "–"
        rates = getattr(self, "_rates", {}).get(obj.question_id)
        if rates is None:
            rates = analytics.miss_rates(obj.question)
            self._rates = {obj.question_id: rates}
        missed, total = rates.get(obj.pk, (0, 0))
        return "–" if not total else f"{missed / total:.0%} ({missed} of {total})"


class TryAnswerForm(forms.Form):
    answer = forms.CharField(
        label="An answer to try",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        max_length=typed.MAX_TYPED_CHARS,
        strip=False,
        help_text="Shows the verdict a learner would get with the saved key points. "
        "Nothing is stored.",
    )


class QuestionKeyPointsAdminMixin:
    """QuestionAdmin's key-point parts (see cards/bank/admin.py)."""

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/try/",
                wrap(self.try_answer_view),
                name="cards_question_try",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return analytics.with_typed_stats(super().get_queryset(request))

    @admin.display(
        description="Overrides",
        ordering=F("override_share").asc(nulls_first=True),
    )
    def override_rate(self, obj: Question) -> str:
        if obj.override_share is None:
            return "–"
        return f"{obj.override_share:.0%} of {obj.typed_answers}"

    @admin.display(description="Try an answer")
    def try_answer_link(self, obj: Question) -> str:
        if not obj.pk:
            return "Save the question and its key points first."
        return format_html(
            '<a href="{}">Try an answer against these key points</a>',
            reverse("admin:cards_question_try", args=[obj.pk]),
        )

    def try_answer_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        question = get_object_or_404(Question, pk=object_id)
        form = TryAnswerForm(request.POST or None)
        shown = None
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["answer"]
            verdict = typed.check_answer(question, text)
            shown = typed.shown(text, verdict, scale="six")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Try an answer: {question}",
            "question": question,
            "points": list(question.key_points.all()),
            "form": form,
            "verdict": shown,
            "change_url": reverse("admin:cards_question_change", args=[question.pk]),
        }
        return TemplateResponse(
            request, "admin/cards/question/try_answer.html", context
        )
