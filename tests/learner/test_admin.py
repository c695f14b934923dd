"""The learner domain's admin: read-only pages for support."""

from cards.models import DataImport
from tests.factories import make_user


def test_support_sees_a_failed_import_in_the_admin_read_only(client, user, clock):
    DataImport.objects.create(
        user=user,
        status="failed",
        file_name="theirs.jsonl.gz",
        file_size=10,
        error="line 9 (review): grade must be 0-5.",
        created_at=clock.now,
    )
    client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    r = client.get("/admin/cards/dataimport/")
    assert r.status_code == 200 and "theirs.jsonl.gz" in r.text
    job = DataImport.objects.get()
    r = client.get(f"/admin/cards/dataimport/{job.pk}/change/")
    assert "grade must be 0-5" in r.text and 'name="_save"' not in r.text
    assert client.get("/admin/cards/dataimport/add/").status_code == 403
