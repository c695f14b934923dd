"""The harness tells a page's actions apart by the view their path resolves to."""

from bench import html, kinds


def _action(method: str, url: str, **fields: str) -> html.Action:
    return html.Action(method=method, url=url, fields=fields, htmx=True)


def test_actions_are_classified_by_their_view():
    seen: dict = {}
    grade = _action("POST", "http://h/review/7/grade/", grade="4")
    assert kinds.classify(grade, seen) == "grade"
    assert kinds.classify(_action("GET", "http://h/review/7/answer/"), seen) == "reveal"
    assert kinds.classify(_action("POST", "http://h/review/undo/"), seen) == "undo"
    assert kinds.classify(_action("GET", "http://h/no/such/page/"), seen) is None
    assert seen == {
        "grade": {"cards:grade"},
        "reveal": {"cards:reveal"},
        "undo": {"cards:undo"},
    }


def test_a_path_is_resolved_once_and_each_path_by_itself():
    kinds.view_name.cache_clear()
    for _ in range(5):  # the grade buttons of one card share their path
        assert kinds.view_name("/review/8/grade/") == "cards:grade"
    assert kinds.view_name("/review/8/answer/") == "cards:reveal"
    assert kinds.view_name("/nowhere/") is None
    info = kinds.view_name.cache_info()
    assert (info.hits, info.misses) == (4, 3)
