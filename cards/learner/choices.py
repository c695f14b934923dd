"""The choices of a learner's settings (the fields live on LearnerProfile)."""

from django.db import models


class GradeScale(models.TextChoices):
    FOUR = "four", "Four buttons: Again, Hard, Good, Easy"
    SIX = "six", "Six SM-2 grades, 0 to 5"


class SchedulerChoice(models.TextChoices):
    SM2 = "sm2", "SM-2 (the classic SuperMemo algorithm)"
    FSRS = "fsrs", "FSRS (Free Spaced Repetition Scheduler, version 6)"


class Theme(models.TextChoices):
    AUTO = "auto", "As my device"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


class Confidence(models.IntegerChoices):
    """How sure the learner was before the reveal (issue 18), keys 1-3."""

    UNSURE = 1, "Unsure"
    FAIRLY_SURE = 2, "Fairly sure"
    CERTAIN = 3, "Certain"
