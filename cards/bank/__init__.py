"""The question bank: its formats, services, admin, analytics, Anki deck, revisions."""
