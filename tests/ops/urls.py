"""The project's URLs plus views that fail on purpose, for error-path tests."""

from django.db import OperationalError
from django.urls import path

from genai_prep.urls import handler400, handler500
from genai_prep.urls import urlpatterns as project

__all__ = ["handler400", "handler500", "urlpatterns"]


def boom(request):
    raise RuntimeError("boom for the error-path tests")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("test/boom/", boom, name="boom"),
    path("test/database-gone/", database_gone, name="database_gone"),
    *project,
]
