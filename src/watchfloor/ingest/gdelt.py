"""GDELT 2.0 files: the Event export (61 tab-separated fields a row) and the Global Knowledge Graph 2.1
(27 fields a row), plain or zipped as GDELT publishes them (``*.export.CSV.zip``, ``*.gkg.csv.zip``).

A GDELT row is not an article: it is what GDELT's coders found in one, with the article's URL. Rows
become typed records that keep the URL, the themes, the counts, the actors and the tone as metadata
linked to the article by its URL; fetching the articles themselves is a separate, optional step
(``watchfloor gdelt FILE --fetch``). Files are read line by line, so a file of any size takes the memory
of one row; a malformed row is reported with its line number and the rest of the file goes on.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from ..errors import IngestError

__all__ = ["GdeltArticle", "GdeltCount", "GdeltEvent", "GdeltPlace", "is_gdelt_file", "read_gdelt",
           "read_gdelt_lines"]

EVENT_FIELDS = 61
EVENT_FIELDS_V1 = 58  # GDELT 1.0 daily files: no ADM2 codes
GKG_FIELDS = 27
MAX_LINE = 4 * 1024 * 1024  # a GKG row with every optional block is well under 1 MB


@dataclass(frozen=True)
class GdeltPlace:
    name: str
    country: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class GdeltActor:
    code: str
    name: str
    country: str


@dataclass(frozen=True)
class GdeltEvent:
    """One row of an Event export: a CAMEO-coded event and the URL of the first article it was found in."""

    id: str
    day: date | None
    added: datetime | None
    actor1: GdeltActor | None
    actor2: GdeltActor | None
    event_code: str
    root_code: str
    quad_class: int | None
    goldstein: float | None
    mentions: int | None
    sources: int | None
    articles: int | None
    tone: float | None
    place: GdeltPlace | None
    url: str | None
    source: str  # file:line


@dataclass(frozen=True)
class GdeltCount:
    kind: str  # KILL, ARREST, ...
    number: float | None
    object: str
    place: str


@dataclass(frozen=True)
class GdeltArticle:
    """One row of the Global Knowledge Graph: one article, its themes, names, places, counts and tone."""

    id: str
    published: datetime | None
    outlet: str
    url: str | None
    themes: tuple[str, ...]
    persons: tuple[str, ...]
    organizations: tuple[str, ...]
    locations: tuple[GdeltPlace, ...]
    counts: tuple[GdeltCount, ...]
    tone: float | None
    word_count: int | None
    source: str  # file:line


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _int(text: str) -> int | None:
    """A whole number, or None. Parsed from the ASCII digits alone: ``str.strip`` removes control characters
    such as U+001F that ``int`` refuses, so the stripped text, not the field, is what is converted."""
    stripped = text.strip()
    digits = stripped.removeprefix("-")
    if not (digits.isascii() and digits.isdigit() and len(digits) < 19):
        return None
    return -int(digits) if stripped.startswith("-") else int(digits)


def _day(text: str) -> date | None:
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _stamp(text: str) -> datetime | None:
    if len(text) != 14 or not text.isascii() or not text.isdigit():
        return None
    try:
        return datetime(int(text[:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]), int(text[10:12]),
                        int(text[12:]), tzinfo=UTC)
    except ValueError:
        return None


def _url(text: str) -> str | None:
    """An http(s) URL that parses, or None (a malformed one is dropped, not passed on)."""
    text = text.strip()
    if not text.lower().startswith(("http://", "https://")):
        return None
    try:
        return text if urlsplit(text).hostname else None
    except ValueError:
        return None


def _actor(fields: list[str], start: int) -> GdeltActor | None:
    code, name, country = fields[start], fields[start + 1], fields[start + 2]
    return GdeltActor(code, name, country) if code or name else None


def _event(fields: list[str], where: str) -> GdeltEvent:
    if len(fields) == EVENT_FIELDS_V1:  # GDELT 1.0: place the missing ADM2 codes so the indexes agree
        fields = fields[:39] + [""] + fields[39:46] + [""] + fields[46:53] + [""] + fields[53:]
    if not fields[0].strip():
        raise IngestError(where, "event row without GLOBALEVENTID")
    action = fields[51:59]
    place = GdeltPlace(action[1], action[2], _float(action[5]), _float(action[6])) if action[1] else None
    return GdeltEvent(
        id=fields[0].strip(), day=_day(fields[1]), added=_stamp(fields[59]), actor1=_actor(fields, 5),
        actor2=_actor(fields, 15), event_code=fields[26], root_code=fields[28], quad_class=_int(fields[29]),
        goldstein=_float(fields[30]), mentions=_int(fields[31]), sources=_int(fields[32]), articles=_int(fields[33]),
        tone=_float(fields[34]), place=place, url=_url(fields[60]), source=where,
    )


def _names(block: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x.strip() for x in block.split(";") if x.strip()))


def _locations(block: str) -> tuple[GdeltPlace, ...]:
    places = []
    for item in block.split(";"):
        parts = item.split("#")
        if len(parts) >= 6 and parts[1]:
            places.append(GdeltPlace(parts[1], parts[2], _float(parts[4]), _float(parts[5])))
    return tuple(places)


def _counts(block: str) -> tuple[GdeltCount, ...]:
    counts = []
    for item in block.split(";"):
        parts = item.split("#")
        if len(parts) >= 3 and parts[0]:
            counts.append(GdeltCount(parts[0], _float(parts[1]), parts[2], parts[4] if len(parts) > 4 else ""))
    return tuple(counts)


def _article(fields: list[str], where: str) -> GdeltArticle:
    if not fields[0].strip():
        raise IngestError(where, "GKG row without GKGRECORDID")
    tone = fields[15].split(",")
    return GdeltArticle(
        id=fields[0].strip(), published=_stamp(fields[1]), outlet=fields[3].strip(), url=_url(fields[4]),
        themes=_names(fields[7]), persons=_names(fields[11]), organizations=_names(fields[13]),
        locations=_locations(fields[9]), counts=_counts(fields[5]), tone=_float(tone[0]) if tone[0] else None,
        word_count=_int(tone[6]) if len(tone) > 6 else None, source=where,
    )


def _lines(stream: IO[str]) -> Iterator[tuple[int, str | None]]:
    """Numbered lines; a line longer than MAX_LINE comes as None and is skipped to its end."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE)
        if not line:
            return
        number += 1
        if len(line) >= MAX_LINE and not line.endswith("\n"):
            while (rest := stream.readline(MAX_LINE)) and not rest.endswith("\n"):
                pass
            yield number, None
            continue
        yield number, line.rstrip("\r\n")


def read_gdelt_lines(stream: IO[str], source: str) -> Iterator[GdeltEvent | GdeltArticle | IngestError]:
    """Rows of an Event export or a GKG file; the kind is told by the number of fields of each row."""
    rows = 0
    for number, line in _lines(stream):
        where = f"{source}:{number}"
        if line is None:
            yield IngestError(where, f"row longer than {MAX_LINE // 1024 // 1024} MB; skipped")
            continue
        if not line.strip():
            continue
        fields = line.split("\t")
        try:
            if len(fields) in (EVENT_FIELDS, EVENT_FIELDS_V1):
                yield _event(fields, where)
            elif len(fields) == GKG_FIELDS:
                yield _article(fields, where)
            else:
                yield IngestError(where, f"{len(fields)} tab-separated fields; a GDELT 2.0 event row has "
                                         f"{EVENT_FIELDS} and a GKG 2.1 row {GKG_FIELDS}")
                continue
        except IngestError as exc:
            yield exc
            continue
        rows += 1
    if not rows:
        yield IngestError(source, "no GDELT event or GKG rows")


def is_gdelt_file(path: Path) -> bool:
    name = path.name.lower().removesuffix(".zip")
    return name.endswith((".export.csv", ".gkg.csv", ".gkg.tsv"))


def read_gdelt(path: Path) -> Iterator[GdeltEvent | GdeltArticle | IngestError]:
    """A GDELT file, plain or zipped (one member), streamed."""
    source = str(path)
    try:
        if path.name.lower().endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if len(members) != 1:
                    yield IngestError(source, f"a GDELT zip holds one file; this one holds {len(members)}")
                    return
                with archive.open(members[0]) as raw:
                    yield from read_gdelt_lines(io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="\n"), source)
        else:
            with path.open(encoding="utf-8", errors="replace", newline="\n") as handle:
                yield from read_gdelt_lines(handle, source)
    except (OSError, zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        yield IngestError(source, f"cannot read the GDELT file ({type(exc).__name__}: {exc})")
