"""The dark scheme changes colours only.

The axe walk (tests/browser/test_accessibility.py) checks each page in dark with
the rules that read colours alone, on the grounds that nothing else differs
between the schemes. This holds the stylesheets to that: colours are
light-dark() pairs, and a rule that applies only in dark (a
prefers-color-scheme: dark block, or a selector on data-theme="dark") declares
nothing but colours.
"""

import re

import pytest

from tests.paths import ROOT

STYLESHEETS = sorted((ROOT / "static" / "css").glob("*.css"))
COLOUR_PROPERTIES = {
    "color",
    "background",
    "background-color",
    "border-color",
    "border-top-color",
    "border-bottom-color",
    "border-left-color",
    "border-right-color",
    "outline-color",
    "text-decoration-color",
    "caret-color",
    "accent-color",
    "fill",
    "stroke",
    "color-scheme",
}


def _blocks(css: str, opening: re.Pattern) -> list[str]:
    """The bodies of the blocks whose opening (up to its `{`) matches."""
    bodies = []
    for match in opening.finditer(css):
        depth, start = 1, match.end()
        for end in range(start, len(css)):
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            if depth == 0:
                bodies.append(css[start:end])
                break
    return bodies


DARK_MEDIA = re.compile(r"@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)\s*\{")
DARK_THEME = re.compile(r"[^{};]*data-theme=\"?dark\"?\][^{]*\{")


def dark_only_properties(css: str) -> set[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    declarations = _blocks(css, DARK_THEME)
    for media in _blocks(css, DARK_MEDIA):  # the rules inside: {...} each
        declarations += re.findall(r"\{([^{}]*)\}", media)
    names = set()
    for block in declarations:
        for declaration in block.split(";"):
            name = declaration.split(":", 1)[0].strip().lower()
            # Custom properties: their values are checked below.
            if ":" in declaration and not name.startswith("--"):
                names.add(name)
    return names


def test_the_parser_finds_what_a_dark_block_declares():
    css = """
    @media (prefers-color-scheme: dark) { .a:hover { color: #fff; display: none } }
    :root[data-theme="dark"] .b { background: #000; margin: 0 }
    .c { padding: 1px }
    """
    assert dark_only_properties(css) == {"color", "display", "background", "margin"}


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_dark_only_rules_declare_colours_only(path):
    assert dark_only_properties(path.read_text()) <= COLOUR_PROPERTIES


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_custom_properties_set_in_dark_are_colours(path):
    # light-dark() is only valid for colours, so a pair can never change a
    # layout; this keeps a custom property set in a dark block to colours too.
    css = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    for body in _blocks(css, DARK_MEDIA):
        for value in re.findall(r"--[-\w]+\s*:([^;}]*)", body):
            assert re.fullmatch(
                r"\s*(#[0-9a-fA-F]{3,8}|rgb\([^)]*\)|hsl\([^)]*\)|transparent)\s*",
                value,
            ), value
