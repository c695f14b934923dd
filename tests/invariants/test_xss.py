"""Stored XSS through admin-authored question text (plan item 15)."""

import re
from html.parser import HTMLParser

import pytest

from cards import markdown
from tests.factories import make_question
from tests.html_safety import active_content
from tests.paths import ROOT

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    '<img src="x" onerror="&#97;lert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<a href="#" onclick="alert(1)">x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<style>*{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<table><tr><td onmouseover=alert(1)>x</td></tr></table>",
    '<div hx-get="/account/delete/" hx-trigger="load">x</div>',
    '<div hx-post="/accounts/logout/" hx-trigger="load"></div>',
    '<div data-hx-post="/accounts/logout/" data-hx-trigger="load"></div>',
    '<button hx-on:click="alert(1)">x</button>',
    '<div hx-on::load="alert(1)"></div>',
    '<a href="https://example.com" hx-boost="true">x</a>',
    '<x-y hx-get="/" hx-swap="outerHTML">',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript:alert%281%29)",
    "[x](<javascript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    "[ref][a]\n\n[a]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<https://example.com/" onmouseover="alert(1)>',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
]


def test_no_payload_survives_rendering(figure):
    active = {
        p: problems
        for p in PAYLOADS
        if (problems := active_content(markdown.render(p)))
    }
    figure(
        15,
        f"{len(active)} of {len(PAYLOADS)} payloads executable or htmx-active "
        "after Markdown + nh3",
    )
    assert len(PAYLOADS) == 50 and active == {}


def test_payloads_are_shown_as_text_not_dropped():
    html = markdown.render("<script>alert(1)</script>")
    assert "&lt;script&gt;" in html  # the admin sees what was typed


def test_safe_markdown_still_renders():
    html = markdown.render("**bold** [docs](https://example.com) `code`")
    assert "<strong>bold</strong>" in html and 'href="https://example.com"' in html


@pytest.mark.parametrize("field", ["prompt", "answer"])
def test_stored_question_renders_inert(db, field):
    question = make_question(**{field: PAYLOADS[1] + "\n\n" + PAYLOADS[36]})
    assert active_content(getattr(question, f"{field}_html")) == []


def test_the_scanner_spots_active_html():
    assert active_content('<img src=x onerror="a()">') == ["img onerror="]
    assert active_content('<a href=" java\tscript:x">') == ["a href=javascript:"]
    assert active_content('<div hx-get="/x">') == ["div hx-get="]
    assert active_content('<a href="https://x">') == []


class _Containers(HTMLParser):
    """Is every {{ ...prompt_html/answer_html }} inside an hx-disable element?"""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.outside: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in {"br", "hr", "img", "input", "meta", "link"}:
            self.stack.append(any(name == "hx-disable" for name, _ in attrs))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for use in re.findall(r"{{[^}]*(?:prompt|answer)_html[^}]*}}", data):
            if not any(self.stack):
                self.outside.append(use)


def test_rendered_question_text_sits_inside_hx_disable(figure):
    """htmx ignores hx-* attributes inside hx-disable: a second line of defence."""
    templates = ROOT / "templates"
    using, outside = [], []
    for path in templates.rglob("*.html"):
        text = path.read_text()
        if not re.search(r"(?:prompt|answer)_html", text):
            continue
        using.append(path.name)
        parser = _Containers()
        parser.feed(text)
        outside += [f"{path.name}: {use}" for use in parser.outside]
    figure(
        15,
        f"{len(using) - len({o.split(':')[0] for o in outside})} of {len(using)} "
        "templates that show question text wrap it in hx-disable",
    )
    assert outside == []


def test_the_container_check_spots_a_bare_use():
    parser = _Containers()
    parser.feed(
        "<div hx-disable><p>{{ q.prompt_html|safe }}</p></div><p>{{ q.answer_html }}</p>"
    )
    assert parser.outside == ["{{ q.answer_html }}"]
