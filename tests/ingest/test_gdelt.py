"""GDELT 2.0 Event and GKG files: typed rows with their linked metadata, streamed, bad rows reported."""

from __future__ import annotations

import json
import threading
import tracemalloc
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from watchfloor.cli import app
from watchfloor.errors import IngestError
from watchfloor.ingest.gdelt import GdeltArticle, GdeltEvent, read_gdelt
from watchfloor.model import Document
from watchfloor.store import LinkedRow, open_store
from watchfloor.watch.fetch import Fetcher, FetchLimits, FetchPolicy
from watchfloor.watch.linked import fetch_linked, linked_urls, read_gdelt_file


def event_row(n: int, url: str = "https://news.example/a") -> str:
    fields = [""] * 61
    fields[0], fields[1], fields[2], fields[3], fields[4] = str(1000 + n), "20241104", "202411", "2024", "2024.8438"
    fields[5:8] = ["DNK", "DENMARK", "DNK"]
    fields[15:18] = ["EST", "ESTONIA", "EST"]
    fields[25:35] = ["1", "0871", "087", "08", "2", "5.0", "4", "2", "4", "-1.25"]
    fields[51:59] = ["4", "Tallinn, Harjumaa, Estonia", "EN", "EN01", "", "59.4339", "24.7281", "-1"]
    fields[59], fields[60] = "20241104120000", url
    return "\t".join(fields)


def gkg_row(n: int, url: str = "https://news.example/b", outlet: str = "news.example") -> str:
    fields = [""] * 27
    fields[0], fields[1], fields[2], fields[3], fields[4] = f"20241104120000-{n}", "20241104120000", "1", outlet, url
    fields[5] = "KILL#12#soldiers#1#Estonia#EN#EN#59#26#EN;ARREST#3#protesters#4#Tallinn, Harjumaa, Estonia#EN#EN01#59.43#24.73#-1"
    fields[7] = "MILITARY;ARMEDCONFLICT;MILITARY"
    fields[9] = "1#Estonia#EN#EN#59#26#EN;4#Tallinn, Harjumaa, Estonia#EN#EN01#59.4339#24.7281#-1"
    fields[11] = "jane doe;john roe"
    fields[13] = "defence ministry"
    fields[15] = "-2.5,1.2,3.7,4.9,20.1,0.5,412"
    return "\t".join(fields)


def test_event_and_gkg_rows_keep_their_metadata(tmp_path: Path) -> None:
    v1 = event_row(3).split("\t")
    v1 = v1[:39] + v1[40:47] + v1[48:55] + v1[56:]  # a GDELT 1.0 row: no ADM2 codes
    assert len(v1) == 58
    path = tmp_path / "20241104120000.export.CSV"
    path.write_text("\n".join([event_row(1), "only\tthree\tfields", "", event_row(2), "\t".join(v1),
                               event_row(4, "http://[broken")]) + "\n")
    rows = list(read_gdelt(path))
    events = [r for r in rows if isinstance(r, GdeltEvent)]
    errors = [r for r in rows if isinstance(r, IngestError)]
    assert [e.id for e in events] == ["1001", "1002", "1003", "1004"]
    assert events[3].url is None  # a URL that does not parse is dropped, not passed on to be fetched
    first = events[0]
    assert first.day == date(2024, 11, 4) and first.added == datetime(2024, 11, 4, 12, tzinfo=UTC)
    assert first.actor1 and first.actor1.name == "DENMARK" and first.actor2 and first.actor2.country == "EST"
    assert (first.event_code, first.root_code, first.quad_class, first.goldstein) == ("0871", "08", 2, 5.0)
    assert (first.mentions, first.sources, first.articles, first.tone) == (4, 2, 4, -1.25)
    assert first.place and first.place.lat == 59.4339 and first.url == "https://news.example/a"
    assert events[2].place == first.place and events[2].url == first.url  # the 1.0 row reads the same
    assert len(errors) == 1 and errors[0].source.endswith(":2") and "3 tab-separated fields" in errors[0].reason

    gkg = tmp_path / "20241104120000.gkg.csv.zip"
    with zipfile.ZipFile(gkg, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("20241104120000.gkg.csv", gkg_row(1) + "\n" + gkg_row(2, "https://other.example/c", "") + "\n")
    (one, two) = list(read_gdelt(gkg))
    assert isinstance(one, GdeltArticle) and isinstance(two, GdeltArticle)
    assert one.themes == ("MILITARY", "ARMEDCONFLICT") and one.persons == ("jane doe", "john roe")
    assert [(c.kind, c.number, c.object) for c in one.counts] == [("KILL", 12.0, "soldiers"), ("ARREST", 3.0, "protesters")]
    assert [p.name for p in one.locations] == ["Estonia", "Tallinn, Harjumaa, Estonia"]
    assert (one.tone, one.word_count, one.outlet) == (-2.5, 412, "news.example")
    assert list(linked_urls([one, two, one])) == [("https://news.example/b", "news.example"),
                                                  ("https://other.example/c", "other.example")]


def test_ingest_points_gdelt_files_to_their_command(tmp_path: Path) -> None:
    from watchfloor.ingest import read_file

    path = tmp_path / "20241104120000.export.CSV"
    path.write_text(event_row(1) + "\n")
    (error,) = list(read_file(path))
    assert isinstance(error, IngestError) and "watchfloor gdelt" in error.reason


def test_bad_files(tmp_path: Path) -> None:
    empty = tmp_path / "x.export.CSV"
    empty.write_text("\n\n")
    assert [e.reason for e in read_gdelt(empty) if isinstance(e, IngestError)] == ["no GDELT event or GKG rows"]
    broken = tmp_path / "y.export.CSV.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    (error,) = list(read_gdelt(broken))
    assert isinstance(error, IngestError) and "cannot read the GDELT file" in error.reason
    long_line = tmp_path / "z.gkg.csv"
    long_line.write_text("x" * (5 * 1024 * 1024) + "\n" + gkg_row(1) + "\n")
    rows = list(read_gdelt(long_line))
    assert isinstance(rows[0], IngestError) and "longer than 4 MB" in rows[0].reason
    assert isinstance(rows[1], GdeltArticle) and rows[1].source.endswith(":2")


def test_large_file_streams(tmp_path: Path) -> None:
    path = tmp_path / "big.export.CSV"
    with path.open("w") as handle:
        for n in range(12_000):
            handle.write(event_row(n, f"https://news.example/{n % 500}") + "\n")
    tracemalloc.start()
    try:
        report = read_gdelt_file(path, None, limit=10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (report.events, report.urls, len(report.links)) == (12_000, 500, 10)
    assert path.stat().st_size > 2_500_000 and peak < 400_000  # the URLs seen and one row, not the file


def test_fetch_linked_articles(tmp_path: Path) -> None:
    from tests.watch.conftest import LOOPBACK
    from tests.watch.helpers import page_html

    server = HTTPServer(host="127.0.0.1")
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request("/a").respond_with_data(page_html(1), content_type="text/html")
    server.expect_request("/gone").respond_with_data("", status=404)
    server.start()
    try:
        rows = [gkg_row(1, server.url_for("/a"), "Harbour Post"), gkg_row(2, server.url_for("/gone")),
                gkg_row(3, "http://10.0.0.1/x")]
        path = tmp_path / "t.gkg.csv"
        path.write_text("\n".join(rows) + "\n")
        report = read_gdelt_file(path, None, limit=10)
        policy = FetchPolicy(allow_networks=LOOPBACK, retries=0)
        with Fetcher(policy, threading.Event()) as fetcher:
            found = list(fetch_linked(report.links, fetcher, FetchLimits(timeout=2.0, delay=0.0)))
    finally:
        server.stop()
    documents = [x for x in found if isinstance(x, Document)]
    assert [(d.outlet, d.url) for d in documents] == [("Harbour Post", server.url_for("/a"))]
    reasons = sorted(x.reason for x in found if isinstance(x, IngestError))
    assert reasons[0] == "HTTP 404" and "private network address" in reasons[1]


@pytest.mark.slow
def test_cli_writes_metadata_and_fetches(tmp_path: Path) -> None:
    from tests.watch.helpers import page_html

    server = HTTPServer(host="127.0.0.1")
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request("/a").respond_with_data(page_html(2), content_type="text/html")
    server.start()
    try:
        path = tmp_path / "t.export.CSV"
        path.write_text(event_row(1, server.url_for("/a")) + "\n" + event_row(2, server.url_for("/a")) + "\n")
        out = tmp_path / "meta.jsonl"
        db = tmp_path / "desk.db"
        result = CliRunner().invoke(app, ["gdelt", str(path), "--out", str(out), "--fetch", "--allow-private",
                                          "--db", str(db)])
    finally:
        server.stop()
    assert result.exit_code == 0, result.output
    assert "2 event rows, 0 GKG rows kept in" in result.output and "1 distinct article URLs" in result.output
    assert "1 linked articles tried: 1 added" in result.output
    assert len(out.read_text().splitlines()) == 2 and '"kind": "gdelt_event"' in out.read_text()
    with open_store(str(db), "read") as store, store.read() as reader:
        (document,) = reader.documents()
        assert [row.id for row in reader.linked_rows(document.url or "")] == ["1001", "1002"]  # the article's rows


def test_rows_are_kept_in_the_store_by_url(location: str, tmp_path: Path) -> None:
    path = tmp_path / "t.gkg.csv"
    path.write_text("\n".join([gkg_row(1, "https://news.example/b"), gkg_row(2, "https://news.example/c")]) + "\n")
    with open_store(location, "create") as store:
        def keep(rows: list[LinkedRow]) -> None:
            with store.write() as w:
                w.add_linked_rows(rows)

        read_gdelt_file(path, None, keep=keep, batch=1)
        read_gdelt_file(path, None, keep=keep)  # the same file again: each row once
        with store.read() as reader:
            (row,) = reader.linked_rows("https://news.example/b")
            assert reader.linked_counts() == {"gdelt_gkg": 2}
    data = json.loads(row.data)
    assert (row.kind, row.id) == ("gdelt_gkg", "20241104120000-1")
    assert data["themes"] == ["MILITARY", "ARMEDCONFLICT"] and data["tone"] == -2.5
    assert [(c["kind"], c["number"], c["object"]) for c in data["counts"]] == [("KILL", 12.0, "soldiers"),
                                                                               ("ARREST", 3.0, "protesters")]


def test_counts_with_control_characters_are_read_from_their_digits(tmp_path: Path) -> None:
    """A count field ending in a control character that ``str.strip`` removes but ``int`` refuses (U+001F) is
    read from its digits, and a sign is kept; the row is not lost to an unhandled error."""
    fields = event_row(1).split("\t")
    fields[31], fields[32] = "7\x1f", "-3\x1f"
    path = tmp_path / "c.export.CSV"
    path.write_text("\t".join(fields) + "\n")
    (row,) = list(read_gdelt(path))
    assert isinstance(row, GdeltEvent) and (row.mentions, row.sources) == (7, -3)
