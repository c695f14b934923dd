"""Answers whose band the issue fixes, whatever the thresholds: the tune grid
only considers settings under which they get it (tests/review/test_check.py
checks the shipped settings on them and more)."""

TRANSFORMER = (
    "what-is-a-transformer-architecture-and-why-is-it-important-for-generative-ai"
)
FINE_TUNING = (
    "how-does-fine-tuning-a-pre-trained-language-model-work-and-what-are-the-benefits"
)
GOOD = (
    "A transformer is built around self-attention: every token looks at every other "
    "token in the sequence and weighs how relevant it is, so the model captures "
    "context and long-range dependencies. Unlike an RNN it processes all the tokens "
    "in parallel, which makes training on GPUs fast and lets it scale, so it replaced "
    "RNNs and LSTMs and became the architecture behind large language models like GPT."
)
OTHER = (  # a good answer to FINE_TUNING
    "Fine-tuning takes a pre-trained model and keeps training it on a smaller "
    "task-specific dataset, which needs much less data and compute than "
    "training from scratch."
)
TERMS = "self-attention, parallel, RNN, LSTM, long-range dependencies, GPT, scaling"
ECHO = "A transformer architecture is important for generative AI."

# (question, answer, band): a complete answer is Good; an answer to another
# question, a bare list of terms for an explain question and an echo of the
# prompt are Again.
BANDS = [
    (TRANSFORMER, GOOD, "good"),
    (FINE_TUNING, OTHER, "good"),
    (TRANSFORMER, OTHER, "again"),
    (TRANSFORMER, TERMS, "again"),
    (TRANSFORMER, ECHO, "again"),
]
