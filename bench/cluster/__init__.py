"""`make cluster-check`: two app servers behind haproxy and PgBouncer on loopback."""
