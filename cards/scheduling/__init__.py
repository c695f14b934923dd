"""SM-2 maths and study-day arithmetic (see sm2.py); standard library only."""

from cards.scheduling.sm2 import *  # noqa: F403
from cards.scheduling.sm2 import _CENT, _TWO_CENTS  # noqa: F401
