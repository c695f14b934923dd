"""URLs of the learner-facing app."""

app_name = "cards"

urlpatterns: list = []

# --- The learner's own data (issue 6) ----------------------------------------
from django.urls import path  # noqa: E402

from cards import account_views  # noqa: E402

urlpatterns += [
    path("account/", account_views.account, name="account"),
    path("account/export/", account_views.export_data, name="account_export"),
    path("account/import/", account_views.import_data, name="account_import"),
    path("account/delete/", account_views.delete_account, name="account_delete"),
]
