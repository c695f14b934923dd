import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _young_connection(request):
    """Start each wire test on a connection younger than CONN_MAX_AGE (60 s).

    The wire tests call close_if_unusable_or_obsolete() to stage the health
    check a request pays; on an xdist worker whose connection is older than
    CONN_MAX_AGE that call closes it instead, the next query connects afresh
    and the trace has no health check (or one flagged with errors_occurred by an earlier test: is_usable() then does the check untraced). Seen once on a 6-minute PostgreSQL pass..
    """
    if "transactional_db" in request.fixturenames or request.node.get_closest_marker(
        "django_db"
    ):
        request.getfixturevalue("_django_db_helper")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            connection.close()
