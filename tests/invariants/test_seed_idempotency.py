"""Fixtures and seed commands can run twice without duplicating (plan item 12)."""

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command


def fixture_files() -> list[Path]:
    return sorted(p for d in settings.FIXTURE_DIRS for p in Path(d).glob("*.json"))


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_every_fixture_object_has_a_primary_key():
    """Without pks (or natural keys) loaddata inserts the same rows again."""
    missing = [
        f"{path.name}[{i}]"
        for path in fixture_files()
        for i, obj in enumerate(json.loads(path.read_text()))
        if obj.get("pk") is None
    ]
    assert fixture_files() and missing == []


def test_loading_fixtures_and_seeding_twice_adds_nothing(db, figure):
    names = [p.stem for p in fixture_files()]
    call_command("loaddata", *names, verbosity=0)
    call_command("ensure_question_bank", verbosity=0)
    first = row_counts()
    call_command("loaddata", *names, verbosity=0)
    call_command("ensure_question_bank", verbosity=0)
    second = row_counts()
    added = sum(second.values()) - sum(first.values())
    figure(
        12,
        f"rows after 2nd load - rows after 1st = {added} "
        f"({len(names)} fixture file(s) + ensure_question_bank)",
    )
    assert second == first and first["cards.Question"] > 0
