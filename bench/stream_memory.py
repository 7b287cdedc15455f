"""Streaming inputs at real size: a multi-hundred-MB .warc.gz and a large GDELT GKG file are built in a temp
dir, then read by a fresh process each, which reports its time and peak memory (ru_maxrss). The same
reading at a tenth of the size gives the baseline: bounded memory means the two peaks are about equal.

    python -m bench.stream_memory [--warc-mb 400] [--gkg-rows 300000]

No data set is needed: pages are generated, the bulk of the archive is incompressible binary responses
(as video and images are in a news crawl), so the file on disk is as large as what it holds.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .common import RESULTS

TEXT = ("The port authority said on Friday that the northern pier would stay closed for repairs until March, and "
        "that ferries would use the southern terminal meanwhile. Traders asked for a faster timetable.")


class _Random(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.left)
        buffer[:n] = os.urandom(n)
        self.left -= n
        return n


def _page(writer: WARCWriter, n: int) -> None:
    html = (f"<html><head><title>Pier report {n}</title></head><body><article><p>{TEXT} Report {n}.</p>"
            f"<p>{TEXT}</p></article></body></html>").encode()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(f"https://port.example/{n}", "response", payload=io.BytesIO(html),
                                                  http_headers=headers))


def build_warc(path: Path, megabytes: int, pages: int) -> None:
    """``pages`` HTML pages spread among 4 MB binary responses that make up ``megabytes``."""
    record = 4 * 1024 * 1024
    binaries = max(1, megabytes * 1024 * 1024 // record)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        written = 0
        for n in range(binaries):
            while written < pages * (n + 1) // binaries:
                _page(writer, written)
                written += 1
            headers = StatusAndHeaders("200 OK", [("Content-Type", "video/mp4")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://port.example/v{n}.mp4", "response",
                                                          payload=_Random(record), length=record, http_headers=headers))


def build_gkg(path: Path, rows: int) -> None:
    with path.open("w") as handle:
        for n in range(rows):
            fields = [""] * 27
            fields[0], fields[1], fields[3], fields[4] = f"r{n}", "20241107100000", "port.example", \
                f"https://port.example/{n % 50000}"
            fields[5] = "KILL#2#people#1#Norway#NO#NO#62#10#NO;ARREST#5#protesters#1#Norway#NO#NO#62#10#NO"
            fields[7] = ";".join(f"THEME_{(n + k) % 300}" for k in range(12))
            fields[9] = "1#Norway#NO#NO#62#10#NO;4#Bergen, Hordaland, Norway#NO#NO07#60.39#5.32#-1"
            fields[11], fields[13], fields[15] = "jane doe;john roe", "port authority", "-1.5,1,2.5,3,20,0,412"
            fields[17] = ",".join(f"c{k}:{k}" for k in range(60))  # GCAM scores make real rows long
            handle.write("\t".join(fields) + "\n")


_CHILD = """
import resource, sys, time
from pathlib import Path
kind, path = sys.argv[1], Path(sys.argv[2])
started = time.perf_counter()
if kind == "warc":
    from watchfloor.ingest import read_file
    from watchfloor.model import Document
    items = list(x for x in read_file(path))
    count = sum(isinstance(x, Document) for x in items)
else:
    from watchfloor.watch.linked import read_gdelt_file
    count = read_gdelt_file(path, None, 100).articles
print(count, round(time.perf_counter() - started, 1), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def measure(kind: str, path: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", _CHILD, kind, str(path)], capture_output=True, text=True, check=True)
    count, seconds, peak = out.stdout.split()
    return {"kind": kind, "file_mb": round(path.stat().st_size / 1e6), "items": int(count), "seconds": float(seconds),
            "peak_rss_mb": int(peak)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warc-mb", type=int, default=400)
    parser.add_argument("--gkg-rows", type=int, default=300_000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in (10, 1):
            warc, gkg = Path(tmp) / f"crawl-{scale}.warc.gz", Path(tmp) / f"day-{scale}.gkg.csv"
            started = time.perf_counter()
            build_warc(warc, args.warc_mb // scale, 200 // scale)
            build_gkg(gkg, args.gkg_rows // scale)
            print(f"built {warc.name} ({warc.stat().st_size / 1e6:.0f} MB) and {gkg.name} "
                  f"({gkg.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s", flush=True)
            for kind, path in (("warc", warc), ("gdelt", gkg)):
                row = measure(kind, path)
                rows.append(row)
                print(json.dumps(row), flush=True)
            warc.unlink()
            gkg.unlink()
    (RESULTS / "stream_memory.json").write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
