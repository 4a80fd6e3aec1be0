"""Benchmarks, written to `bench.json` and `bench.md` with the machine described: indexing,
retrieval per mode, answers per backend, memory, and retrieval over synthetic corpora of growing
size (embedded Chroma and a Chroma server side by side). These machines are shared and noisy, so
the figures are medians and 95th percentiles, and nothing here is asserted in a test."""

from rag.bench.report import render
from rag.bench.run import BenchPlan, run_bench

__all__ = ["BenchPlan", "render", "run_bench"]
