"""Reproducible benchmarks: run as modules from the root, e.g. `uv run python -m benchmarks.tracking --quick`."""
