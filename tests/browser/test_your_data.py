"""In Chromium: the "Your data" page (download, import, delete)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cards.learner import imports, userdata
from cards.models import DataImport, ReviewSchedule
from tests.browser.test_accessibility import axe_violations
from tests.factories import PASSWORD, make_schedule, make_user
from tests.learner.test_data import document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_app, username="alice"):
    page.goto(live_app.url + "/accounts/login/?next=/account/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")


def test_download_then_import_into_a_new_account(
    page, live_app, console_errors, screenshot, tmp_path
):
    alice = make_user(username="alice")
    make_schedule(user=alice)
    make_schedule(user=alice)
    log_in(page, live_app)
    screenshot("01-your-data")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download my data").click()
    assert info.value.suggested_filename.endswith(".jsonl.gz")
    path = tmp_path / "export.jsonl.gz"
    info.value.save_as(path)
    assert len(document(path.read_bytes())["schedules"]) == 2

    bob = make_user(username="bob")
    page.context.clear_cookies()
    log_in(page, live_app, "bob")
    page.get_by_label("Data file").set_input_files(str(path))
    page.get_by_role("button", name="Import my data").click()
    # Tests run jobs at once, so the swapped-in status is already the outcome.
    expect(page.get_by_role("status")).to_contain_text("Imported 2 questions")
    screenshot("02-imported")
    assert ReviewSchedule.objects.filter(user=bob).count() == 2

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "something else"}')
    page.get_by_label("Data file").set_input_files(str(broken))
    page.get_by_role("button", name="Import my data").click()
    expect(page.locator(".error")).to_contain_text("not a GenAI Prep data file")
    screenshot("03-import-refused")
    # Chromium and htmx (the form is sent with htmx) log the refused upload's
    # 400 themselves; nothing else may appear.
    assert console_errors and all(
        "status of 400" in e or "Error Code 400 from /account/import/" in e
        for e in console_errors
    ), console_errors


def test_delete_my_account_on_a_phone(page, live_app, console_errors, screenshot):
    make_user(username="alice")
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_app)
    screenshot("01-your-data-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("link", name="Delete my account…").click()
    page.get_by_label("Your password").fill(PASSWORD)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("02-confirm-375")
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.locator(".messages")).to_contain_text("were deleted")
    assert not get_user_model().objects.filter(username="alice").exists()
    assert console_errors == []


def test_an_import_waits_for_the_worker_and_the_status_follows_it(
    page, live_app, console_errors, screenshot, tmp_path, settings, clock
):
    # Jobs wait as on the real queue: this test plays the worker.
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    alice = make_user(username="alice")
    make_schedule(user=alice)
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(b"".join(userdata.export_stream(user=alice)))
    bob = make_user(username="bob")
    log_in(page, live_app, "bob")
    page.get_by_label("Data file").set_input_files(str(path))
    page.get_by_role("button", name="Import my data").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("export.jsonl.gz is waiting for its turn")
    assert page.url.endswith("/account/")  # swapped in place by htmx
    screenshot("04-import-waiting")
    assert axe_violations(page) == []
    job = DataImport.objects.get(user=bob)
    assert imports.run_import(import_id=job.pk, now=clock.now) == "done"
    # The poller (every 2 s) brings the outcome into the same live region.
    expect(status).to_contain_text("Imported 1 question with 0 reviews", timeout=6_000)
    expect(status.locator("[hx-trigger]")).to_have_count(0)  # polling has stopped
    # The download's counts follow the import without a reload.
    expect(page.locator("#download-counts")).to_contain_text("have studied (1)")
    screenshot("05-import-done")
    assert ReviewSchedule.objects.filter(user=bob).count() == 1
    assert axe_violations(page) == []
    assert console_errors == []
