from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from watchfloor.cli import app
from watchfloor.config import SETTINGS, load_settings

runner = CliRunner()
COMMANDS = ["ingest", "reanalyze", "export", "brief", "search", "stats", "track", "watch", "alerts", "gdelt"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_ends_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: watchfloor " + command in result.output


def test_every_setting_is_documented_in_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for setting in SETTINGS:
        assert f"`{setting.name}`" in readme, setting.name


def test_settings_from_file_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "watchfloor.toml"
    config.write_text('batch_size = 8\ndb = "from-file.db"\n')
    settings = load_settings(config, env={"WATCHFLOOR_DB": "from-env.db"})
    assert (settings.batch_size, settings.db) == (8, "from-env.db")


def test_end_to_end_through_the_cli(tmp_path: Path, samples: Path) -> None:
    db = str(tmp_path / "cli.db")
    result = runner.invoke(app, ["ingest", str(samples), "--db", db])
    assert result.exit_code == 0, result.output
    assert "27 documents added" in result.output
    again = runner.invoke(app, ["ingest", str(samples), "--db", db])
    assert "0 documents added, 27 already stored" in again.output
    out = tmp_path / "export.json"
    assert runner.invoke(app, ["export", "--format", "json", "--out", str(out), "--db", db]).exit_code == 0
    assert json.loads(out.read_text())["format"] == "watchfloor-export"
    brief = runner.invoke(app, ["brief", "--out", str(tmp_path / "b"), "--db", db])
    assert brief.exit_code == 0 and (tmp_path / "b" / "briefing.html").exists()
    found = runner.invoke(app, ["search", "Kursk", "--db", db])
    assert found.exit_code == 0 and "Kursk" in found.output
    # the Kremlin's claims are recorded under Russia, and "--by Kremlin" finds them
    no_side = runner.invoke(app, ["search", "", "--claims", "--polarity", "uncommitted", "--by", "Kremlin",
                                  "--db", db], terminal_width=200)
    assert no_side.exit_code == 0 and "takes no side" in no_side.output and "Kremlin" in no_side.output
    unfiltered = runner.invoke(app, ["search", "troops", "--modality", "denied", "--db", db])
    assert unfiltered.exit_code == 2 and "add --claims" in unfiltered.output
    stats = runner.invoke(app, ["stats", "--db", db])
    assert "27" in stats.output
    bad = runner.invoke(app, ["export", "--format", "xml", "--db", db])
    assert bad.exit_code == 2 and "unknown export format" in bad.output
