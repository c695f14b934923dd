"""Round trips counted on the wire (libpq's trace), BEGIN, COMMIT and the
connection health check included; the middleware reports them on request."""

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from bench import middleware, wire
from cards.models import Question

TRACE = """F\t10\tQuery\t "BEGIN"
B\t10\tCommandComplete\t "BEGIN"
B\t5\tReadyForQuery\t T
F\t26\tParse\t "" "SELECT $1::int" 1 NNNN
F\t4\tSync
B\t4\tParseComplete
B\t5\tReadyForQuery\t T
F\t11\tQuery\t "COMMIT"
B\t5\tReadyForQuery\t I
"""


def test_parse_counts_one_round_trip_per_ready_for_query():
    trace = wire.parse(TRACE)
    assert trace.round_trips == 3
    assert trace.statements == ["BEGIN", "SELECT $1::int", "COMMIT"]
    assert trace.summary() == "BEGIN|SELECT|COMMIT"


def test_traced_is_a_no_op_off_postgresql(db):
    if connection.vendor == "postgresql":
        pytest.skip("the PostgreSQL tests below cover this database")
    with wire.traced() as trace:
        Question.objects.count()
    assert not trace.traced and trace.round_trips == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_transaction_costs_begin_and_commit_on_the_wire():
    if connection.vendor != "postgresql":
        pytest.skip("libpq's trace is PostgreSQL's")
    connection.ensure_connection()
    with wire.traced() as trace, transaction.atomic():
        Question.objects.count()
    assert trace.traced
    assert trace.summary() == "BEGIN|SELECT|COMMIT"
    assert trace.round_trips == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_middleware_counts_the_health_check_when_asked():
    if connection.vendor != "postgresql":
        pytest.skip("libpq's trace is PostgreSQL's")

    def view(request):
        Question.objects.count()
        return HttpResponse("ok")

    connection.ensure_connection()
    # What request_started does: the next query is preceded by a health check.
    connection.close_if_unusable_or_obsolete()
    request = RequestFactory().get("/", headers={middleware.TRACE_HEADER: "1"})
    response = middleware.query_count(view)(request)
    assert response["X-Bench-Wire"] == "SELECT 1|SELECT"
    assert response["X-Bench-Round-Trips"] == "2"
    assert response["X-Bench-Queries"] == "1"  # what execute_wrapper sees


def test_middleware_traces_nothing_unless_asked(db):
    response = middleware.query_count(lambda r: HttpResponse())(
        RequestFactory().get("/")
    )
    assert "X-Bench-Round-Trips" not in response


def _graded_on_the_wire(client, question_id: int, version: int, **data):
    from django.urls import reverse

    # What request_started does in production (the test client skips it):
    # the request's first query is preceded by a health check.
    connection.close_if_unusable_or_obsolete()
    with wire.traced() as trace:
        r = client.post(
            reverse("cards:grade", args=[question_id]),
            {"grade": 4, "version": version, "shown_at": "1", **data},
            headers={"HX-Request": "true"},
        )
    # Not traced when the health check found the connection dead (reopened).
    return r, (trace.round_trips if trace.traced else None, trace.summary())


def _learner_with_due_cards(client, count: int = 3, **profile):
    """A logged-in learner with `count` cards due, its user already cached."""
    from datetime import timedelta

    from django.urls import reverse

    from cards.models import LearnerProfile
    from tests.clock import frozen_moment
    from tests.factories import make_schedule, make_user

    learner = make_user(username="wire")
    if profile:
        LearnerProfile.objects.filter(user=learner).update(**profile)
    today = learner.profile.study_day(frozen_moment())
    due = [
        make_schedule(user=learner, due_on=today - timedelta(days=2))
        for _ in range(count)
    ]
    client.force_login(learner)
    assert client.get(reverse("cards:review")).status_code == 200  # user cached
    return due


# Issue 12's budget is 5 per card: health check, the grade's one read (the
# question, the schedule, plan row and suspension), its one write statement in
# autocommit (no BEGIN/COMMIT), and the queue with the next card's back.
LEAN = (4, "SELECT 1|SELECT|WITH|SELECT")


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_graded_card_costs_four_round_trips_due_or_new(client):
    if connection.vendor != "postgresql":
        pytest.skip("libpq's trace is PostgreSQL's")
    from tests.factories import make_question

    new = make_question()
    due = _learner_with_due_cards(client)
    trips = []
    for schedule in due[:2]:
        r, trip = _graded_on_the_wire(client, schedule.question_id, schedule.version)
        assert r.status_code == 200 and "<template data-back>" in r.text
        trips.append(trip)
    r, trip = _graded_on_the_wire(client, new.pk, 0)
    assert r.status_code == 200
    trips.append(trip)
    assert trips == [LEAN] * 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_stale_grade_is_refused_on_the_lean_path(client):
    if connection.vendor != "postgresql":
        pytest.skip("libpq's trace is PostgreSQL's")
    (schedule,) = _learner_with_due_cards(client, 1)
    first, _ = _graded_on_the_wire(client, schedule.question_id, schedule.version)
    again, _ = _graded_on_the_wire(client, schedule.question_id, schedule.version)
    assert first.status_code == 200 and again.status_code == 409
    assert schedule.logs.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_grade_after_the_database_dropped_the_connection_succeeds(client):
    """CONN_HEALTH_CHECKS stays on: the kept connection died (a restart, an
    idle timeout), the health check notices and the grade reconnects."""
    if connection.vendor != "postgresql":
        pytest.skip("libpq's trace is PostgreSQL's")
    import psycopg

    (schedule,) = _learner_with_due_cards(client, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    connection.close_if_unusable_or_obsolete()  # request_started
    r, (trips, wire_) = _graded_on_the_wire(
        client, schedule.question_id, schedule.version
    )
    assert r.status_code == 200 and trips is None  # a new connection
    assert wire_.startswith("SELECT 1")  # the health check that found it dead
    assert schedule.logs.count() == 1


def _request_on_the_wire(client, method: str, url: str, data: dict):
    connection.close_if_unusable_or_obsolete()  # request_started
    with wire.traced() as trace:
        send = client.post if method == "POST" else client.get
        r = send(url, data, headers={"HX-Request": "true"})
    assert trace.traced and r.status_code == 200
    return trace.round_trips, trace.summary()


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.parametrize("mode", ["typed", "confidence"])
def test_the_two_request_flows_cost_at_most_five_round_trips_a_request(client, mode):
    """Typed answer (check, then grade with the text) and confidence first
    (reveal with a rating, then grade): no answer text before the learner
    commits, so two requests per card, each within issue 12's budget of 5."""
    if connection.vendor != "postgresql":
        pytest.skip("libpq's trace is PostgreSQL's")
    from django.urls import reverse

    due = _learner_with_due_cards(
        client, type_answer_first=mode == "typed", rate_confidence=mode == "confidence"
    )
    trips = []
    for schedule in due[:2]:
        qid, shown = schedule.question_id, {"version": schedule.version}
        if mode == "typed":
            said = {"typed": "Attention weighs every token against the others."}
            first = _request_on_the_wire(
                client, "POST", reverse("cards:check", args=[qid]), shown | said
            )
        else:
            said = {"confidence": "2"}
            first = _request_on_the_wire(
                client, "GET", reverse("cards:reveal", args=[qid]), shown | said
            )
        second = _request_on_the_wire(
            client,
            "POST",
            reverse("cards:grade", args=[qid]),
            shown | said | {"grade": 4},
        )
        trips.append((first, second))
    expected = {
        # health, question, queue (the card's schedule and note with it),
        # the key points
        "typed": ((4, "SELECT 1|SELECT|SELECT|SELECT"), LEAN_TYPED),
        # health, question, queue
        "confidence": ((3, "SELECT 1|SELECT|SELECT"), LEAN),
    }[mode]
    assert trips == [expected] * 2
    assert all(n <= 5 for pair in trips for n, _ in pair)


# The typed grade checks the text again against the key points (one query)
# between the grade's read and its write.
LEAN_TYPED = (5, "SELECT 1|SELECT|SELECT|WITH|SELECT")


PREPARED_TRACE = """F\t34\tBind\t "" "_pg3_0" 1 1 1 8 '\\x00' 1 0
F\t9\tExecute\t "" 0
F\t4\tSync
B\t5\tReadyForQuery\t I
F\t36\tParse\t "_pg3_1" "SELECT $1::int + 2" 1 NNNN
F\t34\tBind\t "" "_pg3_1" 1 1 1 8 '\\x00' 1 0
F\t4\tSync
B\t5\tReadyForQuery\t I
F\t34\tBind\t "" "_pg3_7" 1 1 1 8 '\\x00' 1 0
F\t4\tSync
B\t5\tReadyForQuery\t I
"""


def test_parse_names_the_prepared_statements_a_bind_runs():
    trace = wire.parse(PREPARED_TRACE, {"_pg3_0": "WITH sched AS (UPDATE ..."})
    assert trace.round_trips == 3
    # Prepared before the trace (named by the connection), prepared and run
    # in it (its Parse), and one the map does not know.
    assert trace.summary() == "WITH|SELECT|EXECUTE"
