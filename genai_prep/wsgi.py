"""WSGI entry point (gunicorn genai_prep.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
application = get_wsgi_application()
