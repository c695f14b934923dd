"""Benchmark tooling: data generator, load harness and floor views (never the app)."""
