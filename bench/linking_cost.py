"""What one batch costs as the store grows: the wall time of storing and linking 100 new documents (analyses
precomputed, so spaCy is out of it; store writes, entity resolution, copies, stories and claim consolidation
in) into stores already holding 1k, 10k and 100k documents, on SQLite and on PostgreSQL.

The synthetic collection is made from the VOA stories: each document takes a few runs of sentences from
different stories, with about one word in eight replaced by a word of a large made-up vocabulary (names,
numbers and wording differ between reports), and publication times advance at a steady rate
(``DOCS_PER_DAY``): a store grows over time, not by cramming more reports into one week. A document's
embedding is the normalised mix of its source stories' lead embeddings plus noise (computed once per story,
so no model runs per document). Its analysis names a few entities drawn from a pool with a long tail, and
makes a figure claim, a statement and an event about them, so that claims pile up under shared keys as they
do in real reporting. Stores are seeded through the same write path, a larger batch at a time.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from watchfloor.config import Settings
from watchfloor.link.stories import StoryDoc, story_doc
from watchfloor.model import (
    Actor,
    Claim,
    Document,
    DocumentAnalysis,
    EntityRef,
    Event,
    Mention,
    Modality,
    Precision,
    Quantity,
    Span,
    TimeValue,
)
from watchfloor.pipeline import IngestReport, store_analysed, write_batch
from watchfloor.store import open_store

from .linking_syndication import split_sentences

DOCS_PER_DAY = 50
BATCH = 100
SEED_BATCH = 500
EVENT_TYPES = ("CONSULT", "AID", "MOBILIZE", "ACCUSE", "REJECT", "REQUEST", "COOPERATE", "FIGHT", "THREATEN")
UNITS = ("troop", "person killed", "refugee")


@dataclass(frozen=True)
class CostPoint:
    size: int
    median_ms: float
    mean_ms: float


class EntityPool:
    """People, organisations and countries with a long-tailed frequency (a few are in most reports)."""

    def __init__(self, rng: random.Random, people: int = 3000, organisations: int = 600, countries: int = 120) -> None:
        first = ["Anna", "Boris", "Chen", "Dara", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jana", "Karim", "Lena",
                 "Milan", "Nadia", "Oleg", "Petra", "Rami", "Sofia", "Tomas", "Vera"]
        last = [f"{a}{b}" for a in ("Kov", "Mar", "Sal", "Ber", "Dov", "Rus", "Hal", "Ten", "Vol", "Zar")
                for b in ("enko", "ic", "ova", "ani", "sen", "ov", "ek", "ari", "ez", "in", "ski", "ado", "uk", "is",
                          "et")]
        self.rng = rng
        self.people = [EntityRef(f"person:{f.lower()}-{s.lower()}-{i}", f"{f} {s}", "person")
                       for i, (f, s) in enumerate((rng.choice(first), rng.choice(last)) for _ in range(people))]
        self.organisations = [EntityRef(f"organization:agency-{i}", f"Agency {i} of {rng.choice(last)}",
                                        "organization") for i in range(organisations)]
        self.countries = [EntityRef(f"country:c{i:03d}", f"{rng.choice(last)}land", "country")
                          for i in range(countries)]

    def pick(self, refs: Sequence[EntityRef]) -> EntityRef:
        return refs[min(int(self.rng.paretovariate(1.1)) - 1, len(refs) - 1)]


class SyntheticStream:
    """An endless, seeded stream of synthetic documents with their story features and analyses."""

    def __init__(self, stories: Sequence[Document], embeddings: np.ndarray, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.stories = stories
        self.sentences = [split_sentences(s.text) for s in stories]
        self.embeddings = embeddings
        self.pool = EntityPool(random.Random(seed + 1))
        self.start = datetime(2024, 1, 1, tzinfo=UTC)
        self.count = 0

    def _word(self) -> str:
        n = self.rng.randrange(200_000)
        return f"Zq{n:x}" if n % 3 == 0 else f"w{n:x}"

    def _document(self) -> tuple[Document, np.ndarray]:
        rng = self.rng
        sources = rng.sample(range(len(self.stories)), 3)
        parts: list[str] = []
        for source in sources:
            sentences = self.sentences[source]
            first = rng.randrange(max(1, len(sentences) - 2))
            parts.extend(sentences[first : first + 2])
        words = " ".join(parts).split()
        for i in range(0, len(words), 8):
            words[min(len(words) - 1, i + rng.randrange(8))] = self._word()
        published = self.start + timedelta(days=self.count / DOCS_PER_DAY)
        title = " ".join([self._word(), *self.stories[sources[0]].title.split()[:6]])
        document = Document(f"syn-{self.count}", title, " ".join(words), f"outlet {self.count % 40}",
                            published=published)
        mix = self.embeddings[sources].sum(axis=0) + self.np_rng.normal(0, 0.3, self.embeddings.shape[1])
        self.count += 1
        return document, (mix / np.linalg.norm(mix)).astype(np.float32)

    def next(self) -> tuple[Document, StoryDoc]:
        document, embedding = self._document()
        return document, story_doc(document, None, embedding)

    def next_analysed(self) -> tuple[Document, DocumentAnalysis]:
        """A document with an analysis that names entities and makes a figure claim, a statement and an event."""
        document, embedding = self._document()
        pool = self.pool
        speaker, subject = pool.pick(pool.people + pool.organisations), pool.pick(pool.countries)
        other = pool.pick(pool.countries)
        value = float(self.rng.choice((500, 1500, 3000, 8000, 10000, 12000)))
        sentence = f" {speaker.name} said {subject.name} had sent {value:,.0f} soldiers to {other.name}."
        text = document.text + sentence
        document = Document(document.id, document.title, text, document.outlet, published=document.published)
        at = len(document.text) - len(sentence) + 1

        def span(part: str) -> Span:
            start = text.index(part, at)
            return Span(document.id, start, start + len(part), part)

        evidence = span(sentence.strip())
        day = document.published.date() if document.published else None
        when = TimeValue(day, day, Precision.DAY, "") if day else None
        mentions = tuple(Mention(span(e.name), "PERSON" if e.type == "person" else "GPE", e)
                         for e in (speaker, subject, other))
        quantity = Quantity(span(f"{value:,.0f} soldiers"), value, value, value, self.rng.choice(UNITS), False,
                            subject=subject)
        claims = (
            Claim(evidence.text, span("said"), evidence, Modality.ASSERTED, "positive", (speaker,), subject, quantity,
                  when, "quantity"),
            Claim(evidence.text, span("said"), evidence, Modality.ASSERTED, "positive", (speaker,), subject, None, when,
                  "statement"),
        )
        event = Event(self.rng.choice(EVENT_TYPES), None, (Actor(subject, "source"), Actor(other, "target")),
                      span("sent"), evidence, Modality.ASSERTED, "positive", (speaker,), when)
        analysis = DocumentAnalysis(document.id, sentences=(evidence,), mentions=mentions, events=(event,),
                                    claims=claims, embedding=embedding.tobytes())
        return document, analysis


def measure(location: str, stream: SyntheticStream, sizes: Sequence[int], probes: int = 3,
            report: Callable[[str], None] = print) -> list[CostPoint]:
    """Grow one store through ``sizes``; at each, time ``probes`` batches of ``BATCH`` new documents."""
    points = []
    started = time.perf_counter()
    with open_store(location, "create") as store:
        seed = Settings(db=location, batch_size=SEED_BATCH)
        held = 0
        for size in sizes:
            store_analysed((stream.next_analysed() for _ in range(size - held)), store, seed)
            held = size
            timings = []
            for _ in range(probes):
                batch = [stream.next_analysed() for _ in range(BATCH)]
                begin = time.perf_counter()
                write_batch(store, batch, Settings(db=location, batch_size=BATCH), IngestReport())
                timings.append((time.perf_counter() - begin) * 1000 / BATCH)
                held += BATCH
            points.append(CostPoint(size, statistics.median(timings), statistics.fmean(timings)))
            report(f"  {location.split('://')[0] if '://' in location else 'sqlite'}: {points[-1].median_ms:.2f} ms "
                   f"per document in a batch of {BATCH} at {size:,} documents "
                   f"({time.perf_counter() - started:.0f} s so far)")
    return points
