"""The daily loop: the queue, the answer rule, grade buttons, grading and undo,
the review views and forms."""
