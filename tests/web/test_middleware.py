"""HTML is compressed on the wire; files are not; BREACH stays closed."""

import gzip

from django.urls import reverse

from tests.factories import make_question


def test_html_pages_are_gzipped_when_the_browser_accepts_it(logged_in_client):
    make_question(prompt="What is attention?")
    r = logged_in_client.get(
        reverse("cards:review"), headers={"accept-encoding": "gzip, br"}
    )
    assert r["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in r["Vary"]
    assert "What is attention?" in gzip.decompress(r.content).decode()


def test_no_compression_unless_asked(logged_in_client):
    r = logged_in_client.get(reverse("cards:review"))
    assert not r.has_header("Content-Encoding")


def test_files_are_not_compressed_again(logged_in_client):
    make_question()
    r = logged_in_client.get("/deck.apkg", headers={"accept-encoding": "gzip"})
    assert r.status_code == 200 and not r.has_header("Content-Encoding")


def test_the_csrf_token_differs_in_every_compressed_page(logged_in_client):
    """BREACH guesses a secret byte by byte from response lengths: the token
    is masked afresh each time and each response is padded at random."""
    pages = [
        gzip.decompress(
            logged_in_client.get("/", headers={"accept-encoding": "gzip"}).content
        ).decode()
        for _ in range(2)
    ]
    tokens = [p.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0] for p in pages]
    assert tokens[0] != tokens[1]
