"""Per-request SQL query count and timings in response headers (DJANGO_BENCH=1)."""

from contextlib import nullcontext
from time import perf_counter

from django.db import connection

from bench import wire

TRACE_HEADER = "X-Bench-Trace"


class _Counter:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        start = perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += perf_counter() - start


def query_count(get_response):
    """X-Bench-Queries: SQL statements run for this request, every layer included;
    Server-Timing: time in Django and in the database, as browsers show it.

    A request sent with `X-Bench-Trace: 1` also gets X-Bench-Round-Trips (every
    wait for PostgreSQL on the wire, BEGIN, COMMIT and the health check
    included) and X-Bench-Wire (the statements' first words). Tracing costs
    time, so the timed phases never ask for it.
    """

    def middleware(request):
        counter = _Counter()
        tracing = request.headers.get(TRACE_HEADER) == "1"
        start = perf_counter()
        with (
            wire.traced(connection) if tracing else nullcontext() as trace,
            connection.execute_wrapper(counter),
        ):
            response = get_response(request)
        app_ms = (perf_counter() - start) * 1000
        response["X-Bench-Queries"] = str(counter.count)
        response["Server-Timing"] = (
            f"app;dur={app_ms:.2f}, db;dur={counter.seconds * 1000:.2f}"
        )
        if trace is not None and trace.traced:
            response["X-Bench-Round-Trips"] = str(trace.round_trips)
            response["X-Bench-Wire"] = trace.summary()
        return response

    return middleware
