"""Code highlighted and maths written as MathML on the server (cards/highlight.py)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from cards import highlight
from cards.bank import services as bank_services
from cards.markdown import render
from tests.factories import make_question, make_user
from tests.html_safety import active_content

ROOT = Path(__file__).resolve().parent.parent
CODE = "```python\ndef f(x):\n    return '<b>'  # note\n```"


def test_fenced_code_is_highlighted_with_classes_only():
    html = render(CODE)
    assert html.startswith('<pre class="hl"><code class="language-python">')
    assert '<span class="hl-k">def</span>' in html
    assert '<span class="hl-c1"># note</span>' in html
    assert "&lt;b&gt;" in html and "style=" not in html


@pytest.mark.parametrize("fence", ["```", "```not-a-language"])
def test_code_without_a_known_language_stays_plain(fence):
    html = render(f"{fence}\nx = <script>\n```")
    assert "hl-" not in html and "&lt;script&gt;" in html


def test_inline_and_display_maths_become_mathml():
    html = render("Scale by $\\frac{1}{\\sqrt{d_k}}$.\n\n$$\nQK^T\n$$")
    assert '<math display="inline">' in html and "<mfrac>" in html
    assert '<math display="block">' in html and "<msup>" in html


@pytest.mark.parametrize(
    "text", ["It costs $5 and $10 a month.", "A $ sign alone", "Price: $3.50."]
)
def test_money_is_not_maths(text):
    assert "<math" not in render(text)


def test_latex_that_cannot_be_read_shows_as_code():
    html = render("Broken: $\\frac{1}{$ here")
    assert "<math" not in html and '<code class="maths-source">' in html


@pytest.mark.parametrize(
    "payload",
    [
        "$\\href{javascript:alert(1)}{x}$",
        "$x$<script>alert(1)</script>",
        "$\\style{color:red}{x}$",
        "```python\n</code><img src=x onerror=alert(1)>\n```",
        "$$\n\\text{<img src=x onerror=alert(1)>}\n$$",
    ],
)
def test_maths_and_code_carry_no_active_content(payload):
    html = render(payload)
    assert active_content(html) == [] and "style=" not in html and "<img" not in html


def test_every_maths_expression_of_the_packs_renders():
    packs = sorted((ROOT / "fixtures" / "packs").glob("*.md"))
    assert packs, "the packs are missing"
    expressions = 0
    for pack in packs:
        html = render(pack.read_text("utf-8"))
        assert "maths-source" not in html, pack.name
        expressions += html.count("<math")
    assert expressions > 100


def test_the_static_stylesheet_is_the_generated_one():
    assert (ROOT / "static" / "css" / "code.css").read_text() == highlight.stylesheet()


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    r, g, b = linear
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", [0, 1], ids=["light", "dark"])
def test_every_colour_meets_wcag_aa_on_the_code_background(scheme):
    background = highlight.BACKGROUND[scheme]
    colours = [highlight.TEXT[scheme]] + [c[scheme] for c in highlight.PALETTE.values()]
    assert min(contrast(c, background) for c in colours) >= 4.5


def test_the_review_page_and_the_admin_preview_show_highlighted_code(client, db):
    question = make_question(prompt="Explain $O(n^2)$ attention.", answer=CODE)
    learner = make_user()
    client.force_login(learner)
    review = client.get(reverse("cards:review")).text
    assert '<math display="inline">' in review and "css/code.css" in review
    answer = client.get(
        reverse("cards:reveal", args=[question.pk]), {"version": 0}
    ).text
    assert '<span class="hl-k">def</span>' in answer
    client.force_login(make_user(is_superuser=True))
    admin = client.get(reverse("admin:cards_question_change", args=[question.pk])).text
    assert '<span class="hl-k">def</span>' in admin and "css/code.css" in admin
    assert '<math display="inline">' in admin


def test_the_anki_export_carries_the_html_and_its_colours(db):
    make_question(answer=CODE)
    content = bank_services.export("apkg").content
    import io
    import sqlite3
    import tempfile
    import zipfile

    with (
        zipfile.ZipFile(io.BytesIO(content)) as package,
        tempfile.TemporaryDirectory() as tmp,
    ):
        path = Path(tmp) / "c.anki2"
        path.write_bytes(package.read("collection.anki2"))
        db = sqlite3.connect(path)
        (flds,) = db.execute("select flds from notes").fetchone()
        (models,) = db.execute("select models from col").fetchone()
        db.close()
    assert '<span class="hl-k">def</span>' in flds
    assert re.search(r"\.nightMode \.hl-k \{ color: #", models)
