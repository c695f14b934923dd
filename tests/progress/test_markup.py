"""The charts' repeated elements built as markup (cards/progress/markup.py)."""

from django.template import Context, Template

from cards.progress import geometry, markup
from cards.progress.geometry import Bar, Cell, Rect, Table

NASTY = "<script>alert('x')</script> & \"q\""
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;"


def test_texts_are_escaped_as_django_escapes_them():
    from django.utils.html import escape

    assert escape(NASTY) == ESCAPED
    bars = markup.bars([Bar(Rect(1, 2, 3.5, 4), (Rect(1, 2, 3.5, 4, "b"),), NASTY)])
    assert f"<title>{ESCAPED}</title>" in bars and "<script>" not in bars
    cells = markup.cells([Cell(30, 18, 2, NASTY)], size=10)
    assert cells == (
        f'<rect class="heat-2" x="30" y="18" width="10" height="10" rx="2">'
        f"<title>{ESCAPED}</title></rect>"
    )
    body = markup.table_body([(NASTY, 3, "<b>")], columns=3)
    assert (
        body == f'<tr><th scope="row">{ESCAPED}</th><td>3</td><td>&lt;b&gt;</td></tr>'
    )


def test_templates_print_markup_once_and_escape_plain_text():
    page = Template("{{ m }}|{{ s }}").render(
        Context({"m": markup.Markup("<g></g>"), "s": "<g></g>"})
    )
    assert page == "<g></g>|&lt;g&gt;&lt;/g&gt;"


def test_bars_draw_the_hit_target_then_the_stack():
    bar = Bar(
        Rect(34, 26, 9.09, 132),
        (Rect(35.27, 100.5, 6.55, 57.5, "bar-good"), Rect(35.27, 90, 6.55, 10.5, "x")),
        "Mon 2 Mar: 5 reviews",
    )
    assert markup.bars([bar]) == (
        '<g><title>Mon 2 Mar: 5 reviews</title><rect class="hit" x="34" y="26" '
        'width="9.09" height="132" fill="transparent"/><rect class="bar-good" '
        'x="35.27" y="100.5" width="6.55" height="57.5"/><rect class="x" x="35.27" '
        'y="90" width="6.55" height="10.5"/></g>'
    )


def test_an_empty_table_says_so():
    table = Table("Caption", ("Day", "Reviews"), ())
    assert table.body == '<tr><td colspan="2">No data yet.</td></tr>'
    assert geometry.Table("c", ("a",), (("only",),)).body == (
        '<tr><th scope="row">only</th></tr>'
    )
