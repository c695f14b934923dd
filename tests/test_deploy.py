"""Production settings pass Django's deployment check (plan item 22)."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parent.parent


def production_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST", "HYPOTHESIS"))
    }
    env |= {
        "DJANGO_SECRET_KEY": get_random_secret_key() + get_random_secret_key(),
        "DJANGO_ALLOWED_HOSTS": "prep.example.com",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://prep.example.com",
        "DJANGO_EMAIL_HOST": "smtp.example.com",
    }
    return env


def test_check_deploy_passes_with_production_settings(figure):
    # A subprocess: under pytest the settings module switches HTTPS off.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    warnings = len(re.findall(r"\(\w+\.[WE]\d+\)", output))
    figure(
        22,
        f"{warnings} deploy warnings (check --deploy --fail-level WARNING: exit {result.returncode})",
    )
    assert result.returncode == 0, output
    assert "no issues" in output


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
