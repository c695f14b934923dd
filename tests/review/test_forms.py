"""The review's forms share their fields between instances (no deep copy per
request) and still parse each request on its own."""

import pytest

from cards.review import forms


@pytest.mark.parametrize(
    "form_class",
    [
        forms.LevelsForm,
        forms.ReviewPageForm,
        forms.RevealForm,
        forms.CheckForm,
        forms.UndoForm,
    ],
)
def test_instances_share_the_classes_fields(form_class):
    form = form_class({})
    assert all(form.fields[n] is f for n, f in form_class.base_fields.items())


def test_grades_parse_independently_with_shared_fields():
    bad = forms.GradeForm({"grade": "9", "version": "x"}, scale="four")
    good = forms.GradeForm({"grade": "4", "version": "2", "level": ["1"]}, scale="six")
    assert bad.fields["grade"] is good.fields["grade"]
    assert not bad.is_valid() and good.is_valid()
    assert bad.errors["grade"] == ["A grade is a single digit from 0 to 5."]
    assert "card version" in forms.first_error(bad)
    assert good.cleaned_data["grade"] == 4 and good.levels() == (1,)
    # A grade the scale has no button for: the scale is the instance's own.
    assert not forms.GradeForm({"grade": "2", "version": "2"}, scale="four").is_valid()
    assert forms.GradeForm({"grade": "2", "version": "2"}, scale="six").is_valid()
