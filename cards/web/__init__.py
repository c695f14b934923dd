"""What every domain's views share: the typed htmx request, the htmx-aware
login_required, the request-wide middleware and the error handlers."""
