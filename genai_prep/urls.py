"""Project URLs: the app, accounts (Django's auth views) and the admin."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cards.learner import views as learner
from cards.learner.password_reset import QueuedPasswordResetForm
from cards.ops import health, metrics
from cards.ops.ratelimit import rate_limited, reset_email
from cards.review import views as review

urlpatterns = [
    # Probes and the scraper (issue 13): no trailing slash, no redirect.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("", review.home, name="home"),
    path("accounts/signup/", learner.signup, name="signup"),
    # Django's view, limited per address and per account asked for (issue 13);
    # the reset email leaves through the job queue (issue 20).
    path(
        "accounts/password_reset/",
        rate_limited("password_reset", methods=("POST",), account=reset_email)(
            auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm)
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("cards.urls")),
]

admin.site.site_header = "GenAI Prep administration"
admin.site.site_title = "GenAI Prep admin"
admin.site.index_title = "Question bank and learners"

# --- Benchmark floors (issue 7): routed only with DJANGO_BENCH=1 ---------------
if settings.BENCH:
    from bench import views as bench_views

    urlpatterns += [
        path("bench/floor/plain/", bench_views.floor_plain, name="bench_floor_plain"),
        path("bench/floor/query/", bench_views.floor_query, name="bench_floor_query"),
    ]
# --- Reliability (issue 6): a database outage is a 503, never a traceback ------
handler500 = "cards.web.errors.server_error"
# An unreadable request (too large, too many fields) is a 400 with a message.
handler400 = "cards.web.errors.bad_request"
