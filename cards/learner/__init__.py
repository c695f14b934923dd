"""The learner: sign-up, settings, "Your data", account pages, the auth backend,
and the demo learner."""
