"""'Your data' version 3: gzipped JSON lines, streamed out and read back as a stream."""

import gzip
import io
import json
import os
import tracemalloc
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cards.learner import userdata
from cards.models import Question, ReviewKind, ReviewLog, ReviewSchedule
from tests.factories import insert_rows, make_user, sm2_fields, sm2_state
from tests.learner.test_data import export, import_, study


@pytest.fixture
def lines(questions) -> list[bytes]:
    learner = make_user(username="liner")
    study(learner, questions[:3], 20, seed=5)
    return gzip.decompress(export(learner)).splitlines(keepends=True)


def _import_lines(lines: list[bytes], *, compress: bool = True):
    blob = b"".join(lines)
    return import_(make_user(), gzip.compress(blob) if compress else blob)


def test_the_file_is_compact_json_lines_with_a_header_and_an_end(lines):
    header = json.loads(lines[0])
    assert header["version"] == 3 and header["format"] == "genai-prep/user-data"
    kinds = [json.loads(line)[0] for line in lines[1:]]
    assert kinds == ["schedule"] * 3 + ["review"] * 20 + ["end"]
    assert json.loads(lines[-1]) == ["end", {"reviews": 20, "schedules": 3}]
    assert all(b": " not in line and b", " not in line for line in lines[1:])


def test_plain_lines_import_as_well_as_gzipped_ones(lines):
    assert _import_lines(lines, compress=False).reviews_added == 20
    assert _import_lines(lines).reviews_added == 20


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ls: ls[:-1], "incomplete"),
        (lambda ls: ls[:10], "incomplete"),
        (lambda ls: [*ls, b'["review"]\n'], "goes on after its end line"),
        (
            lambda ls: [*ls[:-1], b'["end",{"reviews":19,"schedules":3}]\n'],
            "incomplete",
        ),
        (lambda ls: [*ls[:5], ls[1], *ls[5:]], "'schedule' line out of place"),
        (lambda ls: [ls[0], ls[5], *ls[1:5], *ls[6:]], "has no schedule"),
        (
            lambda ls: [*ls[:4], b'["review", 1]\n', *ls[4:]],
            f"must have {len(userdata.REVIEW_FIELDS)} values",
        ),
        (lambda ls: [*ls[:4], b"{oops\n", *ls[4:]], "line 5: is not JSON"),
        (lambda ls: [*ls[:4], b"{}\n", *ls[4:]], "must be a list"),
        (lambda ls: [*ls[:4], ls[4], *ls[4:]], "does not fit"),
    ],
)
def test_a_damaged_file_is_refused_whole_with_its_line(lines, change, message):
    before = ReviewLog.objects.count(), ReviewSchedule.objects.count()
    with pytest.raises(userdata.UserDataError, match=message):
        _import_lines(change(lines))
    assert (ReviewLog.objects.count(), ReviewSchedule.objects.count()) == before


def test_a_cut_gzip_stream_is_refused(lines, db):
    blob = gzip.compress(b"".join(lines))
    with pytest.raises(userdata.UserDataError, match="not a complete gzip file"):
        import_(make_user(), blob[: len(blob) // 2])


def test_the_limit_is_on_decompressed_bytes(lines, db, monkeypatch):
    # A gzip bomb: a few kilobytes that expand past the limit.
    monkeypatch.setattr(
        "cards.learner.userdata_stream.MAX_DECOMPRESSED_BYTES", 2 * 2**20
    )
    bomb = gzip.compress(lines[0] + lines[1] * 20_000)
    assert len(bomb) < 50_000  # kilobytes for megabytes
    with pytest.raises(userdata.UserDataError, match="once decompressed"):
        userdata.read_user_data(io.BytesIO(bomb))


def _bulk_history(user, *, questions: int, per_question: int) -> int:
    """`questions` x `per_question` review rows, written in bulk (fast)."""
    tag = user.username
    bank = Question.objects.bulk_create(
        Question(key=f"bulk-{tag}-{n:05d}", prompt=f"Bulk {tag} {n}?", answer="A.")
        for n in range(questions)
    )
    start = datetime(2025, 1, 1, 8, tzinfo=UTC)
    schedules = ReviewSchedule.objects.bulk_create(
        ReviewSchedule(
            user=user,
            question=q,
            due_on=date(2026, 1, 5),
            version=per_question,
            last_reviewed_at=start,
            **sm2_fields(3, 6, "2.50"),
        )
        for q in bank
    )
    rows = (
        ReviewLog(
            user=user,
            schedule=s,
            question_id=s.question_id,
            kind=ReviewKind.REVIEW,
            grade=4,
            reviewed_at=start + timedelta(minutes=n * questions + i),
            study_day=(start + timedelta(minutes=n * questions + i)).date(),
            duration_ms=4_000 + n,
            from_version=n,
            scheduler="sm2",
            state_before=sm2_state(2, 6, "2.50"),
            due_before=date(2025, 1, 1),
            lapses_before=0,
            state_after=sm2_state(3, 15, "2.60"),
            due_after=date(2025, 1, 16),
        )
        for n in range(per_question)
        for i, s in enumerate(schedules)
    )
    insert_rows(list(rows))
    return questions * per_question


def _peak_mb(run) -> tuple[object, float]:
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / 2**20


# The suite streams 8,000 reviews (a few seconds); `make bench-data` runs the
# same test at 100,000 (USERDATA_REVIEWS) and prints the figures.
REVIEWS = int(os.environ.get("USERDATA_REVIEWS", "8000"))


def _export_to(client, path) -> int:
    response = client.get(reverse("cards:account_export"))
    with path.open("wb") as out:
        for chunk in response.streaming_content:
            out.write(chunk)
    return response.status_code


@pytest.mark.once
@pytest.mark.django_db
def test_export_memory_does_not_grow_with_the_history(client, tmp_path):
    peaks = []
    # A first export pays what a process pays once (imports, templates, the
    # driver's types): up to 8 MB, which would hide growth if it were measured.
    # Both measured histories fill the reads' 2,000-row chunks: one partial
    # chunk (2,000 reviews) peaked 1.6 MB below full ones on PostgreSQL.
    for name, questions in (("warm-up", 1), ("short", 40), ("long", 160)):
        owner = make_user(username=name)
        _bulk_history(owner, questions=questions, per_question=100)
        client.force_login(owner)
        path = tmp_path / f"{name}.gz"
        status, mb = _peak_mb(lambda path=path: _export_to(client, path))
        assert status == 200
        peaks.append(mb)
    # 4x the reviews (4,000 and 16,000), the same memory: nothing is held per review.
    assert peaks[2] < peaks[1] + 1.5, peaks


@pytest.mark.once
@pytest.mark.django_db
def test_many_reviews_export_and_import_in_little_memory(
    client, figure, tmp_path, django_capture_on_commit_callbacks
):
    owner = make_user(username="veteran")
    reviews = _bulk_history(owner, questions=REVIEWS // 100, per_question=100)
    client.force_login(owner)
    path = tmp_path / "export.jsonl.gz"

    status, export_mb = _peak_mb(lambda: _export_to(client, path))
    assert status == 200
    size = path.stat().st_size

    newcomer = make_user(username="newcomer")
    client.force_login(newcomer)

    def upload():
        with path.open("rb") as handle:
            file = SimpleUploadedFile("export.jsonl.gz", handle.read())
        # The job runs at the end of the capture (ImmediateBackend in tests),
        # so the peak is the request's and the worker's together.
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("cards:account_import"), {"file": file})

    response, import_mb = _peak_mb(upload)
    figure(
        "14.2",
        f"{reviews:,} reviews: file {size / 2**20:.1f} MB gzipped "
        f"({size / reviews:.0f} B/review); peak extra memory export "
        f"{export_mb:.1f} MB, import {import_mb:.1f} MB (tracemalloc)",
    )
    assert response.status_code == 302
    assert ReviewLog.objects.filter(user=newcomer).count() == reviews
    assert export_mb < 100 and import_mb < 100
