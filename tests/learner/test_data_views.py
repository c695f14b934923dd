"""The /account/ page: download, import and delete, over HTTP."""

import json

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cards.learner import imports, userdata
from cards.models import DataImport, ReviewLog, ReviewSchedule
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


def test_import_of_a_good_file_redirects_to_its_status(
    logged_in_client, user, other_user, django_capture_on_commit_callbacks
):
    make_schedule(user=other_user)
    make_schedule(user=other_user)
    blob = b"".join(userdata.export_stream(user=other_user))
    # Tests run jobs at once (ImmediateBackend): the job is enqueued on commit,
    # which the capture stands for at its end.
    with django_capture_on_commit_callbacks(execute=True) as queued:
        r = logged_in_client.post(reverse("cards:account_import"), upload(blob))
        job = DataImport.objects.get(user=user)
        status_url = reverse("cards:account_import_status", args=[job.pk])
        assert r.status_code == 302 and r.url == status_url
        waiting = logged_in_client.get(status_url)
        assert "data.json is waiting for its turn" in waiting.text
        assert 'hx-trigger="every 2s"' in waiting.text  # polls (htmx) ...
        assert '<meta http-equiv="refresh" content="2">' in waiting.text  # ... or not
        assert not ReviewSchedule.objects.filter(user=user).exists()
    assert len(queued) == 1
    r = logged_in_client.get(status_url)
    assert "Imported 2 questions" in r.text and 'role="status"' in r.text
    assert "hx-trigger" not in r.text and "refresh" not in r.text  # finished
    assert ReviewSchedule.objects.filter(user=user).count() == 2
    assert not job.chunks.exists()  # the stored file is deleted once imported
    with django_capture_on_commit_callbacks(execute=True):
        r = logged_in_client.post(reverse("cards:account_import"), upload(blob))
    r = logged_in_client.get(r.url)
    assert "Imported 0 questions" in r.text and "kept their progress" in r.text
    assert ReviewSchedule.objects.filter(user=user).count() == 2
    # The "Your data" page shows the latest import's outcome.
    r = logged_in_client.get(reverse("cards:account"))
    assert "Imported 0 questions" in r.text


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
    assert not DataImport.objects.exists()  # refused in the request: nothing queued


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


HTMX = {"HX-Request": "true"}


def test_import_with_htmx_swaps_in_the_panel_with_its_status(
    logged_in_client, user, other_user, django_capture_on_commit_callbacks
):
    make_schedule(user=other_user)
    blob = b"".join(userdata.export_stream(user=other_user))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        r = logged_in_client.post(
            reverse("cards:account_import"), upload(blob), headers=HTMX
        )
    assert r.status_code == 200 and "<html" not in r.text
    assert r.text.lstrip().startswith('<section class="panel" id="import-panel"')
    assert 'id="import-status"' in r.text and 'aria-live="polite"' in r.text
    assert "waiting for its turn" in r.text and 'hx-trigger="every 2s"' in r.text
    job = DataImport.objects.get(user=user)
    url = reverse("cards:account_import_status", args=[job.pk])
    # Polling: unchanged is a 204 (htmx swaps nothing, nothing is re-announced).
    assert (
        logged_in_client.get(url, {"shown": "queued"}, headers=HTMX).status_code == 204
    )
    queued[0]()  # the commit's enqueue: the job runs (ImmediateBackend)
    r = logged_in_client.get(url, {"shown": "queued"}, headers=HTMX)
    assert r.status_code == 200 and "<html" not in r.text
    assert "Imported 1 question with 0 reviews" in r.text
    assert "hx-trigger" not in r.text  # finished: the poller is gone
    assert r["HX-Trigger"] == "import-done"  # the page refreshes its counts
    page = logged_in_client.get(reverse("cards:account"))
    assert 'hx-trigger="import-done from:body"' in page.text
    assert "have studied (1)" in page.text
    assert ReviewSchedule.objects.filter(user=user).count() == 1


def test_a_pending_import_does_not_refresh_the_counts(
    logged_in_client, user, other_user, django_capture_on_commit_callbacks
):
    make_schedule(user=other_user)
    blob = b"".join(userdata.export_stream(user=other_user))
    with django_capture_on_commit_callbacks(execute=False):
        r = logged_in_client.post(
            reverse("cards:account_import"), upload(blob), headers=HTMX
        )
    assert "HX-Trigger" not in r
    job = DataImport.objects.get(user=user)
    url = reverse("cards:account_import_status", args=[job.pk])
    assert "HX-Trigger" not in logged_in_client.get(url, headers=HTMX)


def test_a_failed_import_shows_its_reason(
    logged_in_client, user, other_user, django_capture_on_commit_callbacks
):
    schedule = make_schedule(user=other_user)
    blob = b"".join(userdata.export_stream(user=other_user))
    schedule.question.key = "renamed-since"  # the file's question is gone
    schedule.question.save()
    with django_capture_on_commit_callbacks(execute=True):
        r = logged_in_client.post(reverse("cards:account_import"), upload(blob))
    r = logged_in_client.get(r.url)
    assert r.status_code == 200
    assert "The import of data.json failed." in r.text
    assert "not in this question bank" in r.text and "hx-trigger" not in r.text
    assert not ReviewSchedule.objects.filter(user=user).exists()


def test_a_second_import_while_one_waits_is_refused(logged_in_client, user):
    blob = b"".join(userdata.export_stream(user=user))
    url = reverse("cards:account_import")
    assert logged_in_client.post(url, upload(blob)).status_code == 302
    r = logged_in_client.post(url, upload(blob))
    assert r.status_code == 409 and "already waiting or running" in r.text
    assert "waiting for its turn" in r.text  # the first one's status is shown
    r = logged_in_client.post(url, upload(blob), headers=HTMX)
    assert r.status_code == 409 and "already waiting or running" in r.text
    assert "<html" not in r.text
    assert DataImport.objects.filter(user=user).count() == 1


def test_another_learners_import_status_is_a_404(client, user, other_user, clock):
    job = imports.start_import(
        user=other_user,
        upload=upload(b"".join(userdata.export_stream(user=other_user)))["file"],
        now=clock.now,
    )
    url = reverse("cards:account_import_status", args=[job.pk])
    assert client.get(url).status_code == 302  # login first
    client.force_login(user)
    assert client.get(url).status_code == 404
    assert client.get(url, {"shown": "done"}, headers=HTMX).status_code == 404
    assert "waiting" not in client.get(reverse("cards:account")).text


def test_a_waiting_import_is_cancelled_from_its_status(
    logged_in_client, user, other_user, clock
):
    make_schedule(user=other_user)
    blob = b"".join(userdata.export_stream(user=other_user))
    job = imports.start_import(user=user, upload=upload(blob)["file"], now=clock.now)
    status_url = reverse("cards:account_import_status", args=[job.pk])
    cancel_url = reverse("cards:account_import_cancel", args=[job.pk])
    page = logged_in_client.get(status_url)
    assert f'action="{cancel_url}"' in page.text and "Cancel this import" in page.text
    assert logged_in_client.get(cancel_url).status_code == 405  # POST only
    r = logged_in_client.post(cancel_url, headers=HTMX)
    assert r.status_code == 200 and "<html" not in r.text
    assert "You cancelled the import of data.json. Nothing was imported." in r.text
    assert "hx-trigger" not in r.text and "Cancel this import" not in r.text
    assert "HX-Trigger" not in r  # nothing was imported: the counts stay
    # Without JavaScript: back to the status page, which says the same.
    r = logged_in_client.post(cancel_url)
    assert r.status_code == 302 and r.url == status_url
    assert "You cancelled the import" in logged_in_client.get(r.url).text
    assert not ReviewSchedule.objects.filter(user=user).exists()


def test_another_learners_import_cannot_be_cancelled(client, user, other_user, clock):
    blob = b"".join(userdata.export_stream(user=other_user))
    job = imports.start_import(
        user=other_user, upload=upload(blob)["file"], now=clock.now
    )
    client.force_login(user)
    url = reverse("cards:account_import_cancel", args=[job.pk])
    assert client.post(url).status_code == 404
    assert client.post(url, headers=HTMX).status_code == 404
    job.refresh_from_db()
    assert job.status == "queued"
