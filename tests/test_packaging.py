"""The wheel installs and runs outside the checkout; installs come from the lock."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.invariants.test_deploy import production_env
from tests.paths import ROOT

LOCKS = {
    "runtime.txt": ["build"],
    "dev.txt": ["build", "dev"],
    "bench.txt": ["build", "dev", "bench"],
}

pytestmark = pytest.mark.once


def other_python() -> str:
    """A Python >= 3.12 other than the one running the suite, else this one.

    The suite runs on the Makefile's choice (3.13 where it exists); the wheel
    is installed with the other supported version, so both install the lock.
    """
    want = "3.12" if sys.version_info >= (3, 13) else "3.13"
    candidates = [shutil.which(f"python{want}") or ""]
    pyenv = (
        subprocess.run(
            ["pyenv", "prefix", want], capture_output=True, text=True, check=False
        )
        if shutil.which("pyenv")
        else None
    )
    if pyenv and pyenv.returncode == 0:
        candidates.append(f"{pyenv.stdout.split()[0]}/bin/python")
    candidates += sorted(
        map(str, Path.home().glob(f".pyenv/versions/{want}*/bin/python"))
    )
    for candidate in candidates:
        if (
            candidate
            and subprocess.run(
                [candidate, "-c", "import sys; sys.exit(sys.version_info < (3, 12))"],
                capture_output=True,
                check=False,
            ).returncode
            == 0
        ):
            return candidate
    return sys.executable


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def test_the_wheel_installs_migrates_and_passes_the_deploy_check_elsewhere(tmp_path):
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
        "--no-build-isolation", "--wheel-dir", str(dist), str(ROOT), cwd=tmp_path)  # fmt: skip
    (wheel,) = dist.glob("genai_prep-*.whl")

    python = other_python()
    venv = tmp_path / "venv"
    # A bare virtualenv, filled by this suite's pip through `--python` (pip's own
    # bootstrap into the new venv and byte-compiling every package cost ~13 s of
    # the test's ~25 s and test nothing of ours).
    run(python, "-m", "venv", "--without-pip", str(venv), cwd=tmp_path)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
           "install", "--quiet", "--no-compile"]  # fmt: skip
    run(*pip, "--require-hashes", "-r", str(ROOT / "requirements" / "runtime.txt"),
        cwd=tmp_path)  # fmt: skip
    run(*pip, "--no-deps", str(wheel), cwd=tmp_path)

    site = tmp_path / "site"
    site.mkdir()
    env = production_env() | {
        "DATABASE_URL": f"sqlite:///{site / 'db.sqlite3'}",
        "DJANGO_DATA_DIR": str(site),
        "PYTHONPATH": "",
        # Each command compiles what it imports once, for the next ones (the
        # venv was filled with --no-compile; a machine-wide
        # PYTHONDONTWRITEBYTECODE=1 made every command compile Django again).
        "PYTHONDONTWRITEBYTECODE": "",
    }
    tool = str(venv / "bin" / "genai-prep")
    where = run(str(venv / "bin" / "python"), "-c",
                "import cards, genai_prep; print(cards.__file__, genai_prep.__file__)",
                cwd=site, env=env)  # fmt: skip
    assert str(ROOT) not in where and str(venv) in where

    migrated = run(tool, "migrate", "--no-input", cwd=site, env=env)
    assert "Applying cards.0001_initial... OK" in migrated
    assert "Loaded 10 questions" in run(tool, "ensure_question_bank", cwd=site, env=env)
    checked = run(
        tool, "check", "--deploy", "--fail-level", "WARNING", cwd=site, env=env
    )
    assert "no issues" in checked
    # Templates and static files came along: a page renders and static collects.
    run(tool, "collectstatic", "--no-input", cwd=site, env=env)
    assert (site / "staticfiles" / "css").is_dir()
    page = run(tool, "shell", "-c",
               "from django.template.loader import render_to_string;"
               "print(render_to_string('registration/login.html', {'form': None}))",
               cwd=site, env=env)  # fmt: skip
    assert "<html" in page
    installed = {
        line.split("==")[0].lower()
        for line in run(*pip[:5], "freeze", cwd=site).split()
        if "==" in line
    }
    assert not {"pytest", "hypothesis", "ruff"} & installed  # runtime only


def locked_versions(path: Path) -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==([^ ;\\\n]+)", path.read_text(), re.M)
    return {name.lower().replace("_", "-"): version for name, version in pins}


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_declared_dependency_is_locked_with_hashes(lock):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    path = ROOT / "requirements" / lock
    pins = locked_versions(path)
    wanted = list(project["project"]["dependencies"])
    for group in LOCKS[lock]:
        wanted += project["dependency-groups"][group]
    stale = []
    for spec in map(Requirement, wanted):
        name = spec.name.lower().replace("_", "-")
        if name not in pins or pins[name] not in spec.specifier:
            stale.append(f"{spec} (locked: {pins.get(name)})")
    assert stale == [], f"run make lock: {path.name} does not satisfy {stale}"
    # Every pinned requirement carries at least one hash (pip --require-hashes).
    blocks = re.split(r"\n(?=[A-Za-z0-9])", path.read_text())
    unhashed = [b.split()[0] for b in blocks if "==" in b[:80] and "--hash" not in b]
    assert unhashed == []
