"""Benchmarks: each prints a table comparing watchfloor with a named baseline run side by side, and writes JSON."""
