from tests.reminders.smtp import db_queue, smtp  # noqa: F401 (fixtures)
