"""The layout is the architecture: SQL and database connections live in ``store/`` and nowhere else."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "watchfloor"
DATABASE_MODULES = {"sqlite3", "sqlalchemy", "psycopg", "psycopg2", "asyncpg", "pysqlite3"}
SQL = re.compile(r"\b(SELECT\b.+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+"
                 r"(VIRTUAL\s+)?(TABLE|INDEX|TRIGGER)|DROP\s+TABLE|ALTER\s+TABLE|PRAGMA\s+\w+)\b", re.I | re.S)


def _outside_store() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "store" not in p.relative_to(PACKAGE).parts[:1]]


def _violations(path: Path, root: Path = PACKAGE) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        found += [f"imports {n}" for n in names if n.split(".")[0] in DATABASE_MODULES]
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            found.append(f"SQL in a string: {node.value[:60]!r}")
        if isinstance(node, ast.Attribute) and node.attr in {"execute", "executemany", "executescript",
                                                             "exec_driver_sql", "cursor"}:
            found.append(f"calls .{node.attr}()")
    return [f"{path.relative_to(root)}:{v}" for v in found]


def test_sql_and_connections_only_in_store() -> None:
    problems = [v for path in _outside_store() for v in _violations(path)]
    assert not problems, "\n".join(problems)


def test_the_check_would_catch_a_leak(tmp_path: Path) -> None:
    leak = tmp_path / "report.py"
    leak.write_text('import sqlite3\nrows = db.execute("SELECT id FROM documents WHERE x = ?")\n', encoding="utf-8")
    assert len(_violations(leak, tmp_path)) == 3


def test_store_states_its_rule() -> None:
    readme = (PACKAGE / "store" / "README.md").read_text(encoding="utf-8")
    assert "only code that knows SQL" in readme
