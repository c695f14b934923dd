"""The charts' repeated elements built as markup (cards/progress/markup.py)."""

from django.template import Context, Template

from cards.progress import geometry, markup
from cards.progress.geometry import Hit, Path, Rect, Table

NASTY = "<script>alert('x')</script> & \"q\""
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;"


def test_texts_are_escaped_as_django_escapes_them():
    from django.utils.html import escape

    assert escape(NASTY) == ESCAPED
    bars = markup.bars((), [Hit(Rect(1, 2, 3.5, 4), NASTY)])
    assert f"<title>{ESCAPED}</title>" in bars and "<script>" not in bars
    shapes = markup.paths([Path(NASTY, "M0 0h1v1h-1z")])
    assert shapes == f'<path class="{ESCAPED}" d="M0 0h1v1h-1z"/>'
    body = markup.table_body([(NASTY, 3, "<b>")], columns=3)
    assert (
        body == f'<tr><th scope="row">{ESCAPED}</th><td>3</td><td>&lt;b&gt;</td></tr>'
    )


def test_templates_print_markup_once_and_escape_plain_text():
    page = Template("{{ m }}|{{ s }}").render(
        Context({"m": markup.Markup("<g></g>"), "s": "<g></g>"})
    )
    assert page == "<g></g>|&lt;g&gt;&lt;/g&gt;"


def test_bars_draw_one_path_per_class_then_the_tooltips():
    shapes = (
        Path("bar-good", "M35.27 100.5h6.55v57.5h-6.55z"),
        Path("x", "M35.27 90h6.55v10.5h-6.55z"),
    )
    hit = Hit(Rect(34, 26, 9.09, 132), "Mon 2 Mar: 5 reviews")
    assert markup.bars(shapes, [hit]) == (
        '<path class="bar-good" d="M35.27 100.5h6.55v57.5h-6.55z"/>'
        '<path class="x" d="M35.27 90h6.55v10.5h-6.55z"/>'
        '<g><title>Mon 2 Mar: 5 reviews</title><rect class="hit" x="34" y="26" '
        'width="9.09" height="132" fill="transparent"/></g>'
    )
    assert markup.bars(shapes) == markup.paths(shapes)


def test_an_empty_table_says_so():
    table = Table("Caption", ("Day", "Reviews"), ())
    assert table.body == '<tr><td colspan="2">No data yet.</td></tr>'
    assert geometry.Table("c", ("a",), (("only",),)).body == (
        '<tr><th scope="row">only</th></tr>'
    )
