"""The moment every test runs at: the clock is frozen, never read from the wall.

CI freezes it at Monday 2026-01-05 04:00 in Europe/London (the rollover hour).
`make clock-sweep` runs the suite at other moments through two variables:

    GENAI_TEST_NOW=2026-06-05T23:59   local wall time of the frozen moment
    GENAI_TEST_ZONE=Pacific/Auckland  its zone, also Django's TIME_ZONE

A test that needs "now" takes the `clock` fixture (tests/conftest.py) and reads
`clock.now`, or calls `clock.shift(...)` to move time forward.
"""

from __future__ import annotations

import os
import zoneinfo
from datetime import datetime

DEFAULT_NOW = "2026-01-05T04:00"  # a Monday
DEFAULT_ZONE = "Europe/London"

ZONE = os.environ.get("GENAI_TEST_ZONE") or DEFAULT_ZONE


def frozen_moment() -> datetime:
    """The aware moment the suite is frozen at (from the environment)."""
    wall = datetime.fromisoformat(os.environ.get("GENAI_TEST_NOW") or DEFAULT_NOW)
    if wall.tzinfo is not None:
        raise ValueError("GENAI_TEST_NOW is a local wall time; set the zone apart")
    return wall.replace(tzinfo=zoneinfo.ZoneInfo(ZONE))
