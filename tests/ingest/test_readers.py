from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from watchfloor.errors import IngestError
from watchfloor.ingest import read_file, read_paths
from watchfloor.ingest.boilerplate import strip_boilerplate
from watchfloor.model import Document

ARTICLE = (
    "North Korean troops arrived in the Kursk region on Monday, officials in Kyiv said. "
    "The deployment was the first confirmed movement of the units toward the front line, and "
    "analysts expect more to follow in the coming weeks as training ends in the east."
)


def _docs(path: Path) -> list[Document]:
    items = list(read_file(path))
    assert all(isinstance(i, Document) for i in items), items
    return [i for i in items if isinstance(i, Document)]


def test_text_file_title_headers_and_date(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(f"Troops reach Kursk\noutlet: Test Herald\ndate: 2024-10-28\nurl: https://t.example/a\n\n{ARTICLE}\n")
    (doc,) = _docs(path)
    assert doc.title == "Troops reach Kursk"
    assert doc.outlet == "Test Herald"
    assert doc.published == datetime(2024, 10, 28, tzinfo=UTC)
    assert doc.url == "https://t.example/a"
    assert doc.text == ARTICLE


def test_plain_date_line_and_dateline(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(f"Title A\ndate 2024-11-04\n\n{ARTICLE}\n")
    assert _docs(a)[0].published == datetime(2024, 11, 4, tzinfo=UTC)
    b = tmp_path / "b.md"
    b.write_text(f"# Title B\n\nSEOUL, Oct. 18, 2024 (Harbour Wire) — {ARTICLE}\n")
    (doc,) = _docs(b)
    assert doc.title == "Title B"
    assert doc.published is not None and doc.published.date().isoformat() == "2024-10-18"
    assert doc.outlet == "Harbour Wire"


def test_markdown_markup_removed(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_text(f"# Heading\noutlet: X\n\n**Bold** start and a [link](https://x.example). {ARTICLE}\n")
    (doc,) = _docs(path)
    assert doc.text.startswith("Bold start and a link.")


def test_html_main_text_metadata_and_no_script(tmp_path: Path) -> None:
    html = f"""<html><head><title>Troops reach Kursk | Herald</title>
    <meta property="og:site_name" content="Test Herald">
    <meta property="article:published_time" content="2024-10-28T14:05:00Z">
    <link rel="canonical" href="https://herald.example/kursk"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Troops reach Kursk</h1><p>{ARTICLE}</p><p>{ARTICLE}</p>
    <script>document.title = "pwned"; fetch("https://evil.example");</script></article>
    <footer>Copyright 2024 Test Herald. All rights reserved. We use cookies.</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html)
    (doc,) = _docs(path)
    assert doc.outlet == "Test Herald"
    assert doc.published == datetime(2024, 10, 28, 14, 5, tzinfo=UTC)
    assert doc.url == "https://herald.example/kursk"
    assert "pwned" not in doc.text and "evil.example" not in doc.text
    assert "cookies" not in doc.text and "Home" not in doc.text
    assert ARTICLE in doc.text


def test_jsonl_text_and_html_records(tmp_path: Path) -> None:
    records = [
        {"id": "1", "url": "https://w.example/1", "title": "One", "outlet": "Wire", "published": "2024-11-04T09:30:00+09:00",
         "text": ARTICLE},
        {"id": "2", "title": "Two", "outlet": "Wire", "published": "2024-11-05", "html": f"<p>{ARTICLE}</p><p>Second.</p>"},
    ]
    path = tmp_path / "w.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records))
    one, two = _docs(path)
    assert one.published is not None and one.published.utcoffset() is not None
    assert one.published.isoformat() == "2024-11-04T09:30:00+09:00"
    assert two.text == ARTICLE + "\n\nSecond."


def test_rss_and_atom_entries_become_documents(tmp_path: Path) -> None:
    rss = f"""<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
    <channel><title>Feed Outlet</title><link>https://f.example</link><description>d</description>
    <item><title>Item one</title><link>https://f.example/1</link><pubDate>Mon, 28 Oct 2024 10:00:00 GMT</pubDate>
    <guid>1</guid><content:encoded><![CDATA[<p>{ARTICLE}</p>]]></content:encoded></item>
    <item><title>Item two</title><link>https://f.example/2</link><pubDate>Tue, 29 Oct 2024 10:00:00 GMT</pubDate>
    <guid>2</guid><description>{ARTICLE} Again.</description></item></channel></rss>"""
    atom = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Outlet</title>
    <id>urn:x</id><updated>2024-10-30T00:00:00Z</updated>
    <entry><title>Entry</title><id>urn:e1</id><link href="https://a.example/e1"/><updated>2024-10-30T08:00:00Z</updated>
    <content type="html">&lt;p&gt;{ARTICLE}&lt;/p&gt;</content></entry></feed>"""
    (tmp_path / "f.xml").write_text(rss)
    (tmp_path / "a.atom").write_text(atom)
    docs = [d for d in read_paths([tmp_path]) if isinstance(d, Document)]
    assert sorted(d.outlet for d in docs) == ["Atom Outlet", "Feed Outlet", "Feed Outlet"]
    assert {d.published.date().isoformat() for d in docs if d.published} == {"2024-10-28", "2024-10-29", "2024-10-30"}


def test_warc_html_responses(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    page = f"<html><head><title>Archived</title></head><body><article><p>{ARTICLE}</p></article></body></html>"
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://arch.example/p", "response",
                                                  payload=io.BytesIO(page.encode()), http_headers=headers))
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(buffer.getvalue())
    (doc,) = _docs(path)
    assert doc.url == "https://arch.example/p"
    assert ARTICLE in doc.text


def test_boilerplate_blocks_removed_and_prose_kept() -> None:
    text = (f"{ARTICLE}\n\nRead also:\nSeoul summons Russian envoy\nNATO allies meet in Brussels\n\n"
            "Second paragraph of the report stays where it is.\n\n"
            "Related: Kremlin dismisses reports\n\n"
            "Share this article on X and Facebook\nSubscribe to our newsletter\n\n"
            "This audio is created with AI assistance.")
    cleaned = strip_boilerplate(text)
    assert cleaned == f"{ARTICLE}\n\nSecond paragraph of the report stays where it is."


def test_same_content_same_id_and_outlet_changes_id(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(f"Title\noutlet: One\n\n{ARTICLE}")
    b.write_text(f"Title\noutlet: Two\n\n{ARTICLE}")
    first, again, other = _docs(a)[0], _docs(a)[0], _docs(b)[0]
    assert first.id == again.id
    assert first.id != other.id  # a syndicated copy is its own document


def test_missing_path_is_reported(tmp_path: Path) -> None:
    (item,) = list(read_paths([tmp_path / "nope.txt"]))
    assert isinstance(item, IngestError) and "no such file" in item.reason
