"""Running in production: health checks, request ids and logs, metrics, rate
limits, backups and retention (issue 13; docs/DEPLOY.md)."""
