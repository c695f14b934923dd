"""URLs of the learner-facing app."""

from django.urls import path

from cards import views

app_name = "cards"

urlpatterns: list = [
    # --- Progress page (issue 4)
    path("progress/", views.progress, name="progress"),
]
