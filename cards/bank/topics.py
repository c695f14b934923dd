"""The bank's topics (issue 16): the pack's twelve, in study order, and the
demo's opt-in topic. Pure data; services.ensure_topics writes them."""

from __future__ import annotations

# (slug, name); `order` is the position in this list.
TOPICS: tuple[tuple[str, str], ...] = (
    ("foundations", "Foundations"),
    ("transformers", "Transformers & attention"),
    ("prompting", "Prompting & in-context learning"),
    ("training", "Training & fine-tuning"),
    ("alignment", "RLHF & alignment"),
    ("rag", "Retrieval & RAG"),
    ("agents", "Agents & tool use"),
    ("evaluation", "Evaluation"),
    ("inference", "Inference & serving"),
    ("efficiency", "Efficiency & quantisation"),
    ("multimodal", "Multimodal & diffusion"),
    ("safety", "Safety, ethics & governance"),
)

# seed_demo's placeholders: only the demo learner studies this topic.
DEMO_SLUG = "demo-placeholders"
DEMO_NAME = "Demo placeholders"
