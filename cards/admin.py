"""Admin registrations live in each domain's admin.py; importing them here is
how Django's admin autodiscovery (which imports cards.admin) finds them."""

from cards.bank import admin as bank_admin  # noqa: F401
from cards.care import admin as care_admin  # noqa: F401
from cards.learner import admin as learner_admin  # noqa: F401
from cards.review import admin as review_admin  # noqa: F401
