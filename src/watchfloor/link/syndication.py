"""Source independence: which documents are copies of one origin (a wire story, a press release, a text).

Three signals, checked for every new document:

- **copies**: sampled word-shingle fingerprints (every 5-word shingle whose hash is 0 mod ``sample``) in
  an inverted index; a document that contains most of an earlier one's fingerprints, or most of whose
  fingerprints an earlier one contains, is a copy. Containment, unlike Jaccard, survives truncation,
  added credit lines and a changed headline. Whole-text MinHash (``ingest.dedup``) is kept as a
  second estimate for near-verbatim copies.
- **wire credits**: a dateline credit ("SEOUL (Meridian Wire) —", "(Reuters) -"), a footer credit
  ("— AFP", "Some information for this report came from AP"), or a lead relayed from a wire
  ("..., Yonhap said." in the first sentence).
- **press releases**: newswire datelines ("/PRNewswire/ --") and release furniture ("For immediate
  release", "Media contact").

Each document gets one ``origin_id``: a copy inherits the origin of what it copies; otherwise a wire
credit names the wire; otherwise the outlet itself is the origin. Documents with one origin count as
one source.

The index runs in memory or over a store: given an :class:`OriginStateReader` (the store's writer) it reads
the fingerprint postings of the documents in hand and the stored origins of their candidates, nothing else,
and ``drain_changes`` hands back the rows to write.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..ingest.dedup import SHINGLE_SIZE, jaccard_estimate, minhash, text_shingles
from ..model import Document
from ..store.rows import OriginRow

__all__ = [
    "OriginRow",
    "OriginStateReader",
    "SourceOrigin",
    "SyndicationIndex",
    "SyndicationOptions",
    "document_fingerprints",
    "fingerprints",
    "wire_credits",
]

#: wire services and news agencies: alias → id
WIRES: dict[str, str] = {
    "reuters": "reuters", "thomson reuters": "reuters",
    "ap": "ap", "associated press": "ap", "the associated press": "ap",
    "afp": "afp", "agence france-presse": "afp", "agence france presse": "afp",
    "yonhap": "yonhap", "yonhap news agency": "yonhap",
    "kyodo": "kyodo", "kyodo news": "kyodo", "xinhua": "xinhua", "tass": "tass", "itar-tass": "tass",
    "interfax": "interfax", "ria novosti": "ria-novosti", "ria": "ria-novosti", "upi": "upi",
    "united press international": "upi", "dpa": "dpa", "efe": "efe", "ansa": "ansa", "pti": "pti",
    "press trust of india": "pti", "anadolu": "anadolu", "anadolu agency": "anadolu", "kcna": "kcna",
    "korean central news agency": "kcna", "ukrinform": "ukrinform", "bernama": "bernama",
    "pa media": "pa-media", "press association": "pa-media", "bloomberg": "bloomberg",
    "cna": "cna", "antara": "antara", "irna": "irna", "wafa": "wafa", "apa": "apa", "sana": "sana",
}
RELEASE_WIRES = {"prnewswire": "prnewswire", "pr newswire": "prnewswire", "business wire": "business-wire",
                 "businesswire": "business-wire", "globe newswire": "globe-newswire",
                 "globenewswire": "globe-newswire", "accesswire": "accesswire", "newswire": "newswire"}

_WIRE_NAMES = sorted({*WIRES, *RELEASE_WIRES}, key=len, reverse=True)
_WIRE_ALT = "|".join(re.escape(name) for name in _WIRE_NAMES)
_DASH = r"(?:—|–|--?|:)"
#: "SEOUL (Meridian Wire) —", "KYIV, Ukraine (AP) —", "WASHINGTON, March 3 (Reuters) -", "(AFP) -"
_DATELINE = re.compile(
    r"^\s*(?:By [A-Z][\w.'’-]*(?:[ -][A-Z][\w.'’-]*){0,3}(?:(?:,| and) [A-Z][\w.'’-]*(?:[ -][A-Z][\w.'’-]*){0,3}){0,3}"
    r"\s*\n\s*)?(?:[A-Z][A-Za-z.'’ -]{1,40}(?:,\s*[\w.'’ ]{1,30}){0,3}\s*)?"
    r"\((?P<credit>[A-Z][\w.&'’ -]{0,40}?)\)\s*" + _DASH)
_RELEASE_DATELINE = re.compile(r"/\s*(?P<credit>PR ?Newswire|Business ?Wire|GLOBE ?NEWSWIRE|ACCESSWIRE)\s*/", re.I)
_FOOTER = re.compile(
    r"(?:^|\n|[.!?”\"]\s)\s*(?:" + _DASH + r"|©|\(c\)|copyright\s*(?:\d{4})?)\s*(?P<credit>" + _WIRE_ALT + r")\s*\.?\s*$",
    re.I)
_CAME_FROM = re.compile(
    r"(?:information|reporting|material)\s+(?:for this (?:report|story|article)\s+)?(?:came\s+)?from\s+"
    r"(?P<credits>[A-Z][\w ,.&'-]{0,80})", re.I)
_REPORTING_BY = re.compile(r"\((?:additional\s+)?reporting by [^)]{0,200}(?:editing by|writing by)[^)]*\)\s*$", re.I)
_RELAY = re.compile(
    r"(?:according to (?:the )?(?P<a>" + _WIRE_ALT + r")|(?P<b>" + _WIRE_ALT + r")(?: news agency)? (?:said|reported|says|reports)"
    r"|(?:told|quoted by|cited by) (?:the )?(?P<c>" + _WIRE_ALT + r"))\b", re.I)
_RELEASE_MARKERS = re.compile(r"for immediate release|media contacts?:|press contacts?:|^\s*#{3}\s*$|\bpress release\b",
                              re.I | re.M)
_FIRST_SENTENCE = re.compile(r"^.{20,400}?[.!?](?=\s|$)", re.S)


@dataclass(frozen=True)
class SyndicationOptions:
    shingle_size: int = 5
    #: keep the fingerprints whose hash is 0 modulo this (1 in 8 shingles)
    sample: int = 8
    #: a document sharing at least this share of the shorter one's fingerprints is a copy
    min_containment: float = 0.5
    #: fewer fingerprints than this and containment is noise; fall back to MinHash Jaccard
    min_fingerprints: int = 6
    min_jaccard: float = 0.8
    #: fingerprints shared by more documents are boilerplate and are not followed
    max_posting: int = 64
    max_candidates: int = 20
    #: a candidate sharing at least this share of sampled fingerprints is compared on the texts
    min_related: float = 0.2
    #: ... and is a version of the same story when this share of the shorter text's trigrams is in the other,
    #: overall and in its first and second thirds each
    min_version_share: float = 0.4


@dataclass(frozen=True)
class SourceOrigin:
    """Where one document's text comes from; documents with one ``origin_id`` are one source."""

    doc_id: str
    origin_id: str  # "wire:reuters" | "release:prnewswire" | "outlet:<slug>"
    kind: str  # "own" | "wire" | "press_release" | "copy"
    copy_of: str | None = None
    containment: float = 0.0
    credits: tuple[str, ...] = ()  # wires credited (dateline, footer or a relayed lead)
    press_release: bool = False


class OriginStateReader(Protocol):
    """The stored state copy detection reads as it needs it (the store's :class:`~watchfloor.store.Writer`)."""

    def fingerprint_postings(self, values: Iterable[int]) -> dict[int, list[str]]: ...

    def origin_rows(self, ids: Iterable[str]) -> dict[str, OriginRow]: ...

    def documents(self, ids: Iterable[str] | None = None) -> Iterable[Document]: ...


def slug(text: str) -> str:
    """The outlet slug of ``analyze.gazetteer.slug`` (kept here so linking does not load the analyzers)."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").lower()
    text = re.sub(r"'s$", "", text)
    text = re.sub(r"(?<=\w)\.(?=\w|\s|$)", "", text)
    text = re.sub(r"[^\w' -]+", " ", text)
    text = re.sub(r"^the\s+", "", text.strip())
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"\s+", " ", text).strip()).strip("-") or "x"


def _credit_id(name: str) -> str | None:
    key = re.sub(r"\s+", " ", name.strip().lower())
    if key in WIRES:
        return f"wire:{WIRES[key]}"
    if key in RELEASE_WIRES:
        return f"release:{RELEASE_WIRES[key]}"
    return None


def wire_credits(text: str) -> tuple[str, ...]:
    """Origin ids of the wires a text credits for its content, in order found (may be empty)."""
    found: list[str] = []
    head, tail = text[:300], text[-400:]
    dateline = _DATELINE.match(head)
    if dateline:
        credit = dateline.group("credit")
        found.append(_credit_id(credit) or f"outlet:{slug(credit)}")
    release = _RELEASE_DATELINE.search(head)
    if release:
        found.append(_credit_id(release.group("credit")) or "release:newswire")
    footer = _FOOTER.search(tail)
    if footer:
        found.append(_credit_id(footer.group("credit")) or f"outlet:{slug(footer.group('credit'))}")
    came_from = _CAME_FROM.search(tail)
    if came_from:
        for name in re.split(r",\s*|\s+and\s+", came_from.group("credits").rstrip(". ")):
            credit = _credit_id(name)
            if credit:
                found.append(credit)
    if _REPORTING_BY.search(tail):
        found.append("wire:reuters")
    lead = _FIRST_SENTENCE.match(text.lstrip())
    if lead:
        relay = _RELAY.search(lead.group(0))
        if relay:
            credit = _credit_id(relay.group("a") or relay.group("b") or relay.group("c"))
            if credit:
                found.append(credit)
    return tuple(dict.fromkeys(found))


_WORD = re.compile(r"\w+")


def fingerprints(text: str, options: SyndicationOptions = SyndicationOptions()) -> np.ndarray:
    """Sorted unique sampled shingle hashes (int64) of a text: a containment-preserving sketch."""
    words = _WORD.findall(text.lower())
    size = options.shingle_size
    if len(words) < size:
        return np.zeros(0, dtype=np.int64)
    return _sampled({zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)}, options)


def _sampled(hashes: set[int], options: SyndicationOptions) -> np.ndarray:
    """The sketch: the shingle hashes that are 0 mod ``sample``, sorted."""
    return np.array(sorted(h for h in hashes if h % options.sample == 0), dtype=np.int64)


#: characters of a body enough to hold its first words (those a shingle that starts in the title reaches)
_HEAD_CHARS = 200


def document_fingerprints(document: Document, options: SyndicationOptions = SyndicationOptions()) -> np.ndarray:
    """``fingerprints`` of a document's title and text, its body's shingles taken from the near-duplicate check
    (``dedup.text_shingles``, shingles of the same ``SHINGLE_SIZE`` words): only those that start in the title are made here."""
    head = _WORD.findall(document.text.lower(), 0, _HEAD_CHARS)  # lowered whole: a letter's case may hang on the next
    if options.shingle_size != SHINGLE_SIZE or len(document.text) <= _HEAD_CHARS or len(head) <= SHINGLE_SIZE:
        return fingerprints(_text(document), options)  # a short body: its shingles are made another way
    title = _WORD.findall(document.title.lower())
    words = title + head[:-1]  # the last word of the head may be cut short
    hashes = set(text_shingles(document.text))
    hashes.update(zlib.crc32(" ".join(words[i : i + SHINGLE_SIZE]).encode()) for i in range(len(title)))
    return _sampled(hashes, options)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller sketch found in the other."""
    if not a.size or not b.size:
        return 0.0
    return float(np.intersect1d(a, b, assume_unique=True).size / min(a.size, b.size))


def _trigrams(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    return [" ".join(words[i : i + 3]) for i in range(len(words) - 2)]


def version_share(a: str, b: str, minimum: float) -> float:
    """The share of the shorter text's word trigrams found in the other when the two are versions of one story
    (that share at least ``minimum`` overall and in the shorter text's first and second thirds), else 0.

    Trigrams survive the word swaps of a paraphrase and the cuts and reordering of an update; asking for the
    opening and the middle tells a version from a story that reuses another's background at its end."""
    first, second = sorted((_trigrams(a), _trigrams(b)), key=len)
    if len(first) < 30:
        return 0.0
    others = set(second)
    overall = len(set(first) & others) / len(set(first))
    third = len(first) // 3
    parts = (first[:third], first[third : 2 * third])
    if overall < minimum or any(sum(g in others for g in part) < minimum * len(part) for part in parts):
        return 0.0
    return overall


class SyndicationIndex:
    """Incremental copy and credit detection; ``add`` decides one document's origin from those before it."""

    def __init__(self, options: SyndicationOptions = SyndicationOptions(), state: OriginStateReader | None = None
                 ) -> None:
        self.options = options
        self._state = state
        self._origins: dict[str, SourceOrigin] = {}
        self._prints: dict[str, np.ndarray] = {}
        self._signatures: dict[str, np.ndarray] = {}
        self._texts: dict[str, str] = {}  # the texts of this index's documents and of candidates read
        self._postings: dict[int, list[str]] = {}
        self._new: list[str] = []
        self._new_postings: list[tuple[int, str]] = []
        self._prefetched: dict[str, tuple[str, np.ndarray]] = {}  # text and fingerprints ``prefetch`` made

    def __len__(self) -> int:
        return len(self._origins)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._origins

    def origin(self, doc_id: str) -> SourceOrigin | None:
        return self._origins.get(doc_id)

    def prefetch(self, documents: Sequence[Document]) -> None:
        """Read in one go the fingerprint postings these documents will look up."""
        values: set[int] = set()
        for d in documents:
            text = _text(d)
            self._prefetched[d.id] = made = (text, document_fingerprints(d, self.options))  # for ``add``: made once
            values.update(made[1].tolist())
        self._load_postings(values)

    def _load_postings(self, values: Iterable[int]) -> None:
        missing = [v for v in values if v not in self._postings]
        if self._state is None or not missing:
            return
        found = self._state.fingerprint_postings(missing)
        for value in missing:
            self._postings[value] = list(found.get(value, ()))

    def _load_origins(self, doc_ids: Iterable[str]) -> None:
        missing = [d for d in doc_ids if d not in self._origins]
        if self._state is None or not missing:
            return
        for row in self._state.origin_rows(missing).values():
            self._remember(_origin(row), np.frombuffer(row.fingerprints, dtype=np.int64).copy(),
                           np.frombuffer(row.signature, dtype=np.uint64).copy(), index=False)

    def best_copy(self, prints: np.ndarray, signature: np.ndarray, text: str = "") -> tuple[str | None, float]:
        """The stored document this text copies (or that copies it) most, with the containment; failing a
        copy, the earlier version of the same story it is closest to (given ``text``)."""
        values = prints.tolist()
        self._load_postings(values)
        hits: dict[str, int] = defaultdict(int)
        for value in values:
            posting = self._postings.get(value)
            if posting and len(posting) <= self.options.max_posting:
                for doc_id in posting:
                    hits[doc_id] += 1
        best: tuple[str | None, float] = (None, 0.0)
        related: list[tuple[float, str]] = []
        ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))[: self.options.max_candidates]
        self._load_origins(doc_id for doc_id, _ in ranked)
        for doc_id, _ in ranked:
            other = self._prints[doc_id]
            if min(other.size, prints.size) >= self.options.min_fingerprints:
                score = containment(prints, other)
                if score < self.options.min_containment:
                    if score >= self.options.min_related:
                        related.append((score, doc_id))
                    continue
            else:
                score = jaccard_estimate(signature, self._signatures[doc_id])
                if score < self.options.min_jaccard:
                    continue
            if score > best[1]:
                best = (doc_id, score)
        if best[0] is None and related and text:
            best = self._closest_version(text, sorted(related, reverse=True))
        return best

    def _closest_version(self, text: str, related: list[tuple[float, str]]) -> tuple[str | None, float]:
        """Of candidates sharing some fingerprints, the one whose text is a version of this one (or None)."""
        self._load_texts(doc_id for _, doc_id in related)
        best: tuple[str | None, float] = (None, 0.0)
        for _, doc_id in related:
            other = self._texts.get(doc_id)
            score = version_share(text, other, self.options.min_version_share) if other else 0.0
            if score > best[1]:
                best = (doc_id, score)
        return best

    def _load_texts(self, doc_ids: Iterable[str]) -> None:
        missing = [d for d in doc_ids if d not in self._texts]
        if self._state is None or not missing:
            return
        for document in self._state.documents(missing):
            self._texts[document.id] = _text(document)

    def add(self, document: Document) -> SourceOrigin:
        """Decide the origin of a new document and index it; adding a known id returns its origin."""
        if document.id in self._origins:
            return self._origins[document.id]
        text = _text(document)
        made = self._prefetched.pop(document.id, None)
        prints = made[1] if made is not None and made[0] == text else document_fingerprints(document, self.options)
        signature = minhash(document.text)
        credits = wire_credits(document.text)
        press_release = bool(_RELEASE_MARKERS.search(document.text) or _RELEASE_DATELINE.search(document.text[:300]))
        copy_of, score = self.best_copy(prints, signature, text)
        own = _credit_id(document.outlet) or f"outlet:{slug(document.outlet)}"
        if copy_of is not None:
            origin_id, kind = self._origins[copy_of].origin_id, "copy"
        elif credits and credits[0] != own:
            origin_id, kind = credits[0], "press_release" if credits[0].startswith("release:") else "wire"
        else:
            origin_id, kind = own, "press_release" if press_release else "own"
        origin = SourceOrigin(document.id, origin_id, kind, copy_of, round(score, 4), credits, press_release)
        self._remember(origin, prints, signature)
        self._texts[document.id] = text
        self._new.append(document.id)
        return origin

    def _remember(self, origin: SourceOrigin, prints: np.ndarray, signature: np.ndarray, index: bool = True) -> None:
        self._origins[origin.doc_id] = origin
        self._prints[origin.doc_id] = prints
        self._signatures[origin.doc_id] = signature
        if not index:
            return
        for value in prints.tolist():
            posting = self._postings.setdefault(value, [])
            if len(posting) <= self.options.max_posting:  # one past the cap marks it as boilerplate
                posting.append(origin.doc_id)
                self._new_postings.append((value, origin.doc_id))

    def row(self, doc_id: str) -> OriginRow:
        """The stored form of one document (it never changes once the document is added)."""
        o = self._origins[doc_id]
        return OriginRow(o.doc_id, o.origin_id, o.kind, o.copy_of, o.containment, ",".join(o.credits),
                         o.press_release, self._prints[doc_id].astype(np.int64).tobytes(),
                         self._signatures[doc_id].astype(np.uint64).tobytes())

    def drain_changes(self) -> tuple[list[OriginRow], list[tuple[int, str]]]:
        """The origins and the (fingerprint, document) index entries added since the last call."""
        rows = [self.row(doc_id) for doc_id in self._new]
        postings = self._new_postings
        self._new, self._new_postings = [], []
        return rows, postings


def _text(document: Document) -> str:
    return f"{document.title}\n{document.text}" if document.title else document.text


def _origin(row: OriginRow) -> SourceOrigin:
    return SourceOrigin(row.doc_id, row.origin_id, row.kind, row.copy_of, row.containment,
                        tuple(c for c in row.credits.split(",") if c), row.press_release)
