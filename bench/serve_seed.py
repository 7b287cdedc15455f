"""A synthetic store of any size for the serving benchmark, written through the store's interface.

Spending hours of spaCy on 100k documents would measure nothing the server does, so documents, their analyses
and the picture are made here, shaped like the sample corpus at scale: stories of 3 to 40 reports spread over
a few days, 50 reports a day; each report gives statements, figures and events about a handful of the story's
actors, drawn from a pool where a few actors are everywhere (a Zipf law) and most are rare; outlets repeat the
story's claims, so claims are corroborated, contested (denials, competing figures) or single-source as they
are in real reporting. The documents' occurrences are made as the link stage makes them, the picture by the
real consolidation and grading code (``link.consolidation``, ``link.regrade``) over all of them at once, each
claim summed up by the link stage's own row builder, and all of it written with the writer calls the link stage
uses, so the server reads exactly what it reads in production (the link stage would take the store a batch at
a time, reading back the claims each batch touches: hours at 100k documents, and nothing the server sees).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import numpy as np

from watchfloor import codec
from watchfloor.link.consolidation import Occurrence, consolidate, member_id, occurrences
from watchfloor.link.entities import fold_name
from watchfloor.link.regrade import GradeInput, grade_inputs, reliability_table
from watchfloor.link.update import Touched, _group_row, _occurrence_rows, _reason
from watchfloor.model import (
    Actor,
    Claim,
    Document,
    DocumentAnalysis,
    EntityRef,
    Event,
    Mention,
    Modality,
    Place,
    Quantity,
    Span,
)
from watchfloor.store import DocLink, EntityKeyRow, EntityRow, HistoryRow, NewDocument, OccurrenceRow, Store, StoryRow

__all__ = ["seed"]

DOCS_PER_DAY = 50
START = datetime(2020, 1, 1, tzinfo=UTC)
VERBS = ("said", "warned", "confirmed", "denied", "announced", "reported", "claimed", "insisted")
EVENTS = ("CONSULT", "AID", "MOBILIZE", "ACCUSE", "REJECT", "REQUEST", "THREATEN", "FIGHT", "SANCTION", "AGREE")
UNITS = ("troop", "soldier", "missile", "drone", "shell", "refugee")
PLACES = (("Kursk", 51.73, 36.19), ("Seoul", 37.57, 126.98), ("Brussels", 50.85, 4.35), ("Kyiv", 50.45, 30.52),
          ("Moscow", 55.76, 37.62), ("Pyongyang", 39.03, 125.75), ("Washington", 38.90, -77.04),
          ("Vladivostok", 43.12, 131.89), ("Kharkiv", 49.99, 36.23), ("Tokyo", 35.68, 139.69))
FILLER = ("the", "officials", "region", "border", "week", "report", "forces", "talks", "statement", "visit",
          "minister", "government", "agency", "briefing", "sources", "deployment", "units", "training", "near",
          "after", "before", "during", "military", "security", "meeting", "envoy", "sanctions", "evidence")


def _word(rng: random.Random, n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = ""
    n += 26 * 26
    while n:
        n, r = divmod(n, 26)
        out += letters[r]
    return out.capitalize() + rng.choice(("ov", "in", "ez", "ar", "en", "os"))


@dataclass
class Pool:
    """The actors: a few everywhere, most rare."""

    entities: list[EntityRef]
    weights: np.ndarray

    @classmethod
    def make(cls, size: int, rng: random.Random) -> Pool:
        kinds = ("country", "person", "organization")
        entities = []
        for i in range(size):
            kind = kinds[i % 3]
            name = f"{_word(rng, i)} {_word(rng, i * 7 + 3)}" if kind == "person" else _word(rng, i)
            entities.append(EntityRef(f"{kind}:{fold_name(name)}{i}", name, kind))
        weights = 1.0 / np.arange(1, size + 1) ** 1.1
        return cls(entities, weights / weights.sum())

    def draw(self, rng: np.random.Generator, n: int) -> list[EntityRef]:
        picks = rng.choice(len(self.entities), size=n, replace=False, p=self.weights)
        return [self.entities[i] for i in picks]


@dataclass
class Builder:
    """One document's text, grown sentence by sentence, with the spans of what it says."""

    doc_id: str
    text: str = ""
    mentions: list[Mention] = field(default_factory=list)

    def add(self, parts: list[str | EntityRef]) -> tuple[Span, dict[int, Span]]:
        """Append a sentence; its span and the span of each of its parts."""
        start = len(self.text) + (1 if self.text else 0)
        self.text += " " if self.text else ""
        spans: dict[int, Span] = {}
        for i, part in enumerate(parts):
            if i:
                self.text += " "
            word = part.name if isinstance(part, EntityRef) else part
            at = len(self.text)
            self.text += word
            spans[i] = Span(self.doc_id, at, at + len(word), word)
            if isinstance(part, EntityRef):
                self.mentions.append(Mention(spans[i], "PERSON" if part.type == "person" else "ORG", part))
        self.text += "."
        return Span(self.doc_id, start, len(self.text), self.text[start:]), spans


def _filler(rng: random.Random, n: int) -> list[str | EntityRef]:
    return [rng.choice(FILLER) for _ in range(n)]


def _document(n: int, story: dict, rng: random.Random, np_rng: np.random.Generator) -> tuple[
        Document, DocumentAnalysis]:
    doc_id = f"syn{n:07d}"
    b = Builder(doc_id)
    actors: list[EntityRef] = story["actors"]
    claims: list[Claim] = []
    events: list[Event] = []
    for _ in range(rng.randint(2, 4)):  # statements
        speaker, subject = rng.sample(actors, 2)
        verb = rng.choice(story["verbs"])
        denied = rng.random() < 0.12  # the same statement denied by its subject's side
        if denied:
            speaker, subject = subject, speaker
        sentence, spans = b.add([speaker, verb, *(["not"] if denied else []), *_filler(rng, 3), subject,
                                 *_filler(rng, 4)])
        claims.append(Claim(text=" ".join(x.text for i, x in sorted(spans.items()) if i > 1), trigger=spans[1],
                            evidence=sentence, modality=Modality.DENIED if denied else Modality.ASSERTED,
                            polarity="negative" if denied else "positive", attributed_to=(speaker,),
                            subject=subject))
    if rng.random() < 0.6:  # a figure
        speaker = rng.choice(actors)
        value = story["figure"] * rng.choice((1, 1, 1, 2)) if rng.random() < 0.8 else story["figure"] + 1000
        sentence, spans = b.add([speaker, "said", f"{value:,}", story["unit"] + "s", "of", story["subject"],
                                 *_filler(rng, 3)])
        quantity = Quantity(spans[2], float(value), float(value), float(value), story["unit"], False, spans[3],
                            story["subject"])
        claims.append(Claim(text=sentence.text, trigger=spans[1], evidence=sentence, modality=Modality.ASSERTED,
                            polarity="positive", attributed_to=(speaker,), subject=story["subject"],
                            quantity=quantity, kind="quantity"))
    for _ in range(rng.randint(1, 3)):  # events
        source, target = rng.sample(actors, 2)
        kind = rng.choice(story["events"])
        place = story["place"] if rng.random() < 0.3 else None
        words: list[str | EntityRef] = [source, kind.lower(), target, *_filler(rng, 4)]
        if place:
            words += ["in", place[0]]
        sentence, spans = b.add(words)
        located = Place(spans[len(words) - 1], place[0], place[1], place[2]) if place else None
        events.append(Event(kind, None, (Actor(source, "source"), Actor(target, "target")), spans[1], sentence,
                            Modality.ASSERTED, "positive", (), None, located))
    for _ in range(rng.randint(3, 8)):
        b.add(_filler(rng, rng.randint(8, 16)))
    published = story["start"] + timedelta(hours=rng.uniform(0, 24 * story["days"]))
    title = f"{story['title']} {rng.choice(FILLER)}"
    document = Document(doc_id, title, b.text, f"Outlet {story['outlets'][n % len(story['outlets'])]}",
                        published=published)
    return document, DocumentAnalysis(doc_id, mentions=tuple(b.mentions), claims=tuple(claims), events=tuple(events))


def _stories(size: int, pool: Pool, rng: random.Random, np_rng: np.random.Generator) -> Iterator[
        tuple[str, dict, int]]:
    made = 0
    index = 0
    while made < size:
        count = min(size - made, rng.randint(3, 40))
        actors = pool.draw(np_rng, 6)
        day = made / DOCS_PER_DAY
        story = {"actors": actors, "verbs": rng.sample(VERBS, 3), "events": rng.sample(EVENTS, 3),
                 "subject": actors[0], "unit": rng.choice(UNITS), "figure": rng.choice((300, 1500, 3000, 12000)),
                 "place": rng.choice(PLACES), "start": START + timedelta(days=day), "days": rng.uniform(0.5, 4),
                 "outlets": rng.sample(range(60), min(12, count)),
                 "title": f"{actors[0].name} and {actors[1].name}: {rng.choice(FILLER)} {rng.choice(FILLER)}"}
        yield f"story-syn{index:06d}", story, count
        made += count
        index += 1


def seed(store: Store, size: int, seed_value: int = 13, batch: int = 2000, progress: bool = True) -> dict[str, int]:
    """Fill an empty store with ``size`` synthetic documents and their picture; what was written."""
    rng = random.Random(seed_value)
    np_rng = np.random.default_rng(seed_value)
    pool = Pool.make(max(200, size // 20), rng)
    now = datetime.now(UTC).isoformat()
    by_key: dict[str, list[Occurrence]] = defaultdict(list)
    reports: list[tuple[OccurrenceRow, Occurrence]] = []
    entity_docs: set[tuple[str, str]] = set()
    mention_counts: dict[str, int] = defaultdict(int)
    stories: list[StoryRow] = []
    pending: list[tuple[Document, DocumentAnalysis, str]] = []
    n = 0
    started = time.perf_counter()

    def flush() -> None:
        with store.write() as w:
            signature = np.zeros(4, dtype=np.uint64)
            w.add_documents([NewDocument(d, a, signature, (), 99) for d, a, _ in pending])
            w.set_doc_links([DocLink(d.id, d.id, "original", s) for d, _, s in pending])
        pending.clear()

    for story_id, story, count in _stories(size, pool, rng, np_rng):
        published = []
        for _ in range(count):
            document, analysis = _document(n, story, rng, np_rng)
            n += 1
            pending.append((document, analysis, story_id))
            published.append(document.published.isoformat() if document.published else None)
            found = occurrences(document, analysis, document.id)
            for o in found:
                by_key[o.key].append(o)
            reports += zip(_occurrence_rows(document, analysis, document.id, Touched()), found, strict=True)
            for mention in analysis.mentions:
                entity_docs.add((mention.entity.key, document.id))
                mention_counts[mention.entity.key] += 1
            if len(pending) >= batch:
                flush()
                if progress:
                    print(f"    {n:,} documents written ({time.perf_counter() - started:.0f} s)", flush=True)
        dated = sorted(p for p in published if p)
        stories.append(StoryRow(story_id, story["title"], dated[0], dated[-1], count, b"", "{}", "{}"))
    if pending:
        flush()
    groups = [g for members in by_key.values() for g in consolidate(members)]
    claim_of = {member_id(m): g.id for g in groups for m in g.members}
    with store.write() as w:
        w.upsert_stories(stories, now)
        w.upsert_entities([EntityRow(e.key, e.name, e.type, i) for i, e in enumerate(pool.entities)])
        w.upsert_entity_keys([EntityKeyRow(e.key, e.key, e.name, e.type, fold_name(e.name), mention_counts[e.key],
                                           codec.dumps({e.name: mention_counts[e.key]})) for e in pool.entities])
        w.add_entity_docs(sorted(entity_docs))
        w.rebuild_entity_days()
        grades = grade_inputs(w, [GradeInput.of_group(g) for g in groups], reliability_table(w))
        for i in range(0, len(groups), batch):
            part = groups[i:i + batch]
            w.replace_groups("", (), [_group_row(g, None, grades[g.id], now) for g in part])
            w.add_history([HistoryRow(g.id, g.key, g.status, None, g.independent_sources, now, _reason(g))
                           for g in part])
        for i in range(0, len(reports), 10 * batch):
            w.add_occurrences(replace(row, group_id=claim_of[member_id(o)]) for row, o in reports[i:i + 10 * batch])
        if w.engine != "sqlite":  # SQLite's statistics are gathered as the store closes
            w.analyze()
    if progress:
        print(f"    picture written: {len(groups):,} claims and events ({time.perf_counter() - started:.0f} s)",
              flush=True)
    return {"documents": n, "stories": len(stories), "groups": len(groups), "entities": len(pool.entities)}
