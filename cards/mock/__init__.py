"""Mock interviews (issue 18): timed questions, a debrief, the schedule fed."""
