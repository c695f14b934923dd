"""atheris harness: the learner-data importer's validation (plan item 14).

    python tests/fuzz/fuzz_userdata.py CORPUS_DIR -max_total_time=60

Only UserDataError (the importer's ValueError) may escape parse_user_data;
anything else is a crash. Inputs it accepts with content not seen before
(layout aside) are copied to $FUZZ_ACCEPTED_DIR (at most 500) so the test
can store them in the real database.
"""

import hashlib
import os
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "fuzzing-only-" + "f" * 40)

import django  # noqa: E402

django.setup()

with atheris.instrument_imports(include=["cards"]):
    from cards.learner import userdata

ACCEPTED = os.environ.get("FUZZ_ACCEPTED_DIR")
saved = 0


def test_one_input(data: bytes) -> None:
    global saved
    try:
        parsed = userdata.parse_user_data(data)
    except userdata.UserDataError:
        return
    if ACCEPTED and saved < 500:
        name = hashlib.sha1(repr(parsed).encode()).hexdigest()
        path = Path(ACCEPTED) / name
        if not path.exists():
            path.write_bytes(data)
            saved += 1


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
