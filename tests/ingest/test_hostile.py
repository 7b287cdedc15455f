"""Hostile input at every reader (hypothesis): whatever comes in, a Document or a named IngestError comes
out, never another exception. Bounded for the suite; `HOSTILE_EXAMPLES=2000 pytest tests/ingest/test_hostile.py`
searches longer, and `make fuzz` runs atheris over the same readers."""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Callable, Iterable
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from watchfloor.errors import IngestError
from watchfloor.ingest.feeds import read_feed
from watchfloor.ingest.gdelt import read_gdelt_lines
from watchfloor.ingest.html import read_html
from watchfloor.ingest.records import read_json, read_jsonl
from watchfloor.ingest.text import read_text
from watchfloor.ingest.warc import read_warc
from watchfloor.model import Document
from watchfloor.watch.fetch import ServedBytes
from watchfloor.watch.poll import poll_source
from watchfloor.watch.sources import Source
from watchfloor.watch.state import JournalState

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "25"))
bounded = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=5),
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=600)
WORDS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | WORDS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "html", "title", "outlet", "url", "published", "date", "author", "documents",
                         "source", "x"]), inner, max_size=6),
    max_leaves=12)


def only_documents_or_errors(items: Iterable[object]) -> list[Document | IngestError]:
    found = list(items)
    assert all(isinstance(x, Document | IngestError) for x in found), found
    for document in found:
        if isinstance(document, Document):
            assert document.text.strip() and document.id  # a document always has text and an id
    return found  # type: ignore[return-value]


def one(read: Callable[[], Document]) -> None:
    with contextlib.suppress(IngestError):
        only_documents_or_errors([read()])


@bounded
@given(TEXT, st.booleans())
def test_text_and_markdown(raw: str, markdown: bool) -> None:
    one(lambda: read_text(raw, "t", markdown=markdown))


TAGS = st.sampled_from(["p", "div", "article", "script", "style", "h1", "a", "meta", "title", "br", "table", "td",
                        "iframe", "svg", "noscript", "li", "![CDATA[", "!--", "?xml"])
ATTRS = st.sampled_from(['', ' property="og:site_name" content="X"', ' charset="x-bogus"', ' href="javascript:1"',
                         ' rel="canonical" href="::"', ' content="\x00"', ' name="date" content="9999-99-99"',
                         ' property="article:published_time" content="tomorrow"'])


@st.composite
def html_soup(draw: st.DrawFn) -> bytes:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag, attrs, text = draw(TAGS), draw(ATTRS), draw(WORDS)
        parts.append(draw(st.sampled_from([f"<{tag}{attrs}>{text}", f"</{tag}>", f"<{tag}{attrs}/>", text])))
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
    return "".join(parts).encode(encoding, errors="replace")


@bounded
@given(st.one_of(st.binary(max_size=2000), html_soup()))
def test_html(raw: bytes) -> None:
    one(lambda: read_html(raw, "h"))


@bounded
@given(st.lists(st.one_of(JSON_VALUES.map(json.dumps), WORDS), max_size=6))
def test_jsonl(lines: list[str]) -> None:
    only_documents_or_errors(read_jsonl("\n".join(lines), "j"))


@bounded
@given(st.one_of(JSON_VALUES.map(json.dumps), TEXT))
def test_json(raw: str) -> None:
    only_documents_or_errors(read_json(raw, "j"))


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    items = "".join(
        f"<item><title>{draw(WORDS)}</title><link>{draw(WORDS)}</link><guid>{draw(WORDS)}</guid>"
        f"<pubDate>{draw(WORDS)}</pubDate><description>{draw(WORDS)}</description>"
        f"<source url='{draw(WORDS)}'>{draw(WORDS)}</source></item>" for _ in range(draw(st.integers(0, 4))))
    atom = "".join(f"<entry><title>{draw(WORDS)}</title><link href='{draw(WORDS)}'/><content type='html'>"
                   f"{draw(WORDS)}</content><updated>{draw(WORDS)}</updated></entry>"
                   for _ in range(draw(st.integers(0, 3))))
    text = draw(st.sampled_from([
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{draw(WORDS)}</title>{items}</channel></rss>',
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{draw(WORDS)}</title>{atom}</feed>',
        f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">{items}</rdf:RDF>',
    ]))
    cut = draw(st.integers(0, len(text)))
    return text[: cut if draw(st.booleans()) else len(text)].encode("utf-8", errors="replace")


@bounded
@given(st.one_of(feeds(), st.binary(max_size=1500)))
def test_feeds(raw: bytes) -> None:
    only_documents_or_errors(read_feed(raw, "f"))


@st.composite
def warcs(draw: st.DrawFn) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=draw(st.booleans()))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["text/html", "text/html; charset=x-unknown", "image/png", "", "TEXT/HTML"]))
        payload = draw(st.one_of(html_soup(), st.binary(max_size=300)))
        headers = StatusAndHeaders(draw(st.sampled_from(["200 OK", "404 Not Found", "999 ?"])),
                                   [("Content-Type", kind)], protocol="HTTP/1.1")
        record_type = draw(st.sampled_from(["response", "resource", "metadata"]))
        uri = draw(st.sampled_from(["http://w.example/a", "", "not a uri", "http://[::1"]))
        fixed = {"WARC-Record-ID": "<urn:uuid:00000000-0000-0000-0000-000000000000>",  # the same bytes every run
                 "WARC-Date": "2024-11-07T10:00:00Z"}
        writer.write_record(writer.create_warc_record(uri, record_type, payload=io.BytesIO(payload),
                                                      warc_headers_dict=fixed,
                                                      http_headers=headers if record_type == "response" else None))
    raw = buffer.getvalue()
    if raw and draw(st.booleans()):  # damage it: cut it short or flip a byte
        at = int(draw(st.floats(0, 1, exclude_max=True)) * len(raw))
        raw = raw[:at] if draw(st.booleans()) else raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1:]
    return raw


@bounded
@given(st.one_of(warcs(), st.binary(max_size=800)))
def test_warc(raw: bytes) -> None:
    only_documents_or_errors(read_warc(raw, "w"))


FIELD = st.one_of(st.sampled_from(["", "20241107", "20241107100000", "http://g.example/a", "-1.5", "NaN", "inf",
                                   "99999999999999999999", "A#B#C;D#E", "1#x#y#z#1#2#3", "-,", ",,,,,,"]), WORDS)


@bounded
@given(st.lists(st.one_of(st.integers(0, 70).flatmap(lambda n: st.lists(FIELD, min_size=n, max_size=n)),
                          st.sampled_from([61, 58, 27]).flatmap(lambda n: st.lists(FIELD, min_size=n, max_size=n))),
                max_size=5))
def test_gdelt(rows: list[list[str]]) -> None:
    text = "\n".join("\t".join(fields).replace("\n", " ") for fields in rows)
    for row in read_gdelt_lines(io.StringIO(text, newline="\n"), "g"):  # type: ignore[arg-type]
        assert not isinstance(row, Exception) or isinstance(row, IngestError)


SERVED = ServedBytes()


@bounded
@given(st.one_of(feeds(), html_soup(), st.binary(max_size=1000)), st.sampled_from(["auto", "feed", "page"]))
def test_fetched_feeds_and_pages(body: bytes, kind: str) -> None:
    SERVED.body = body
    outcome = poll_source(SERVED, Source("http://w.example/feed", "Fuzz Outlet", "clear", kind=kind), JournalState())
    assert outcome.status in ("ok", "failed"), outcome
    only_documents_or_errors(outcome.documents)
    assert all(d.outlet == "Fuzz Outlet" for d in outcome.documents)


def test_found_by_fuzzing_json_metadata_of_the_wrong_type() -> None:
    """A record whose title, outlet or author is a number or a boolean was a crash (AttributeError)."""
    line = json.dumps({"text": None, "html": "<p>The ferry timetable changes on Monday.</p>", "title": True,
                       "outlet": 1, "author": 2, "published": [2024], "url": {"x": 1}})
    (document,) = only_documents_or_errors(read_jsonl(line, "j"))
    assert isinstance(document, Document)
    assert document.title == "The ferry timetable changes on Monday." and document.outlet == "unknown outlet"
    assert document.author is None and document.url is None and document.published is None


def test_found_by_fuzzing_a_link_that_is_not_a_url() -> None:
    """An entry link like "http://[x" made urljoin raise ValueError out of the feed reader (atheris, page target)."""
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>One</title>'
            b"<link>http://[broken/</link><description>The ferry timetable changes on Monday for the winter."
            b"</description></item></channel></rss>")
    SERVED.body = feed
    outcome = poll_source(SERVED, Source("http://w.example/feed", "Fuzz Outlet", "clear"), JournalState())
    assert outcome.status == "ok"
    (document,) = outcome.documents
    assert document.url is None and "ferry timetable" in document.text
