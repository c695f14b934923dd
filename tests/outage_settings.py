"""Settings of the outage test's real server: production settings.

A separate module because the server is another process: it cannot take the
pytest `settings` fixture. Static files are served unhashed (no collectstatic).
"""

from genai_prep.settings import *  # noqa: F403
from genai_prep.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
