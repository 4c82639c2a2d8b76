"""Benchmarks: a synthetic library generator and a runner (`python -m benchmarks`)."""
