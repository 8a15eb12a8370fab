"""Benchmark scripts (run as programs, not part of the test suite)."""
