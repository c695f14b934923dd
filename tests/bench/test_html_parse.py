"""The harness's fast tag scanner (bench.html.parse) finds on the app's own pages
exactly what html.parser's tokenizer finds (bench.html.parse_reference)."""

import pytest

from bench import html
from tests.factories import make_question, make_user

ANSWER = """Attention scores are `softmax(QK^T / sqrt(d))`; for `a < b` and `b > c`:

```python
if a < b and "</button>" != '<form>':
    print("<b>not a tag</b>")
```

<!-- a comment with <button>inside</button> -->
Ampersands &amp; entities: &lt;tag&gt; and "quotes" 'too'."""


def _same(text: str, url: str) -> html.Page:
    fast = html.parse(text, url=url)
    assert fast == html.parse_reference(text, url=url)
    return fast


@pytest.mark.parametrize("typed", [False, True])
def test_fast_parse_equals_html_parser_on_the_review_pages(db, client, clock, typed):
    user = make_user(type_answer_first=typed)
    for n in range(3):
        make_question(prompt=f"Why is `x < y` here ({n})?", answer=ANSWER)
    client.force_login(user)
    base = "http://testserver/review/"
    page = _same(client.get("/review/").content.decode(), base)
    assert page.actions and page.csrf_token and page.assets
    grades = 0
    for _ in range(3):  # grade through the queue, fragment by fragment
        kinds = {a.url.rsplit("/", 2)[-2]: a for a in page.actions}
        action = kinds.get("grade") or kinds.get("check") or kinds.get("answer")
        assert action is not None, [a.url for a in page.actions]
        data = dict(action.fields)
        if "typed" in data or action.url.endswith("/check/"):
            data["typed"] = "Every token looks at every other token."
        if "grade" not in data and action.url.endswith("/grade/"):
            data["grade"] = "4"
        grades += action.url.endswith("/grade/")
        response = client.post(
            action.url,
            data,
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET=action.target or "card",
            HTTP_X_CSRFTOKEN=page.csrf_token,
        )
        assert response.status_code == 200, response.content[:300]
        page = _same(response.content.decode(), base)
    assert grades >= 1


def test_fast_parse_equals_html_parser_on_other_pages(db, client, clock):
    client.force_login(make_user())
    make_question(answer=ANSWER)
    for url in ("/", "/progress/", "/settings/", "/questions/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _same(response.content.decode(), f"http://testserver{url}")


def test_raw_text_comments_and_button_labels():
    text = (
        "<script>if (a < b) x.innerHTML = '<button hx-get=\"/js/\">y</button>'</script>"
        "<!-- <button hx-get='/no/'>x</button> -->"
        "<style>p > a { color: red }</style>"
        "<form hx-post='/review/1/grade/'><input name=version value=3>"
        '<button name="grade" value="4">Good <kbd>4</kbd> &amp; on</button></form>'
    )
    page = _same(text, "http://h/review/")
    assert [(a.url, a.fields, a.label) for a in page.actions] == [
        ("http://h/review/1/grade/", {"version": "3", "grade": "4"}, "Good 4 & on")
    ]


def test_hx_requests_on_other_tags_text_and_comments():
    # The scan stops at forms, inputs and buttons; any other tag counts only
    # through its hx-get / hx-post, in document order, inside a form or not.
    text = (
        "<p>Use hx-get=&quot;/x/&quot; to load, or hx-post.</p>"
        "<!-- <a hx-get='/commented/'>no</a> -->"
        '<div class="x" title="a > b" HX-GET="/upper/" hx-target="#t">d</div>'
        "<form hx-post='/review/2/grade/'><input name=version value=4>"
        "<a href='/s/' hx-get='/review/2/answer/' hx-vals='{\"level\": 1}'>skip</a>"
        '<button name="grade" value="3">Good <span>3</span></button></form>'
        "<script>x = '<a hx-get=\"/in-script/\">'</script>"
        "<section hx-post='/last/'></section>"
    )
    page = _same(text, "http://h/review/")
    assert [(a.method, a.url, a.fields) for a in page.actions] == [
        ("GET", "http://h/upper/", {}),
        ("GET", "http://h/review/2/answer/", {"version": "4", "level": "1"}),
        ("POST", "http://h/review/2/grade/", {"version": "4", "grade": "3"}),
        ("POST", "http://h/last/", {}),
    ]
