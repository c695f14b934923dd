"""The time-zone picker's list and how a typed city becomes a zone.

The list puts the zones most learners live in first, labelled city first
("Tokyo (Asia)") so a browser's datalist matches what a person types; the
settings page's script adds the browser's own zone on top. Without
JavaScript the field still takes a zone name or a city ("new york").
"""

from __future__ import annotations

from functools import cache

from cards.models import time_zone_names

COMMON = (
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Sydney",
    "Pacific/Auckland",
)


def label(zone: str) -> str:
    """ "Asia/Tokyo" -> "Tokyo (Asia)"; "America/Argentina/Buenos_Aires" ->
    "Buenos Aires (America/Argentina)"; "UTC" -> "UTC"."""
    region, _, city = zone.replace("_", " ").rpartition("/")
    return f"{city} ({region})" if region else city


@cache
def _all() -> tuple[tuple[str, str], ...]:
    rest = sorted(
        (z for z in time_zone_names() if z not in COMMON), key=lambda z: label(z)
    )
    return tuple((z, label(z)) for z in (*COMMON, *rest))


def options(current: str | None = None) -> list[tuple[str, str]]:
    """(zone, label) for the datalist: the learner's zone, the common ones, the rest."""
    listed = list(_all())
    if current and current in time_zone_names() and current != listed[0][0]:
        listed.remove((current, label(current)))
        listed.insert(0, (current, label(current)))
    return listed


@cache
def _by_name() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for zone in time_zone_names():
        city = zone.rpartition("/")[2]
        for name in {zone, city, city.replace("_", " "), label(zone)}:
            found.setdefault(name.casefold(), []).append(zone)
    return {name: tuple(dict.fromkeys(zones)) for name, zones in found.items()}


def resolve(text: str) -> str | None:
    """The zone `text` names (a zone, a city, a label), or None if none or several."""
    key = " ".join(text.split()).casefold()
    zones = _by_name().get(key) or _by_name().get(key.replace(" ", "_"), ())
    if len(zones) > 1:
        # Mostly one city under an old and a current name (America/Buenos_Aires
        # beside America/Argentina/Buenos_Aires): the common one, else the
        # longest (tzdata's current names are the more specific), else none.
        common = [z for z in zones if z in COMMON]
        deepest = max(z.count("/") for z in zones)
        zones = common[:1] or [z for z in zones if z.count("/") == deepest]
    return zones[0] if len(zones) == 1 else None
