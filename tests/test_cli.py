from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from watchfloor.cli import app
from watchfloor.config import SETTINGS, load_settings
from watchfloor.store import Store

runner = CliRunner()
COMMANDS = ["ingest", "reanalyze", "grade", "export", "push", "brief", "search", "stats", "track", "watch", "alerts",
            "gdelt", "serve"]


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
    shared = tmp_path / "share.json"
    stix = runner.invoke(app, ["export", "--format", "stix", "--tlp", "green", "--out", str(shared), "--db", db])
    assert stix.exit_code == 0, stix.output
    assert json.loads(shared.read_text())["type"] == "bundle"
    tables = runner.invoke(app, ["export", "--format", "csv", "--out", str(tmp_path / "csv"), "--db", db])
    assert tables.exit_code == 0 and (tmp_path / "csv" / "claims.csv").exists()
    lines = runner.invoke(app, ["export", "--format", "jsonl", "--db", db])
    assert lines.exit_code == 0 and json.loads(lines.output.splitlines()[0])["record"] == "document"
    unknown = runner.invoke(app, ["export", "--format", "stix", "--tlp", "purple", "--db", db])
    assert unknown.exit_code == 2 and "unknown TLP level" in unknown.output


def test_every_command_works_on_either_engine(sample_store: Store, samples: Path, tmp_path: Path) -> None:
    """The sample store on SQLite and on PostgreSQL, through every command (nothing here analyses again)."""
    db = sample_store.given
    commands = [
        ["ingest", str(samples), "--db", db],
        ["reanalyze", "--db", db],
        ["export", "--format", "json", "--out", str(tmp_path / "e.json"), "--db", db],
        ["export", "--format", "geojson", "--out", str(tmp_path / "e.geojson"), "--db", db],
        ["brief", "--out", str(tmp_path / "b"), "--since", "last", "--db", db],
        ["search", "Kursk", "--db", db],
        ["search", "", "--claims", "--by", "Kremlin", "--db", db],
        ["stats", "--db", db],
        ["track", "--subject", "North Korea", "--unit", "troop", "--db", db],
    ]
    for command in commands:
        result = runner.invoke(app, command, terminal_width=200)
        assert result.exit_code == 0, (command, result.output)
    assert "0 documents added, 27 already stored" in runner.invoke(app, commands[0]).output
    assert json.loads((tmp_path / "e.json").read_text())["documents"]


def test_grade_through_the_cli(tmp_path: Path) -> None:
    db = str(tmp_path / "grades.db")
    reports = tmp_path / "reports.jsonl"
    reports.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "a", "outlet": "Harbour Daily", "published": "2024-10-18T09:00:00Z", "title": "Soldiers sent",
         "text": "North Korea has sent about 1,500 soldiers to Russia, South Korea's spy agency said on Friday."}]))
    assert runner.invoke(app, ["ingest", str(reports), "--db", db]).exit_code == 0
    done = runner.invoke(app, ["grade", "harbour daily", "b", "--by", "anna", "--db", db], terminal_width=200)
    assert done.exit_code == 0, done.output
    assert "outlet Harbour Daily (given as 'harbour daily') graded B (usually reliable);" in done.output
    table = tmp_path / "grades.toml"
    table.write_text('[reliability]\n"South Korea\'s spy agency" = "C"\n"Nowhere Gazette" = "E"\n')
    out = tmp_path / "export.json"
    exported = runner.invoke(app, ["export", "--reliability", str(table), "--out", str(out), "--db", db])
    assert exported.exit_code == 0 and "2 grades imported" in exported.output, exported.output
    listed = runner.invoke(app, ["grade", "--list", "--db", db], terminal_width=200)
    assert listed.exit_code == 0 and "anna" in listed.output and "Nowhere Gazette" in listed.output
    grades = {g["name"]: g["grade"] for g in json.loads(out.read_text())["reliability"]}
    assert grades["Harbour Daily"] == "B" and grades["Nowhere Gazette"] == "E"
    for bad in (["grade", "Harbour Daily", "G"], ["grade", "Harbour Daily"]):
        result = runner.invoke(app, [*bad, "--db", db], terminal_width=200)
        assert result.exit_code == 2 and "error:" in result.output, result.output
    broken = tmp_path / "broken.toml"
    broken.write_text('[reliability]\n"X" = "Q"\n')
    result = runner.invoke(app, ["grade", "--from", str(broken), "--db", db], terminal_width=200)
    assert result.exit_code == 2 and "broken.toml" in result.output


def test_read_commands_never_create_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    for command in (["export"], ["search", "x"], ["stats"], ["track"], ["brief", "--out", str(tmp_path / "b")]):
        result = runner.invoke(app, [*command, "--db", str(missing)], terminal_width=200)
        assert result.exit_code == 2, (command, result.output)
        assert f"no watchfloor store at {missing}" in result.output and "watchfloor ingest" in result.output
    assert not missing.exists()
