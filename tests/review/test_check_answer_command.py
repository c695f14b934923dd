"""manage.py check_answer: one JSON verdict per answer, clear errors."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

KEY = "what-is-a-transformer-architecture-and-why-is-it-important-for-generative-ai"
GOOD = (
    "Self-attention lets every token weigh every other token in the sequence, "
    "and it processes all tokens in parallel instead of one at a time like an RNN."
)


def run(monkeypatch, stdin: str, *args: str) -> object:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("check_answer", *args, stdout=out)
    return json.loads(out.getvalue())


def test_one_answer_gives_one_object(questions, monkeypatch):
    verdict = run(monkeypatch, GOOD, "--question", KEY)
    assert set(verdict) >= {"score", "suggested_grade", "covered", "missed"}
    assert 0 <= verdict["score"] <= 1 and verdict["suggested_grade"] >= 3
    assert verdict["covered"][0].startswith("self-attention lets every token")
    assert len(verdict["covered"]) + len(verdict["missed"]) == 6


def test_batch_gives_a_list_in_order(questions, monkeypatch):
    verdicts = run(
        monkeypatch, json.dumps([GOOD, "no idea"]), "--question", KEY, "--batch"
    )
    assert [v["suggested_grade"] >= 3 for v in verdicts] == [True, False]


@pytest.mark.parametrize(
    ("stdin", "args", "message"),
    [
        (GOOD, ["--question", "no-such-key"], "no question with the key 'no-such-key'"),
        ("  \n", ["--question", KEY], "no answer on standard input"),
        ("[1, 2]", ["--question", KEY, "--batch"], "JSON list of strings"),
        ("{oops", ["--question", KEY, "--batch"], "--batch expects a JSON list"),
        ("[]", ["--question", KEY, "--batch"], "empty list"),
        ("x" * 5001, ["--question", KEY], "at most 5,000"),
    ],
)
def test_bad_input_is_a_clear_error(questions, monkeypatch, stdin, args, message):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(CommandError, match=message):
        call_command("check_answer", *args, stdout=io.StringIO())


def test_from_the_shell_errors_go_to_stderr_with_a_non_zero_exit(tmp_path):
    import subprocess
    import sys

    from tests.paths import ROOT

    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shell.db'}",
    }

    def manage(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            check=False,
        )

    assert manage("migrate", "-v", "0").returncode == 0
    assert manage("ensure_question_bank").returncode == 0
    r = manage("check_answer", "--question", "missing", stdin="an answer")
    assert r.returncode == 1 and r.stdout == ""
    assert "no question with the key 'missing'" in r.stderr
    r = manage("check_answer", "--question", KEY, stdin=GOOD)
    assert r.returncode == 0 and json.loads(r.stdout)["suggested_grade"] >= 3
