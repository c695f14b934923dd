"""The load harness and benchmark data generator behind make bench and make soak.

Developer tooling, not part of the app: it lives beside the project (never in
the wheel) and becomes a Django app only with DJANGO_BENCH=1, which gives it
the bench_data and bench_run commands and the floor views' template.
"""
