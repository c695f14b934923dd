"""Fuzzing the data importer and the Markdown renderer (plan item 14).

atheris (coverage-guided, in a subprocess) runs FUZZ_SECONDS per harness:
10 s by default, 30 s in CI, `make fuzz` for long local runs. Hypothesis adds
structure-aware mutations of a valid export. Inputs the importer accepts are
then stored in the test database (PostgreSQL in the PG run, where NUL bytes,
32-bit integers and date ranges are stricter than SQLite's).
"""

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards import markdown
from cards.learner import userdata
from tests.factories import make_user
from tests.html_safety import active_content
from tests.learner.test_data import as_lines, document, export, study
from tests.paths import ROOT

FUZZ_SECONDS = int(os.environ.get("FUZZ_SECONDS", "10"))
JSON_TOKENS = [
    '"format"', '"genai-prep/user-data"', '"version"', '"settings"', '"schedules"',
    '"reviews"', '"account"', '"question"', '"grade"', '"ease"', '"2.50"', '"1.30"',
    '"due_on"', '"2026-01-05"', '"2026-01-05T12:00:00+00:00"', "null", "true", "0",
    "-1", "2147483648", "36501", '"\\u0000"', '"\\ud800"', "[]", "{}", "1e400",
    '"scheduler"', '"sm2"', '"state"', '"state_before"', '"state_after"',
    '"interval_days"', '"repetitions"', "1",
]  # fmt: skip


def run_harness(script: str, corpus: Path, tmp: Path, **env: str) -> tuple[int, str]:
    dictionary = tmp / "json.dict"
    dictionary.write_text(
        "\n".join(f"kw{i}={json.dumps(t)}" for i, t in enumerate(JSON_TOKENS))
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fuzz" / script), str(corpus),
         f"-max_total_time={FUZZ_SECONDS}", "-rss_limit_mb=2048", "-timeout=10",
         f"-dict={dictionary}", f"-artifact_prefix={tmp}/", "-seed=1"],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True,
        timeout=FUZZ_SECONDS + 180,
    )  # fmt: skip
    output = result.stdout + result.stderr
    runs = re.search(r"Done (\d+) runs", output)
    assert result.returncode == 0 and runs, output[-3000:]
    return int(runs.group(1)), output


def store(user, blob: bytes) -> str:
    """'saved', 'refused' (validation at import) or the error that a save raised."""
    try:
        with transaction.atomic():
            userdata.import_user_data(user=user, data=userdata.parse_user_data(blob))
            transaction.set_rollback(True)
    except userdata.UserDataError:
        return "refused"
    except Exception as error:  # a database rejected what validation let through
        return repr(error)
    return "saved"


@pytest.fixture
def seed_export(questions) -> bytes:
    learner = make_user(username="Zoë")
    study(learner, questions[:4], 12)
    return export(learner)


# CI runs this one in the PostgreSQL pass only, where storing what the importer
# accepts is the stricter test; the Markdown fuzzer needs no database.
@pytest.mark.fuzz
@pytest.mark.usefixtures("unmeasured_subprocesses")  # atheris measures its own
def test_importer_survives_coverage_guided_fuzzing(seed_export, tmp_path, figure):
    corpus, accepted = tmp_path / "corpus", tmp_path / "accepted"
    corpus.mkdir()
    accepted.mkdir()
    # Seeds: version 3 lines (plain and gzipped) and a version 2 document.
    (corpus / "export.jsonl").write_bytes(gzip.decompress(seed_export))
    (corpus / "export.jsonl.gz").write_bytes(seed_export)
    version_2 = document(seed_export) | {"version": 2}
    (corpus / "compact.json").write_bytes(json.dumps(version_2).encode())
    runs, _ = run_harness(
        "fuzz_userdata.py", corpus, tmp_path, FUZZ_ACCEPTED_DIR=str(accepted)
    )
    learner = make_user(username="target")
    outcomes = [store(learner, path.read_bytes()) for path in accepted.iterdir()]
    failed = [o for o in outcomes if o not in ("saved", "refused")]
    figure(
        14,
        f"importer: 0 crashes in {runs:,} executions ({FUZZ_SECONDS} s); "
        f"{len(failed)} of {len(outcomes)} accepted inputs failed to save on "
        f"{connection.vendor}",
    )
    assert failed == []


BOUNDARIES = [0, 1, 5, 6, -1, 36_500, 36_501, 600_000, 600_001, 2**31 - 1, 2**31,
              2**63, 10**12, "1.30", "1.29", "999999.99", "1000000.00", "0001-01-01",
              "9999-12-31T23:59:59+00:00", "\x00", "\ud800"]  # fmt: skip
json_values = st.sampled_from(BOUNDARIES) | st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True) | st.text(max_size=30)
    | st.sampled_from(["2026-01-05", "2026-01-05T12:00:00+00:00", "9999-12-31", "2.50"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=5,
)  # fmt: skip


def leaves(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(value, (*path, index))
    yield path


@settings(
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_importer_under_structure_aware_mutation(seed_export, data):
    original = document(seed_export)
    paths = [p for p in leaves(original) if p]
    mutated = document(seed_export)
    for path in data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=2)):
        target = mutated
        try:
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = data.draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue
    if data.draw(st.booleans()):  # version 3 lines, or a version 2 document
        blob = as_lines(mutated)
    else:
        text = json.dumps(
            mutated | {"version": 2}, ensure_ascii=data.draw(st.booleans())
        )
        blob = text.encode("utf-8", "surrogatepass")  # lone surrogates: invalid UTF-8
    learner = make_user()
    outcome = store(learner, blob)
    assert outcome in ("saved", "refused"), outcome


@pytest.mark.usefixtures("unmeasured_subprocesses")  # atheris measures its own
def test_markdown_survives_coverage_guided_fuzzing(tmp_path, figure):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, sample in enumerate(
        ["# Title\n\n*em* `code` [a](https://x)", "<b onclick=x>", "[x](javascript:y)"]
    ):
        (corpus / f"seed{n}").write_text(sample)
    runs, _ = run_harness("fuzz_markdown.py", corpus, tmp_path)
    figure(
        14,
        f"Markdown: 0 crashes or active outputs in {runs:,} executions ({FUZZ_SECONDS} s)",
    )


HTMLISH = st.lists(
    st.sampled_from(list("<>\"'=/:;&#()[]!`* \n-_x")) | st.sampled_from([
        "script", "onerror", "onload", "javascript", "hx-get", "data-hx-post", "svg",
        "href", "src", "img", "a", "iframe", "style", "&#106;", "&colon;", "\x00",
    ]),
    max_size=60,
).map("".join)  # fmt: skip


@settings(max_examples=500)
@given(HTMLISH)
def test_markdown_output_is_never_active(text):
    assert active_content(markdown.render(text)) == []
