"""What a simulated learner can do on a page: the htmx and form actions it offers.

The load harness finds the reveal and grade requests in the served HTML (as a
browser running htmx would) instead of hard-coding URLs and field names, so it
follows whatever markup the review screen ships. Standard library only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

SUBMIT_TYPES = {"submit", "image"}


@dataclass(frozen=True)
class Action:
    """One request the page can send: a form submission or an hx-get/hx-post."""

    method: str  # "GET" or "POST"
    url: str  # absolute path, query string included for hx-get
    fields: dict[str, str]
    htmx: bool
    target: str | None = None  # the hx-target id, without "#"
    label: str = ""

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


@dataclass
class Page:
    actions: list[Action] = field(default_factory=list)
    csrf_token: str | None = None
    assets: list[str] = field(default_factory=list)  # CSS, JS and icons it loads


@lru_cache(maxsize=4096)
def _join(base: str, url: str) -> str:
    return urljoin(base, url)


def _json(value: str | None) -> dict:
    if not value or value.lstrip().startswith(("js:", "javascript:")):
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _target(value: str | None) -> str | None:
    if value and value.startswith("#"):
        return value[1:]
    return None


class _Parser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.page = Page()
        self.form: dict | None = None
        self.button: dict | None = None
        self.inherited_target: list[str | None] = []

    def _url(self, value: str | None) -> str:
        return _join(self.base, value or "")

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = {k: v if v is not None else "" for k, v in attrs_list}
        if tag == "body" and "hx-headers" in attrs:
            headers = {k.lower(): v for k, v in _json(attrs["hx-headers"]).items()}
            self.page.csrf_token = headers.get("x-csrftoken") or self.page.csrf_token
        if tag == "link" and attrs.get("href"):
            rel = attrs.get("rel", "").lower().split()
            if "stylesheet" in rel or "icon" in rel:
                self.page.assets.append(self._url(attrs["href"]))
        if tag == "script" and attrs.get("src"):
            self.page.assets.append(self._url(attrs["src"]))
        if tag == "form":
            self.form = {"attrs": attrs, "fields": {}, "buttons": []}
            return
        if tag == "input":
            self._input(attrs)
            return
        if tag == "button":
            self.button = {"attrs": attrs, "text": ""}
            return
        if "hx-get" in attrs or "hx-post" in attrs:  # <a>, <div>...: no label kept
            self._standalone(attrs, label="")

    def _input(self, attrs: dict) -> None:
        kind = attrs.get("type", "text").lower()
        name = attrs.get("name")
        if name == "csrfmiddlewaretoken":
            self.page.csrf_token = self.page.csrf_token or attrs.get("value")
        if self.form is None or not name:
            return
        if kind in SUBMIT_TYPES:
            self.form["buttons"].append(
                {"attrs": attrs, "text": attrs.get("value", "")}
            )
        elif kind in ("radio", "checkbox"):
            if "checked" in attrs:
                self.form["fields"][name] = attrs.get("value", "on")
        else:
            self.form["fields"][name] = attrs.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.button is not None:
            self.button["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self.button is not None:
            button, self.button = self.button, None
            attrs = button["attrs"]
            if "hx-get" in attrs or "hx-post" in attrs:
                self._standalone(attrs, label=button["text"])
            elif attrs.get("type", "submit").lower() == "submit" and self.form:
                self.form["buttons"].append(button)
        elif tag == "form" and self.form is not None:
            self._finish_form(self.form)
            self.form = None

    def _standalone(self, attrs: dict, *, label: str) -> None:
        method = "POST" if "hx-post" in attrs else "GET"
        url = attrs.get("hx-post") or attrs.get("hx-get")
        fields = {k: str(v) for k, v in _json(attrs.get("hx-vals")).items()}
        if self.form is not None:  # an hx-post button inside a form sends the form
            fields = {**self.form["fields"], **fields}
            if attrs.get("name"):
                fields[attrs["name"]] = attrs.get("value", "")
        self.page.actions.append(
            Action(
                method=method,
                url=self._url(url),
                fields=fields,
                htmx=True,
                target=_target(attrs.get("hx-target")),
                label=" ".join(label.split()),
            )
        )

    def _finish_form(self, form: dict) -> None:
        attrs = form["attrs"]
        htmx = "hx-post" in attrs or "hx-get" in attrs
        if htmx:
            method = "POST" if "hx-post" in attrs else "GET"
            url = attrs.get("hx-post") or attrs.get("hx-get")
        else:
            method = attrs.get("method", "get").upper()
            url = attrs.get("action")
        base_fields = {**form["fields"]}
        base_fields.update({k: str(v) for k, v in _json(attrs.get("hx-vals")).items()})
        buttons = form["buttons"] or [{"attrs": {}, "text": ""}]
        for button in buttons:
            b = button["attrs"]
            fields = dict(base_fields)
            if b.get("name"):
                fields[b["name"]] = b.get("value", "")
            fields.update({k: str(v) for k, v in _json(b.get("hx-vals")).items()})
            self.page.actions.append(
                Action(
                    method=method,
                    url=self._url(b.get("formaction") or url),
                    fields=fields,
                    htmx=htmx,
                    target=_target(b.get("hx-target") or attrs.get("hx-target")),
                    label=" ".join(button["text"].split()),
                )
            )


# The tags of a page that matter, found by one regular expression instead of
# html.parser's tokenizer: the harness shares the server's two cores, and
# html.parser spent 1.9 ms of them on each 10 KB card fragment. The scan
# stops only at what the parser reads (forms, inputs, buttons, <body>, <link>,
# <script>, <style>, the end of a form or a button, and any tag with hx-get or
# hx-post); the <span>s, <li>s and <p>s between them, three quarters of a
# card's tags, are passed over inside the regular expression (a Python step
# for each of them was most of the 0.7 ms a card still cost). Comments and the
# raw text of <script> and <style> are skipped as a browser skips them; only
# a <button>'s text is kept (its label, inner tags taken out).
# `parse_reference` is the html.parser path, and tests/bench/test_html_parse.py
# checks that both find the same on every page.
_ATTRS = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""  # quotes may hold ">"
_READ = "form|input|button|body|link|script|style"
_SCAN = re.compile(
    rf"<!--.*?-->|<(/?)({_READ})(?![a-zA-Z0-9:-])({_ATTRS})>", re.S | re.I
)
_TAG = re.compile(rf"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9:-]*)({_ATTRS})>", re.S)
# Attribute names fold case; spelt out, as re.I is ten times slower on a page
# that is not all ASCII.
_HX_REQUEST = re.compile("[hH][xX]-(?:[gG][eE][tT]|[pP][oO][sS][tT])")
_ATTR = re.compile(
    r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
_READ_TAGS = set(_READ.split("|"))
_RAW_TEXT = {"script", "style"}
_ENDS = {"form", "button"}  # the end tags the parser acts on


def _attrs(source: str) -> list[tuple[str, str | None]]:
    out = []
    for m in _ATTR.finditer(source):
        name, dq, sq, bare = m.groups()
        value = dq if dq is not None else sq if sq is not None else bare
        if value is not None and "&" in value:
            value = unescape(value)
        out.append((name.lower(), value))
    return out


def _hx_tags(html: str) -> list[re.Match]:
    """Tags other than those of _SCAN that carry hx-get or hx-post (an <a>, a
    <div>), found from the attribute: the tag that starts at the last "<"
    before it and ends after it. An "hx-get" in text is no tag's."""
    found, last = [], -1
    for hx in _HX_REQUEST.finditer(html):
        start = html.rfind("<", 0, hx.start())
        if start <= last:
            continue
        m = _TAG.match(html, start)
        if (
            m
            and m.group(2)
            and not m.group(1)
            and m.end() > hx.end()
            and m.group(2).lower() not in _READ_TAGS
        ):
            found.append(m)
            last = start
    return found


def _feed(parser: _Parser, html: str) -> None:
    position = 0
    lowered: str | None = None
    others = _hx_tags(html)
    while True:
        m = _SCAN.search(html, position)
        while others and others[0].start() < position:  # in a comment or raw text
            others.pop(0)
        if others and (m is None or others[0].start() < m.start()):
            m = others.pop(0)
        if m is None:
            break
        if parser.button is not None and m.start() > position:
            text = _TAG.sub("", html[position : m.start()])
            parser.handle_data(unescape(text))
        position = m.end()
        closing, tag, rest = m.groups()
        if tag is None:  # a comment
            continue
        tag = tag.lower()
        if closing:
            if tag in _ENDS:
                parser.handle_endtag(tag)
            continue
        parser.handle_starttag(tag, _attrs(rest))
        if tag in _RAW_TEXT:
            if lowered is None:
                lowered = html.lower()
            end = lowered.find(f"</{tag}", position)
            position = len(html) if end < 0 else end


def parse(html: str, *, url: str) -> Page:
    """The actions, CSRF token and assets of `html`, served at `url`."""
    parser = _Parser(url)
    _feed(parser, html)
    if parser.form is not None:  # an unclosed form in a fragment
        parser._finish_form(parser.form)
    return parser.page


def parse_reference(html: str, *, url: str) -> Page:
    """`parse` through html.parser's own tokenizer (slower; the reference)."""
    parser = _Parser(url)
    parser.feed(html)
    parser.close()
    if parser.form is not None:
        parser._finish_form(parser.form)
    return parser.page
