"""The shape of the code: every module imports, and the domain rules hold.

- cards/scheduling/ is pure: it imports no Django (and nothing of the app but itself).
- cards/review/answer.py, the answer rule, is pure too, and so are the typed-answer
  checker (cards/review/check.py) and its static embeddings (embed.py, numpy only).
- cards/reminders/timing.py is pure too.
- A domain never imports another domain's views; views import cards.web for HTTP.
- No module of the app or the bench is over 450 lines.
"""

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = (
    "care",
    "review",
    "bank",
    "progress",
    "learner",
    "web",
    "scheduling",
    "planning",
    "reminders",
)
SOURCES = sorted(
    p
    for base in ("cards", "genai_prep", "bench")
    for p in (ROOT / base).rglob("*.py")
    if "migrations" not in p.parts
)

# The WSGI/ASGI entry points refuse to load without a secret key, by design.
ENTRY_POINTS = {"genai_prep.wsgi", "genai_prep.asgi"}
# Installed by make bench only (requirements/bench.txt).
BENCH_ONLY = {"aiohttp"}

pytestmark = pytest.mark.once


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("path", SOURCES, ids=module_name)
def test_every_module_imports(path):
    name = module_name(path)
    if path.name == "__main__.py" or name in ENTRY_POINTS:
        pytest.skip("an entry point (tests/invariants/test_deploy.py runs them)")
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name not in BENCH_ONLY:
            raise
        pytest.skip(f"needs the bench group ({error.name})")


def test_the_pure_modules_import_no_django():
    review = ROOT / "cards" / "review"
    pure = list((ROOT / "cards" / "scheduling").rglob("*.py")) + [
        review / "answer.py",
        review / "check.py",
        review / "embed.py",
        ROOT / "cards" / "reminders" / "timing.py",
    ]
    offenders = {
        module_name(p): sorted(
            i for i in imports_of(p) if i.split(".")[0] in {"django", "django_htmx"}
        )
        for p in pure
    }
    assert {m: i for m, i in offenders.items() if i} == {}


def test_domains_never_import_another_domains_views():
    offenders = []
    for path in SOURCES:
        name = module_name(path)
        if not name.startswith("cards.") or name.split(".")[1] not in DOMAINS:
            continue  # cards.urls wires every domain's views
        own = name.split(".")[1]
        for imported in imports_of(path):
            parts = imported.split(".")
            if (
                len(parts) >= 3
                and parts[0] == "cards"
                and parts[1] in DOMAINS
                and parts[1] != own
                and parts[2] == "views"
            ):
                offenders.append(f"{name} imports {imported}")
    assert offenders == []


def test_no_module_is_too_long_to_read():
    long = {
        module_name(p): n
        for p in SOURCES
        if (n := len(p.read_text().splitlines())) > 450
    }
    assert long == {}
