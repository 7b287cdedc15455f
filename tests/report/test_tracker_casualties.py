"""A casualty figure is tracked apart from a strength of the same unit, and says so in the export."""

from __future__ import annotations

import json
from pathlib import Path

from watchfloor.config import Settings
from watchfloor.pipeline import ingest_paths
from watchfloor.report.export_json import build_export
from watchfloor.report.tracker import estimates
from watchfloor.store import Store

REPORTS = [
    {"id": "a", "outlet": "Harbour Ledger", "published": "2025-03-02", "title": "Brigade moved",
     "text": "Valdoria has sent about 4,000 Valdorian troops to the northern front, the defence ministry said."},
    {"id": "b", "outlet": "Plains Courier", "published": "2025-03-09", "title": "Losses mount",
     "text": "At least 300 Valdorian troops were killed in the fighting last week, the ministry said on Sunday."},
]


def test_a_death_toll_is_not_a_strength(tmp_path: Path) -> None:
    source = tmp_path / "reports.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in REPORTS) + "\n", encoding="utf-8")
    settings = Settings(db=str(tmp_path / "t.db"))
    with Store(settings.db) as store:
        assert ingest_paths([source], store, settings).ok
        strengths = [e.figure for e in estimates(store, unit="troop")]
        deaths = estimates(store, unit="troop killed")
        assert strengths == ["~4,000"]
        assert [(e.figure, e.casualty) for e in deaths] == [("~300", "killed")]
        quantities = {c["quantity"]["value"]: c["quantity"] for c in build_export(store)["claims"] if c["quantity"]}
        assert quantities[300]["casualty"] == "killed" and quantities[4000]["casualty"] is None
