"""The /account/ page: download, import and delete, over HTTP."""

import json

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cards.learner import userdata
from cards.models import ReviewLog, ReviewSchedule
from tests.factories import PASSWORD, make_schedule, make_user
from tests.learner.test_data import document


def upload(blob: bytes, name: str = "data.json") -> dict:
    return {"file": SimpleUploadedFile(name, blob, content_type="application/json")}


def test_account_page_offers_download_import_and_delete(logged_in_client, user):
    make_schedule(user=user)
    r = logged_in_client.get(reverse("cards:account"))
    assert r.status_code == 200
    for text in (
        "Your data",
        "Download my data",
        "Import my data",
        "Delete my account",
    ):
        assert text in r.text
    assert 'enctype="multipart/form-data"' in r.text
    assert "no-store" in r["Cache-Control"]


def test_account_pages_need_login(client, db):
    for name in ("account", "account_export", "account_delete"):
        r = client.get(reverse(f"cards:{name}"))
        assert r.status_code == 302 and r.url.startswith("/accounts/login/")


def test_download_is_a_private_json_attachment(logged_in_client, user, other_user):
    make_schedule(user=user)
    make_schedule(user=other_user)
    r = logged_in_client.get(reverse("cards:account_export"))
    assert r.status_code == 200
    assert r.streaming and r["Content-Type"] == "application/gzip"
    assert r["Content-Disposition"].startswith(
        'attachment; filename="genai-prep-alice-'
    )
    assert r["Content-Disposition"].endswith('.jsonl.gz"')
    assert "no-store" in r["Cache-Control"]
    blob = b"".join(r.streaming_content)
    data = document(blob)
    assert data["account"]["username"] == "alice" and len(data["schedules"]) == 1
    assert blob == b"".join(userdata.export_stream(user=user))


def test_import_of_a_good_file_redirects_with_a_message(
    logged_in_client, user, other_user
):
    make_schedule(user=other_user)
    make_schedule(user=other_user)
    blob = b"".join(userdata.export_stream(user=other_user))
    r = logged_in_client.post(
        reverse("cards:account_import"), upload(blob), follow=True
    )
    assert r.redirect_chain == [(reverse("cards:account"), 302)]
    assert "Imported 2 questions" in r.text
    assert ReviewSchedule.objects.filter(user=user).count() == 2
    r = logged_in_client.post(
        reverse("cards:account_import"), upload(blob), follow=True
    )
    assert "Imported 0 questions" in r.text and "kept their progress" in r.text
    assert ReviewSchedule.objects.filter(user=user).count() == 2


def test_import_of_a_bad_file_is_a_400_with_the_reason(logged_in_client, user):
    bad = json.dumps({"format": "genai-prep/user-data", "version": 1}).encode()
    for blob, reason in [
        (b"not json", "not JSON"),
        (bad, "must have exactly"),
        (b'{"format": "genai-prep/user-data\x00"}', "not JSON"),
        (b"\x00" * 3 * 2**20, "not JSON"),
    ]:
        r = logged_in_client.post(reverse("cards:account_import"), upload(blob))
        assert r.status_code == 400, reason
        assert reason in r.text
    r = logged_in_client.post(reverse("cards:account_import"), {})
    assert r.status_code == 400 and "This field is required" in r.text
    assert not ReviewSchedule.objects.filter(user=user).exists()


def test_import_needs_post(logged_in_client):
    assert logged_in_client.get(reverse("cards:account_import")).status_code == 405


def test_delete_asks_for_the_password_first(logged_in_client, user):
    make_schedule(user=user)
    r = logged_in_client.get(reverse("cards:account_delete"))
    assert r.status_code == 200 and "cannot be undone" in r.text
    r = logged_in_client.post(reverse("cards:account_delete"), {"password": "wrong"})
    assert r.status_code == 400 and "not your password" in r.text
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_delete_removes_the_account_and_logs_out(logged_in_client, user, other_user):
    make_schedule(user=user)
    theirs = make_schedule(user=other_user)
    r = logged_in_client.post(
        reverse("cards:account_delete"), {"password": PASSWORD}, follow=True
    )
    assert r.redirect_chain[-1] == ("/", 302)
    assert "Your account and all its data were deleted." in r.text
    assert "Start learning free" in r.text  # logged out
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert list(ReviewSchedule.objects.all()) == [theirs]
    assert not ReviewLog.objects.filter(user_id=user.pk).exists()


def test_another_learner_cannot_delete_or_read_through_these_pages(client, user):
    mallory = make_user(username="mallory")
    make_schedule(user=user)
    client.force_login(mallory)
    r = client.get(reverse("cards:account_export"))
    data = document(b"".join(r.streaming_content))
    assert data["schedules"] == [] and data["account"]["username"] == "mallory"
    client.post(reverse("cards:account_delete"), {"password": PASSWORD})
    assert get_user_model().objects.filter(pk=user.pk).exists()
