"""Per-request SQL query count and timings in response headers (DJANGO_BENCH=1)."""

from time import perf_counter

from django.db import connection


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
    Server-Timing: time in Django and in the database, as browsers show it."""

    def middleware(request):
        counter = _Counter()
        start = perf_counter()
        with connection.execute_wrapper(counter):
            response = get_response(request)
        app_ms = (perf_counter() - start) * 1000
        response["X-Bench-Queries"] = str(counter.count)
        response["Server-Timing"] = (
            f"app;dur={app_ms:.2f}, db;dur={counter.seconds * 1000:.2f}"
        )
        return response

    return middleware
