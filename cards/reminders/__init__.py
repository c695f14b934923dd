"""Daily reminder emails: settings, the tick that enqueues them, the digest."""
