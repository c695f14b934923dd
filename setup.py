"""Build configuration that pyproject.toml cannot express: the wheel's data.

The project keeps templates/, static/ and fixtures/ at the top level (beside
manage.py), but an installed app needs them beside its code. Each is mapped
to a directory inside `genai_prep` in the wheel; genai_prep/settings.py finds
them there when it is not running from a checkout. Code packages are
discovered, so a new subpackage or migration can never be left out.
"""

from setuptools import find_packages, setup

RESOURCES = {
    "genai_prep.templates": "templates",
    "genai_prep.static": "static",
    "genai_prep.fixtures": "fixtures",
}

setup(
    packages=find_packages(include=["genai_prep", "genai_prep.*", "cards", "cards.*"])
    + list(RESOURCES),
    package_dir=RESOURCES,
)
