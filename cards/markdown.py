"""Markdown to safe HTML for question text (markdown-it-py, then an nh3 allow-list).

Code is highlighted and maths written as MathML on the server (cards/highlight.py),
before the allow-list: what reaches the page is only what it lets through.
"""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from cards import highlight


def _highlight(code: str, language: str, attrs: str) -> str:
    return highlight.code_block(code, language) or ""


def _maths(display: bool):
    def render(self, tokens, idx, options, env) -> str:
        return highlight.maths(tokens[idx].content, display=display)

    return render


_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "highlight": _highlight})
    .enable("table")
    # Pandoc's rule: "$5 and $10" is money, "$x$" is maths.
    .use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
)
_md.add_render_rule("math_inline", _maths(False))
_md.add_render_rule("math_inline_double", _maths(True))
_md.add_render_rule("math_block", _maths(True))
_md.add_render_rule("math_block_label", _maths(True))

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
}  # fmt: skip
MATHML_TAGS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub",
    "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover",
    "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose",
    "semantics", "annotation",
}  # fmt: skip
MATHML_ATTRIBUTES = {
    "display", "mathvariant", "displaystyle", "scriptlevel", "stretchy", "fence",
    "separator", "lspace", "rspace", "accent", "accentunder", "movablelimits",
    "linethickness", "columnalign", "rowalign", "columnspacing", "rowspacing",
    "width", "height", "depth", "minsize", "maxsize", "symmetric", "largeop",
    "notation", "form", "encoding",
}  # fmt: skip
ALLOWED_TAGS |= {"span"} | MATHML_TAGS
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "code": {"class"},
    "pre": {"class"},
    "span": {"class"},
    **dict.fromkeys(MATHML_TAGS, MATHML_ATTRIBUTES),
}


@lru_cache(maxsize=4096)
def render(text: str) -> str:
    """Render Markdown to HTML that is safe to mark safe in a template."""
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
