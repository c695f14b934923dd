"""A learner's care of their own cards: suspend, notes, leeches, problem reports."""
