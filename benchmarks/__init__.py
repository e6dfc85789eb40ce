"""Benchmarks runnable as modules: python -m benchmarks.<name>; numbers go to docs/benchmarks.md."""
