"""Quality benchmarks on public gold data, one module per task, each with its side-by-side baseline.

Each task module has ``TASK`` (its row name) and ``run(data: Path) -> list[dict]`` returning rows
``{"task", "dataset", "metric", "watchfloor", "baseline", "baseline_name"}``.
"""
