"""The project's entry points: the ASGI application and `genai-prep <command>`."""

import importlib
import sys

import django
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.asgi import ASGIHandler


def load_asgi():
    sys.modules.pop("genai_prep.asgi", None)
    return importlib.import_module("genai_prep.asgi")


def test_asgi_serves_the_django_application(settings):
    settings.SECRET_KEY_IS_SET = True
    assert isinstance(load_asgi().application, ASGIHandler)


def test_asgi_refuses_to_start_without_a_secret_key(settings):
    settings.DEBUG, settings.SECRET_KEY_IS_SET = False, False
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        load_asgi()


def test_the_console_script_runs_management_commands(monkeypatch, capsys):
    from genai_prep.__main__ import main

    monkeypatch.setattr(sys, "argv", ["/usr/local/bin/genai-prep", "version"])
    main()
    assert capsys.readouterr().out.strip() == django.get_version()
