"""Where the checkout and the tests' data files are, for tests that read files."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
# A byte-for-byte copy of shared/seed/000_567c23adb5ac1951.txt (mojibake and
# all), so tests run in every clone; tests/bank/test_formats.py checks it
# against the shared original when a shared/ folder is beside the checkout.
SEED = DATA / "seed.txt"
