"""atheris harness: question Markdown renders to inert HTML (plan items 14, 15).

    python tests/fuzz/fuzz_markdown.py CORPUS_DIR -max_total_time=60

render() must never raise, and its output must hold no script, no event
handler, no javascript: URL and no htmx attribute.
"""

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

with atheris.instrument_imports(include=["cards.markdown", "markdown_it", "mdurl"]):
    from cards import markdown

from tests.html_safety import active_content  # noqa: E402


def test_one_input(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    html = markdown.render(text)
    problems = active_content(html)
    if problems:
        raise AssertionError(f"{problems!r} in {html!r} from {text!r}")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
