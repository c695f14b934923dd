"""URLs of the learner-facing app."""

app_name = "cards"

urlpatterns: list = []
