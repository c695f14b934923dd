"""The learner's topic choices travel in "Your data" (issue 16)."""

import gzip
import json

import pytest

from cards.bank import topic_choice
from cards.learner.userdata_file import UserDataError
from cards.models import LearnerTopic, Topic
from tests.factories import make_topic, make_user
from tests.learner.test_data import export, import_


def header(blob: bytes) -> dict:
    return json.loads(gzip.decompress(blob).splitlines()[0])


def test_topic_choices_are_exported_and_restored(db):
    demo = make_topic(is_opt_in=True)
    learner = make_user()
    rag, agents = Topic.objects.get(slug="rag"), Topic.objects.get(slug="agents")
    topic_choice.choose_topics(user=learner, studied=[rag, agents])
    LearnerTopic.objects.create(user=learner, topic=demo, is_studied=True)
    blob = export(learner)
    topics = header(blob)["topics"]
    assert topics["studied"] == [demo.slug] and len(topics["skipped"]) == 10
    other = make_user()
    import_(other, blob)
    assert set(topic_choice.studied_topics(other)) == {rag, agents, demo}


def test_a_file_without_choices_keeps_the_defaults(db):
    learner = make_user()
    blob = export(learner)
    assert header(blob)["topics"] == {"studied": [], "skipped": []}
    other = make_user()
    import_(other, blob)
    assert len(topic_choice.studied_topics(other)) == 12


def _with_topics(blob: bytes, topics: object) -> bytes:
    lines = gzip.decompress(blob).splitlines(keepends=True)
    first = json.loads(lines[0])
    first["topics"] = topics
    lines[0] = (json.dumps(first) + "\n").encode()
    return gzip.compress(b"".join(lines))


def test_unknown_topics_are_left_out_and_bad_ones_refused(db):
    blob = export(make_user())
    other = make_user()
    import_(other, _with_topics(blob, {"studied": ["no-such"], "skipped": ["rag"]}))
    assert Topic.objects.get(slug="rag") not in topic_choice.studied_topics(other)
    for bad in (
        {"studied": "rag", "skipped": []},
        {"studied": ["rag"], "skipped": ["rag"]},
    ):
        with pytest.raises(UserDataError, match="topics"):
            import_(make_user(), _with_topics(blob, bad))
