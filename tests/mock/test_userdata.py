"""Mock interviews and confidence in "Your data" (version 3), both ways."""

import gzip
import io
import json

import pytest

from cards.learner import userdata
from cards.mock import services
from cards.mock.models import MockAnswer, MockInterview
from cards.models import ReviewLog
from tests.factories import make_user

GOOD = "Self-attention lets every token weigh every other token, in parallel."


def exported(user) -> bytes:
    return b"".join(userdata.export_stream(user=user))


def lines(blob: bytes) -> list:
    return [json.loads(x) for x in gzip.decompress(blob).splitlines()]


def regzip(rows: list) -> bytes:
    text = "".join(json.dumps(r) + "\n" for r in rows)
    return gzip.compress(text.encode())


@pytest.fixture
def history(questions, clock):
    user = make_user(username="ex", rate_confidence=True)
    mock = services.start_mock(user=user, now=clock.now, count=2, seed=4)
    items = list(mock.answers.order_by("position"))
    for i, item in enumerate(items):
        clock.shift(seconds=30)
        services.hand_in(
            mock=mock, answer_id=item.pk, text=GOOD, now=clock.now, confidence=i + 1
        )
    mock.refresh_from_db()
    services.confirm(
        user=user, mock=mock, answer_id=items[0].pk, grade=4, now=clock.now
    )
    return user, mock


def _import(user, blob: bytes) -> None:
    userdata.import_user_data(user=user, data=userdata.read_user_data(io.BytesIO(blob)))


def test_the_file_carries_mocks_confidence_and_the_setting(history):
    user, mock = history
    rows = lines(exported(user))
    header, *rest = rows
    assert header["settings"]["rate_confidence"] is True
    assert header["review_fields"][-1] == "confidence"
    reviews = [r for r in rest if r[0] == "review"]
    assert reviews[0][-1] == 1  # the confirmed answer's confidence
    (kind, record), end = [r for r in rest if r[0] == "mock"][0], rest[-1]
    assert kind == "mock" and len(record["answers"]) == 2
    assert record["answers"][0]["text"] == GOOD
    assert record["answers"][0]["log_version"] == 0
    assert end == ["end", {"mocks": 1, "reviews": 1, "schedules": 1}]


def test_import_into_a_new_account_restores_mocks_and_links_the_log(history):
    user, _ = history
    blob = exported(user)
    fresh = make_user(username="fresh")
    data = userdata.read_user_data(io.BytesIO(blob))
    userdata.import_user_data(user=fresh, data=data)
    mock = MockInterview.objects.get(user=fresh)
    answers = list(mock.answers.order_by("position"))
    assert [a.text for a in answers] == [GOOD, GOOD]
    assert [a.confidence for a in answers] == [1, 2]
    log = ReviewLog.objects.get(user=fresh)
    assert answers[0].review_log == log and log.confidence == 1
    fresh.profile.refresh_from_db()
    assert fresh.profile.rate_confidence is True
    # The same file again adds nothing.
    userdata.import_user_data(
        user=fresh, data=userdata.read_user_data(io.BytesIO(blob))
    )
    assert MockInterview.objects.filter(user=fresh).count() == 1
    assert exported(fresh) != b""


def test_a_file_from_before_mocks_still_imports(history):
    user, _ = history
    rows = lines(exported(user))
    header = rows[0]
    header["review_fields"] = header["review_fields"][:-1]
    del header["settings"]["rate_confidence"]
    old = [header] + [
        r[:-1] if r[0] == "review" else r for r in rows[1:] if r[0] != "mock"
    ]
    old[-1] = ["end", {"reviews": 1, "schedules": 1}]
    fresh = make_user(username="old")
    userdata.import_user_data(
        user=fresh, data=userdata.read_user_data(io.BytesIO(regzip(old)))
    )
    assert ReviewLog.objects.get(user=fresh).confidence is None
    assert not MockInterview.objects.filter(user=fresh).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m["answers"][0].update(confidence=4), "must be 1, 2 or 3"),
        (lambda m: m["answers"][0].update(text="x" * 5_001), "longer than 5000"),
        (
            lambda m: m["answers"][0].update(question="no-such-key"),
            "not in this question bank",
        ),
        (lambda m: m.pop("levels"), "must have exactly"),
        (lambda m: m["answers"][1].update(position=0), "repeat a position"),
        (lambda m: m["answers"][0].update(is_late="no"), "must be true or false"),
        (
            lambda m: m["answers"][0].update(points=[["x", "yes"]]),
            r"\[statement, covered\]",
        ),
        (
            lambda m: m["answers"][0].update(points=[["x"]] * 51),
            r"\[statement, covered\]",
        ),
        (lambda m: m.update(levels=[4]), "levels 1 to 3"),
        (lambda m: m.update(levels="1"), "levels 1 to 3"),
        (lambda m: m.update(topics=[""]), "topic slugs"),
        (lambda m: m.update(topics=["x" * 81]), "topic slugs"),
        (lambda m: m.update(answers=[]), "must list 1 to"),
        (lambda m: m.update(answers={}), "must list 1 to"),
        (lambda m: m["answers"][0].pop("grade"), "must have exactly question"),
        (
            lambda m: m["answers"][0].update(text=None),
            r"answers\[0\]\.text: must not be empty",
        ),
        (
            lambda m: m["answers"][1].update(question=m["answers"][0]["question"]),
            "repeat a position or a question",
        ),
        (lambda m: m.update(finished_at="soon"), "finished_at"),
    ],
)
def test_a_bad_mock_line_is_refused_and_nothing_is_written(history, change, message):
    user, _ = history
    rows = lines(exported(user))
    change(next(r for r in rows[1:] if r[0] == "mock")[1])
    fresh = make_user(username="victim")
    with pytest.raises(userdata.UserDataError, match=message):
        _import(fresh, regzip(rows))
    assert not MockInterview.objects.filter(user=fresh).exists()
    assert not ReviewLog.objects.filter(user=fresh).exists()
    assert not MockAnswer.objects.filter(mock__user=fresh).exists()


def test_an_end_line_that_does_not_count_the_mocks_is_refused(history):
    user, _ = history
    rows = lines(exported(user))
    rows[-1] = ["end", {"reviews": 1, "schedules": 1}]
    with pytest.raises(userdata.UserDataError, match="count the mock"):
        userdata.parse_user_data(regzip(rows))
