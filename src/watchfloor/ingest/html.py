"""HTML pages (trafilatura) and HTML fragments (feed entries, JSON ``html`` fields).

Nothing in a page is ever executed: scripts and styles are dropped with the rest of the markup.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ..errors import IngestError
from ..model import Document
from .document import build_document

__all__ = ["fragment_to_text", "read_html"]

_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}
_META_TIME = ("article:published_time", "og:published_time", "datePublished", "pubdate", "date", "dc.date")
_META_OUTLET = ("og:site_name", "application-name", "publisher")


def fragment_to_text(fragment: str) -> str:
    """Text of a small HTML fragment, one paragraph per block element."""
    if not fragment.strip():
        return ""
    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)
    for bad in root.xpath(".//script|.//style|.//noscript|.//iframe"):
        bad.drop_tree()
    parts: list[str] = []
    for element in root.iter():
        if element.tag in _BLOCK_TAGS:
            parts.append("\n\n")
        if element.text and element.tag not in ("script", "style"):
            parts.append(element.text)
        if element.tag in _BLOCK_TAGS:
            parts.append("\n\n")
        if element.tail and element is not root:
            parts.append(element.tail)
    return "".join(parts)


def _meta(tree: lxml.html.HtmlElement, names: tuple[str, ...]) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            if found and str(found[0]).strip():
                return str(found[0]).strip()
    return None


def read_html(raw: bytes | str, source: str, url: str | None = None) -> Document:
    try:
        tree = lxml.html.document_fromstring(raw)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(source, f"not a readable HTML page ({exc})") from exc
    import trafilatura  # here, not at the top: only HTML pages need it, and its import costs every command ~50 ms

    found = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False)
    extracted: dict = found.as_dict() if found is not None and not isinstance(found, dict) else (found or {})
    text = extracted.get("text") or ""
    if len(text.split()) < 20:
        raise IngestError(source, "HTML page has no article text (menus or boilerplate only)")
    title = extracted.get("title") or ""
    lines = text.split("\n")
    if lines and lines[0].strip() == title.strip():
        lines = lines[1:]
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    return build_document(
        source=source,
        title=title,
        text="\n\n".join(lines),
        outlet=_meta(tree, _META_OUTLET) or extracted.get("sitename"),
        url=url or (str(canonical[0]) if canonical else None) or extracted.get("url"),
        published=_meta(tree, _META_TIME) or extracted.get("date"),
        author=extracted.get("author"),
    )
