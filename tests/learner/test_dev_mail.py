"""In DEBUG the console mail of a password reset shows a link one can copy."""

import os
import re
import subprocess
import sys

from django.test import Client
from django.urls import reverse

from tests.factories import make_user
from tests.paths import ROOT


def debug_mail_backend() -> str:
    """The mail backend that `DJANGO_DEBUG=1` configures (a fresh interpreter)."""
    code = "import genai_prep.settings as s; print(s.MAILERS['default']['BACKEND'])"
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_debug_console_mail_prints_a_working_reset_link(db, settings, capsys):
    settings.MAILERS = {"default": {"BACKEND": debug_mail_backend()}}
    make_user(username="alice", email="alice@example.com")
    capsys.readouterr()
    Client().post(reverse("password_reset"), {"email": "alice@example.com"})
    printed = capsys.readouterr().out
    assert "Content-Transfer-Encoding: quoted-printable" not in printed
    assert not re.search(r"=\r?\n", printed), "a quoted-printable soft line break"
    links = re.findall(r"https?://testserver(\S+)", printed)
    assert len(links) == 1, printed
    response = Client().get(links[0])
    # A valid token redirects to the form (Django moves the token into the session).
    assert response.status_code == 302
    assert response.url.endswith("/set-password/")
    assert "reset the password" in printed and "Subject:" in printed
