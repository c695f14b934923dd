"""Our two mail backends: the console one shows what a person reads, the SMTP
one keeps long header tokens readable and reports (or swallows) refusals."""

import io
import smtplib

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers

from cards.web import mail
from tests.reminders.smtp import smtp  # noqa: F401 (fixture)

LINK = "https://prep.example/reset/" + "a1b2c3" * 20 + "/"


def test_console_shows_each_part_decoded_and_no_wire_encoding(settings):
    message = EmailMultiAlternatives(
        "Réinitialiser",
        f"Bonjour Zoë,\n\n{LINK}\n",
        "app@prep.example",
        ["z@x.example"],
    )
    message.attach_alternative(f'<p><a href="{LINK}">Reset</a></p>', "text/html")
    message.attach("notes.pdf", b"%PDF-1.4 binary", "application/pdf")
    stream = io.StringIO()
    settings.MAILERS = {
        "default": {
            "BACKEND": "cards.web.mail.EmailBackend",
            "OPTIONS": {"stream": stream},
        }
    }
    assert message.send() == 1
    shown = stream.getvalue()
    assert "\nSubject: Réinitialiser\n" in shown  # headers read as text too
    assert "Bonjour Zoë," in shown  # decoded, not quoted-printable or base64
    assert f"\n{LINK}\n" in shown  # one line, no soft break inside the link
    assert "--- text/html ---" in shown and f'href="{LINK}"' in shown
    assert "(application/pdf, not shown)" in shown and "%PDF" not in shown
    assert "content-transfer-encoding" not in shown.lower()
    assert shown.endswith("-" * 79 + "\n")


def test_smtp_sends_nothing_for_a_message_without_recipients(smtp):  # noqa: F811
    nobody = EmailMessage("Hi", "Body", "app@prep.example", [])
    # EmailMessage.send() stops before the backend; a backend can still be
    # handed one (a mass send), and must not talk to the server about it.
    assert mailers["default"].send_messages([nobody]) == 0
    assert smtp.raw == []


def test_smtp_refusal_raises_unless_told_to_fail_silently(smtp, settings):  # noqa: F811
    loud = settings.MAILERS["default"]
    quiet = {**loud, "OPTIONS": {**loud["OPTIONS"], "fail_silently": True}}
    settings.MAILERS = {"default": loud, "quiet": quiet}
    smtp.refuse = True
    message = EmailMessage("Hi", "Body", "app@prep.example", ["z@x.example"])
    assert isinstance(mailers["default"], mail.SMTPBackend)
    with pytest.raises(smtplib.SMTPDataError):
        message.send()
    assert message.send(using="quiet") == 0
    assert smtp.raw == []
    smtp.refuse = False
    assert message.send(using="quiet") == 1
    assert smtp.recipients == ["z@x.example"]
