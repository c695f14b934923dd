"""Run in a subprocess by tests/ops/test_logging.py and test_errors.py:
`python -m tests.ops.logprobe requests USER_ID` makes a few requests through the
whole stack and prints their request ids as JSON on stdout (the app's log lines
go to stderr); `python -m tests.ops.logprobe error` requests a view that fails
and prints the request id and whether Sentry is on."""

import json
import os
import sys

import django


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_prep.settings")
    from django.conf import settings

    # The hashed storage of production needs collectstatic's manifest.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}
    settings.ROOT_URLCONF = "tests.ops.urls"
    django.setup()


def requests(user_id: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    ids = {}
    anonymous = Client()
    ids["health"] = anonymous.get("/healthz")["X-Request-ID"]
    failed_login = anonymous.post(
        "/accounts/login/",
        {"username": "private-name", "password": "private-password"},
    )
    ids["failed_login"] = failed_login["X-Request-ID"]
    learner = Client()
    learner.force_login(get_user_model().objects.get(pk=user_id))
    ids["progress"] = learner.get("/progress/")["X-Request-ID"]
    ids["missing"] = learner.get("/no-such-page/?email=private@example.com")[
        "X-Request-ID"
    ]
    return ids


def error() -> dict:
    import sentry_sdk
    from django.test import Client

    response = Client(raise_request_exception=False).get("/test/boom/")
    sentry_sdk.flush(timeout=10)
    return {
        "status": response.status_code,
        "request_id": response["X-Request-ID"],
        "sentry": sentry_sdk.get_client().is_active(),
    }


if __name__ == "__main__":
    setup()
    result = requests(int(sys.argv[2])) if sys.argv[1] == "requests" else error()
    print(json.dumps(result))
