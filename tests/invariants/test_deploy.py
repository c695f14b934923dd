"""Production settings pass Django's deployment check (plan item 22)."""

import os
import re
import subprocess
import sys

from django.core.management.utils import get_random_secret_key

from tests.paths import ROOT


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


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_serve_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    for entry_point in ("genai_prep.wsgi", "genai_prep.asgi"):
        result = run_python(f"import {entry_point}", env)
        assert result.returncode != 0
        assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_entry_points_load_with_a_key_or_when_debugging():
    with_key = production_env()
    debugging = {**production_env(), "DJANGO_DEBUG": "1"}
    del debugging["DJANGO_SECRET_KEY"]
    for env in (with_key, debugging):
        result = run_python("import genai_prep.wsgi, genai_prep.asgi", env)
        assert result.returncode == 0, result.stderr


def test_tools_run_without_a_key_but_the_deploy_check_flags_it():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "security.W009" in result.stdout + result.stderr
