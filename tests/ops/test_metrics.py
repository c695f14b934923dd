"""/metrics: Prometheus text behind a token and the internal networks, counting
requests by view and status, grades and database errors."""

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import make_question

TOKEN = "scrape-token-" + "t" * 32
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def scraper(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8", "10.0.0.0/8"]
    return Client(REMOTE_ADDR="127.0.0.1")


def samples(text: str) -> dict[tuple, float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def scrape(client: Client) -> dict[tuple, float]:
    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return samples(response.text)


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_off_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers=AUTH).status_code == 404


@pytest.mark.parametrize(
    ("address", "forwarded", "headers", "status"),
    [
        ("203.0.113.9", "", AUTH, 403),  # from outside, even with the token
        ("127.0.0.1", "203.0.113.9", AUTH, 403),  # through our proxy from outside
        ("10.1.2.3", "", {}, 401),
        ("10.1.2.3", "", {"Authorization": "Bearer wrong"}, 401),
        ("10.1.2.3", "", {"Authorization": TOKEN}, 401),  # not a bearer header
        ("10.1.2.3", "", AUTH, 200),
        ("::ffff:10.1.2.3", "", AUTH, 200),
    ],
)
def test_metrics_need_the_internal_network_and_the_token(
    scraper, settings, address, forwarded, headers, status
):
    settings.TRUSTED_PROXY = bool(forwarded)
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    response = Client(REMOTE_ADDR=address, **extra).get("/metrics", headers=headers)
    assert response.status_code == status
    if status == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'


def test_metrics_answer_head(scraper):
    assert scraper.head("/metrics", headers=AUTH).status_code == 200


def test_requests_are_counted_by_view_method_and_status(scraper):
    before = scrape(scraper)
    for _ in range(3):
        scraper.get("/healthz")
    scraper.head("/healthz")
    scraper.get("/no-such-page/")
    after = scrape(scraper)

    def delta(**labels):
        name = "genai_prep_http_requests_total"
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta(view="healthz", method="GET", status="200") == 3
    assert delta(view="healthz", method="HEAD", status="200") == 1
    assert delta(view="unmatched", method="GET", status="404") == 1
    duration = "genai_prep_http_request_duration_seconds_count"
    assert (
        value(after, duration, view="healthz") - value(before, duration, view="healthz")
        == 4
    )


def test_grades_latency_and_outcomes_are_counted(scraper, logged_in_client):
    question = make_question()
    url = f"/review/{question.pk}/grade/"
    before = scrape(scraper)
    assert logged_in_client.post(url, {"grade": "4", "version": "0"}).status_code == 302
    replay = logged_in_client.post(url, {"grade": "4", "version": "0"})
    assert replay.status_code == 409
    bad = logged_in_client.post(url, {"grade": "9", "version": "0"})
    assert bad.status_code == 400
    after = scrape(scraper)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("genai_prep_grades_total", outcome="recorded") == 1
    assert delta("genai_prep_grades_total", outcome="conflict") == 1
    assert delta("genai_prep_grades_total", outcome="rejected") == 1
    assert delta("genai_prep_grade_duration_seconds_count") == 3
    assert delta("genai_prep_grade_duration_seconds_bucket", le="+Inf") == 3


def test_database_errors_are_counted(scraper, settings, db):
    settings.ROOT_URLCONF = "tests.ops.urls"
    before = scrape(scraper)
    assert Client().get("/test/database-gone/").status_code == 503
    after = scrape(scraper)
    name = "genai_prep_database_errors_total"
    assert value(after, name) - value(before, name) == 1
