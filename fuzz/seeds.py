"""Write a small starting corpus for each fuzz target (texts invented for the purpose) into DIR/TARGET/."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

BODY = ("The harbour board voted on Thursday to rebuild the eastern breakwater, its chair said, after storms in "
        "October damaged the outer wall. Work should begin in April and last two seasons, according to the plan.")
PAGE = (f"<!doctype html><html><head><title>Breakwater to be rebuilt</title>"
        f'<meta property="og:site_name" content="Harbour Post"><meta property="article:published_time" '
        f'content="2024-11-07T10:00:00Z"></head><body><nav><a href="/">Home</a></nav><article><h1>Breakwater</h1>'
        f"<p>{BODY}</p><p>{BODY}</p><script>alert(1)</script></article><footer>Share this</footer></body></html>")
RSS = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Post</title><link>http://h.example/</link>'
       f"<item><title>Breakwater</title><link>http://h.example/a</link><guid>a1</guid>"
       f"<pubDate>Thu, 07 Nov 2024 10:00:00 GMT</pubDate><description>{BODY}</description></item></channel></rss>")
ATOM = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Post</title>'
        f"<id>urn:h</id><updated>2024-11-07T10:00:00Z</updated><entry><title>Breakwater</title><id>urn:a</id>"
        f'<link href="http://h.example/a"/><updated>2024-11-07T10:00:00Z</updated><content type="html">'
        f"&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>")


def _warc(compressed: bool = True) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compressed)
    for url, kind, payload in (("http://h.example/a", "text/html", PAGE.encode()),
                               ("http://h.example/i.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64))):
        headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                      http_headers=headers))
    return buffer.getvalue()


def _gdelt() -> bytes:
    event = [""] * 61
    event[0], event[1], event[26], event[28], event[59], event[60] = "1", "20241107", "0871", "08", "20241107100000", \
        "http://h.example/a"
    gkg = [""] * 27
    gkg[0], gkg[1], gkg[3], gkg[4], gkg[5], gkg[7], gkg[15] = "g1", "20241107100000", "h.example", \
        "http://h.example/a", "KILL#2#people#1#Norway#NO#NO#62#10#NO", "STORM;HARBOUR", "-1.5,1,2.5,3,20,0,40"
    return ("\t".join(event) + "\n" + "\t".join(gkg) + "\n").encode()


def seeds() -> dict[str, list[bytes]]:
    record = {"title": "Breakwater", "outlet": "Harbour Post", "published": "2024-11-07", "text": BODY}
    html_record = {"title": "Breakwater", "url": "http://h.example/a", "html": f"<p>{BODY}</p>"}
    text = f"Breakwater to be rebuilt\noutlet: Harbour Post\ndate: 2024-11-07\n\n{BODY}\n".encode()
    markdown = f"# Breakwater\n\nPORTSEA, Nov. 7, 2024 (Harbour Post) — **{BODY}** [more](http://h.example)\n".encode()
    jsonl = (json.dumps(record) + "\n" + json.dumps(html_record) + "\n").encode()
    return {
        "text": [text],
        "markdown": [markdown],
        "html": [PAGE.encode()],
        "jsonl": [jsonl],
        "json": [json.dumps({"documents": [record, html_record]}).encode(), json.dumps([record]).encode()],
        "feed": [RSS.encode(), ATOM.encode()],
        "warc": [_warc(), _warc(compressed=False)],
        "gdelt": [_gdelt()],
        "page": [RSS.encode(), PAGE.encode()],
        "file": [bytes([0]) + text, bytes([2]) + PAGE.encode(), bytes([3]) + jsonl, bytes([5]) + RSS.encode(),
                 bytes([7]) + _warc(), bytes([6]) + _warc(compressed=False)],
    }


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "build/fuzz")
    for target, inputs in seeds().items():
        folder = root / target
        folder.mkdir(parents=True, exist_ok=True)
        for number, data in enumerate(inputs):
            (folder / f"seed-{number}").write_bytes(data)


if __name__ == "__main__":
    main()
