"""What makes rendered HTML active: used by the XSS and fuzzing tests."""

import re
from html.parser import HTMLParser

# Presentational MathML (issue 16, cards/highlight.py) is allowed: no links, no
# annotation-xml (which can carry HTML), none of the elements mXSS relies on.
SCRIPTABLE = {"script", "iframe", "object", "embed", "svg", "style", "form",
              "base", "meta", "link", "frame", "frameset", "template",
              "annotation-xml", "maction", "mglyph", "malignmark"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
SAFE_SCHEMES = {"http", "https", "mailto"}
# How a browser finds a URL's scheme (WHATWG URL): C0 controls and spaces at
# the ends and tabs/newlines anywhere are dropped; then letters, digits, +-. .
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def url_scheme(value: str) -> str | None:
    cleaned = re.sub(r"[\t\n\r]", "", value.strip("\x00\x01\x02\x03\x04\x05\x06\x07"
                     "\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
                     "\x1a\x1b\x1c\x1d\x1e\x1f \t\n\r"))  # fmt: skip
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SCRIPTABLE:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith(("on", "hx-", "data-hx-")) or name == "style":
                self.problems.append(f"{tag} {name}=")
            scheme = url_scheme(value or "") if name in URL_ATTRIBUTES else None
            if scheme and scheme not in SAFE_SCHEMES:
                self.problems.append(f"{tag} {name}={scheme}:")

    handle_startendtag = handle_starttag


def active_content(html: str) -> list[str]:
    """Scripts, handlers, non-web URLs, inline styles and htmx attributes found."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems
