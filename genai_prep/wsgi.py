"""WSGI entry point (gunicorn genai_prep.wsgi; runserver loads it too)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
application = get_wsgi_application()

if not (settings.DEBUG or settings.SECRET_KEY_IS_SET):
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development)."
    )
