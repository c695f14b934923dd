"""Password reset properties (plan item 19)."""

import re
from datetime import timedelta

import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.clock import frozen_moment
from tests.factories import make_user


def request_reset(email: str):
    return Client().post(reverse("password_reset"), {"email": email})


def reset_link() -> str:
    return re.search(r"https?://testserver(\S+)", mail.outbox[-1].body).group(1)


def choose_password(link: str, password: str = "a-brand-new-pass-9"):
    client = Client()
    response = client.get(link, follow=True)
    if not response.redirect_chain:
        return response, None
    url = response.redirect_chain[-1][0]
    return client.post(url, {"new_password1": password, "new_password2": password}), url


def reset_properties() -> dict[str, bool]:
    make_user(username="alice", email="alice@example.com")
    results = {}

    unknown = request_reset("nobody@example.com")
    sent_for_unknown = len(mail.outbox)
    known = request_reset("alice@example.com")
    results["unknown and known email look the same, no mail for unknown"] = (
        (unknown.status_code, unknown.url) == (known.status_code, known.url)
        and sent_for_unknown == 0
        and len(mail.outbox) == 1
    )

    link = reset_link()
    token = link.rstrip("/").rsplit("/", 1)[-1]
    done, form_url = choose_password(link)
    results["token leaves the URL before the form (no Referer leak)"] = (
        form_url is not None and token not in form_url and "set-password" in form_url
    )
    again, _ = choose_password(link, "yet-another-pass-7")
    results["token is single-use"] = (
        done.status_code == 302 and "no longer works" in again.text
    )

    request_reset("alice@example.com")
    late = reset_link()
    expiry = timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    with time_machine.travel(
        frozen_moment() + expiry + timedelta(minutes=1), tick=False
    ):
        expired, _ = choose_password(late)
    with time_machine.travel(
        frozen_moment() + expiry - timedelta(minutes=5), tick=False
    ):
        in_time, _ = choose_password(late)
    results["token expires after PASSWORD_RESET_TIMEOUT (1 h)"] = (
        settings.PASSWORD_RESET_TIMEOUT <= 3600
        and "no longer works" in expired.text
        and in_time.status_code == 302
    )

    form = Client().get(reverse("password_reset"))
    # The page's own form (the header's light/dark switch is a form too).
    main = form.text[form.text.index("<main") :]
    fields = set(re.findall(r'<input[^>]+name="([^"]+)"', main))
    results["no secret questions: the form asks for an email only"] = fields == {
        "csrfmiddlewaretoken",
        "email",
    }
    return results


def test_password_reset_properties(db, figure):
    results = reset_properties()
    figure(19, f"{sum(results.values())}/{len(results)} reset properties hold")
    assert results == dict.fromkeys(results, True)


def test_reset_pages_do_not_leak_the_referrer(db):
    response = Client().get(reverse("password_reset"))
    assert response["Referrer-Policy"] == "same-origin"
