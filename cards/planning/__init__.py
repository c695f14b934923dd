"""The interview-date plan and study breaks as the app stores and serves them.

The policy is pure, in cards/scheduling/plan/; this domain keeps the
learner's choices (models), writes them (services), reads what the policy
needs (reads) and shows it (views, templates/cards/plan.html).
"""
