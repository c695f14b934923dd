"""settings.LOGGING, built without importing Django (settings import it early)."""

TEXT_FORMAT = (
    "%(asctime)s %(levelname)-7s [%(request_id)s user=%(user_id)s] "
    "%(name)s: %(message)s"
)


def logging_config(*, json_lines: bool, level: str = "INFO") -> dict:
    """Console logs (JSON lines or readable text) with the request id and user id
    on every line, and errors mailed to ADMINS when DEBUG is off (Django's rule)."""
    console = ["console"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_context": {"()": "cards.ops.logs.RequestContextFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "json": {"()": "cards.ops.logs.JsonFormatter"},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_lines else "text",
                "filters": ["request_context"],
            },
            "mail_admins": {
                "class": "cards.ops.logs.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false"],
            },
        },
        "root": {"handlers": console, "level": "WARNING"},
        # propagate=False: Django's default configuration would print them twice.
        "loggers": {
            "django": {"handlers": console, "level": "INFO", "propagate": False},
            "django.request": {
                "handlers": [*console, "mail_admins"],
                "level": "WARNING",
                "propagate": False,
            },
            # runserver's own access lines: ours (genai_prep.access) replace them.
            "django.server": {"handlers": [], "propagate": False},
            "genai_prep": {"handlers": console, "level": level, "propagate": False},
            "cards": {"handlers": console, "level": level, "propagate": False},
        },
    }
