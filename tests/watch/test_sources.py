"""SOURCES.toml: every mistake is named with the file, the source and the fix, before anything is fetched."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from watchfloor.cli import app
from watchfloor.errors import ConfigError
from watchfloor.watch.sources import parse_sources

GOOD = """
[watch]
delay = 2.5
concurrency = 1
max_items = 10

[[source]]
url = "https://news.example/rss"
outlet = "Example Herald"
tlp = "AMBER"
reliability = "b"

[[source]]
url = "https://other.example/live"
outlet = "Other Post"
tlp = "clear"
kind = "page"
interval = 120
max_mb = 0.5
"""


def test_a_good_file() -> None:
    options, (first, second) = parse_sources(GOOD)
    assert (options.delay, options.concurrency) == (2.5, 1)
    assert (first.tlp, first.reliability, first.max_items, first.delay, first.kind) == ("amber", "B", 10, 2.5, "auto")
    assert (second.reliability, second.kind, second.interval, second.max_bytes) == ("F", "page", 120.0, 524288)
    assert first.host == "news.example"


@pytest.mark.parametrize(("text", "message"), [
    ('[[source]]\nurl = "https://a.example"\noutlet = "A"', "missing tlp"),
    ('[[source]]\nurl = "https://a.example"\noutlet = "A"\ntlp = "white"', "tlp 'white' is not one of clear, green"),
    ('[[source]]\nurl = "https://a.example"\noutlet = "A"\ntlp = "red"\nreliability = "G"', "reliability 'G'"),
    ('[[source]]\nurl = "ftp://a.example"\noutlet = "A"\ntlp = "red"', "must be an http:// or https://"),
    ('[[source]]\nurl = "http://[a.example/"\noutlet = "A"\ntlp = "red"', "is not a valid address"),
    ('[[source]]\nurl = "http://a.example:port/"\noutlet = "A"\ntlp = "red"', "is not a valid address"),
    ('[[source]]\nurl = "https://a.example"\noutlet = " "\ntlp = "red"', "outlet must be"),
    ('[[source]]\nurl = "https://a.example"\noutlet = "A"\ntlp = "red"\ninterval = -5', "interval must be above 0"),
    ('[[source]]\nurl = "https://a.example"\noutlet = "A"\ntlp = "red"\nmax_items = 2.5', "whole number"),
    ('[[source]]\nurl = "https://a.example"\noutlet = "A"\ntlp = "red"\nproxy = "x"', "unknown key 'proxy'"),
    ('[[source]]\nurl = "https://a.example"\noutlet = "A"\ntlp = "red"\n'
     '[[source]]\nurl = "https://a.example"\noutlet = "B"\ntlp = "red"', "source 2: url 'https://a.example' is already"),
    ('[watch]\nthreads = 3\n[[source]]\nurl = "https://a.example"\noutlet = "A"\ntlp = "red"', "unknown setting"),
    ("[feeds]\nx = 1", "unknown table 'feeds'"),
    ("", "no [[source]] tables"),
    ('[[source]\nurl = "x"', "not valid TOML"),
])
def test_mistakes_are_named(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_sources(text, "my-sources.toml")
    assert message in str(caught.value) and "my-sources.toml" in str(caught.value)


def test_cli_reports_a_bad_file_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "SOURCES.toml"
    path.write_text('[[source]]\nurl = "https://a.example"\noutlet = "A"\ntlp = "purple"\n')
    result = CliRunner().invoke(app, ["watch", str(path), "--once", "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 2 and "tlp 'purple'" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "d.db").exists()  # nothing opened before the file was checked
