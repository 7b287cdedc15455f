"""What one batch costs as the store grows: the wall time of storing and linking 100 new documents (analyses
precomputed, so spaCy is out of it; store writes, entity resolution, copies, stories and claim consolidation
in) into stores already holding 1k, 10k and 100k documents, on SQLite and on PostgreSQL.

The synthetic collection behaves like a news feed in what linking sees. Reports come in publication order,
``DOCS_PER_DAY`` a day, and belong to stories of 3 to 40 reports spread over half a day to four days. A story
is built on one of the VOA stories: each of its reports takes a few runs of that story's sentences, with about
one word in eight replaced by a word of a large made-up vocabulary and a few of the story's own made-up names
put in (so stories built on the same VOA story are told apart by their names, as real ones are), and an
embedding mixed from the VOA story's lead embedding, a direction of the story's own and noise (computed once
per VOA story, so no model runs per document). About one report in ten is a wire copy of an earlier report
of its story, credited. A story's actors come from a pool with a long tail (Zipf's law: a few people, bodies and
countries are in many stories); its reports repeat its figure (now and then a different one, which contests it), its
statements and its events, so claims pile up under shared keys and across days as they do in real reporting.
"""

from __future__ import annotations

import heapq
import random
import statistics
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from watchfloor.config import Settings
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
from watchfloor.store import Store, open_store

from .linking_seed import Call, record, replay
from .linking_syndication import split_sentences

DOCS_PER_DAY = 50
BATCH = 100
#: the history template: this many reports of a stream of their own
TEMPLATE = 1000
TEMPLATE_SEED = 29
TEMPLATE_PREFIX = "tpl"
EVENT_TYPES = ("CONSULT", "AID", "MOBILIZE", "ACCUSE", "REJECT", "REQUEST", "COOPERATE", "FIGHT", "THREATEN")
VERBS = ("said", "warned", "confirmed", "announced", "claimed", "insisted")
UNITS = ("troop", "person killed", "refugee", "missile", "drone")
FIGURES = (300, 500, 1500, 3000, 8000, 12000)
POOL_SEED = 12
#: reports linked through the real write path before the measured batches, at every size
LIVE = 1000


@dataclass(frozen=True)
class CostPoint:
    size: int
    median_ms: float
    mean_ms: float
    batches_ms: tuple[float, ...]


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
        """The entity of rank r with a chance in proportion to 1 / r (Zipf's law)."""
        return refs[min(int(len(refs) ** self.rng.random()) - 1, len(refs) - 1)]


@dataclass
class _Story:
    """One synthetic story: what its reports share."""

    number: int
    base: int  # the VOA story it is built on
    start: datetime
    days: float
    size: int
    names: list[str]
    speakers: list[EntityRef]
    subject: EntityRef
    other: EntityRef
    figure: float
    unit: str
    verb: str
    events: list[str]
    direction: np.ndarray
    #: its reports so far that a copy may repeat: the report, its speaker, figure and verb
    published: list[tuple[Document, EntityRef, float, str]] = field(default_factory=list)


class SyntheticStream:
    """An endless, seeded stream of synthetic analysed documents, in publication order."""

    def __init__(self, stories: Sequence[Document], embeddings: np.ndarray, seed: int = 11,
                 prefix: str = "syn") -> None:
        self.prefix = prefix
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.stories = stories
        self.sentences = [split_sentences(s.text) for s in stories]
        self.embeddings = embeddings
        self.pool = EntityPool(random.Random(POOL_SEED))  # one cast of actors, whatever the stream
        self.start = datetime(2024, 1, 1, tzinfo=UTC)
        self.count = 0  # documents given
        self._planned = 0  # documents of the stories started so far
        self._started = 0
        self._due: list[tuple[datetime, int, int, _Story]] = []  # (published, tie, -, story) of planned reports

    def _word(self) -> str:
        n = self.rng.randrange(200_000)
        return f"Zq{n:x}" if n % 3 == 0 else f"w{n:x}"

    def _name(self) -> str:
        letters = "bcdfghklmnprstvz"
        return "".join(self.rng.choice(letters).upper() if i == 0 else self.rng.choice(letters + "aeiou" * 3)
                       for i in range(self.rng.randint(5, 8)))

    def _new_story(self) -> _Story:
        rng, pool = self.rng, self.pool
        size = rng.randint(3, 40)
        start = self.start + timedelta(days=self._planned / DOCS_PER_DAY)
        subject = pool.pick(pool.countries)
        other = pool.pick(pool.countries)
        speakers = [pool.pick(pool.people), pool.pick(pool.organisations), pool.pick(pool.people)]
        direction = self.np_rng.normal(0, 1, self.embeddings.shape[1])
        story = _Story(self._started, rng.randrange(len(self.stories)), start, rng.uniform(0.5, 4.0), size,
                       [self._name() for _ in range(6)], speakers, subject, other, float(rng.choice(FIGURES)),
                       rng.choice(UNITS), rng.choice(VERBS), rng.sample(EVENT_TYPES, 2),
                       direction / np.linalg.norm(direction))
        for k in range(size):
            published = start + timedelta(days=rng.uniform(0, story.days))
            heapq.heappush(self._due, (published, self._planned + k, k, story))
        self._started += 1
        self._planned += size
        return story

    def _next_due(self) -> tuple[datetime, _Story]:
        # stories are started until none could have a report earlier than the earliest one planned
        while not self._due or self.start + timedelta(days=self._planned / DOCS_PER_DAY) <= self._due[0][0]:
            self._new_story()
        published, _, _, story = heapq.heappop(self._due)
        return published, story

    def _text(self, story: _Story) -> str:
        rng = self.rng
        sentences = self.sentences[story.base]
        parts: list[str] = []
        for _ in range(rng.randint(2, 3)):
            first = rng.randrange(max(1, len(sentences) - 2))
            parts.extend(sentences[first : first + 2])
        words = " ".join(parts).split()
        for i in range(0, len(words), 8):
            words[min(len(words) - 1, i + rng.randrange(8))] = self._word()
        for name in rng.sample(story.names, 3):
            words.insert(rng.randrange(len(words) + 1), name)
        return " ".join(words)

    def next_analysed(self) -> tuple[Document, DocumentAnalysis]:
        """The next report: a story's text, and an analysis naming its actors and making its figure claim, a
        statement and an event (or a credited copy of an earlier report of the story, saying what it said)."""
        rng = self.rng
        published, story = self._next_due()
        doc_id = f"{self.prefix}-{self.count}"
        outlet = f"outlet {rng.randrange(40)}"
        if story.published and rng.random() < 0.1:  # a wire copy: the same words, credited
            original, speaker, value, verb = rng.choice(story.published)
            title = original.title
            text = f"{original.text} ({original.outlet} contributed to this report.)"
        else:
            speaker = rng.choice(story.speakers)
            value = story.figure if rng.random() < 0.85 else float(rng.choice(FIGURES))
            verb = story.verb if rng.random() < 0.7 else rng.choice(VERBS)
            title = " ".join([rng.choice(story.names), *self.stories[story.base].title.split()[:6]])
            text = (f"{self._text(story)} {speaker.name} {verb} {story.subject.name} had sent {value:,.0f} "
                    f"soldiers to {story.other.name}.")
        document = Document(doc_id, title, text, outlet, published=published)
        if not text.endswith("report.)"):
            story.published.append((document, speaker, value, verb))
        at = text.rindex(f"{speaker.name} {verb} ")

        def span(part: str) -> Span:
            start = text.index(part, at)
            return Span(doc_id, start, start + len(part), part)

        evidence = span(f"{speaker.name} {verb} {story.subject.name} had sent {value:,.0f} soldiers to "
                        f"{story.other.name}.")
        day = published.date()
        when = TimeValue(day, day, Precision.DAY, "")
        mentions = tuple(Mention(span(e.name), "PERSON" if e.type == "person" else "GPE", e)
                         for e in (speaker, story.subject, story.other))
        quantity = Quantity(span(f"{value:,.0f} soldiers"), value, value, value, story.unit, False,
                            subject=story.subject)
        trigger = span(verb)
        claims = (
            Claim(evidence.text, trigger, evidence, Modality.ASSERTED, "positive", (speaker,), story.subject,
                  quantity, when, "quantity"),
            Claim(evidence.text, trigger, evidence, Modality.ASSERTED, "positive", (speaker,), story.subject, None,
                  when, "statement"),
        )
        event = Event(rng.choice(story.events), None,
                      (Actor(story.subject, "source"), Actor(story.other, "target")), span("sent"), evidence,
                      Modality.ASSERTED, "positive", (speaker,), when)
        mix = (self.embeddings[story.base] + 0.8 * story.direction
               + self.np_rng.normal(0, 0.02, self.embeddings.shape[1]))
        embedding = (mix / np.linalg.norm(mix)).astype(np.float32)
        analysis = DocumentAnalysis(doc_id, sentences=(evidence,), mentions=mentions, events=(event,),
                                    claims=claims, embedding=embedding.tobytes())
        self.count += 1
        return document, analysis

    def take(self, n: int) -> Iterator[tuple[Document, DocumentAnalysis]]:
        return (self.next_analysed() for _ in range(n))


def measure(locations: Mapping[str, tuple[Callable[[str], str], Sequence[int]]], stories: Sequence[Document],
            embeddings: np.ndarray, template: list[Call], probes: int = 5,
            report: Callable[[str], None] = print) -> dict[str, list[CostPoint]]:
    """At each size on each engine (``locations``: per engine, what makes a new store's location from a name,
    and the sizes), a new store:
    ``size - LIVE`` history reports (copies of the recorded template, made once for all engines), then
    ``LIVE`` reports stored and linked through the real write path a batch of ``BATCH`` at a time (and, on
    PostgreSQL, the statistics its autovacuum would have gathered after such a load), then
    ``probes`` batches of ``BATCH`` new reports timed, each stored and linked in one transaction as ``ingest``
    does; the median batch is the cost."""
    points: dict[str, list[CostPoint]] = {engine: [] for engine in locations}
    for size in sorted({size for _, sizes in locations.values() for size in sizes}):
        started = time.perf_counter()
        named = {engine: new(f"cost{size}") for engine, (new, sizes) in locations.items() if size in sizes}
        stores = {engine: open_store(location, "create") for engine, location in named.items()}
        try:
            replay(list(stores.values()), template, TEMPLATE_PREFIX, range(1, (size - LIVE) // TEMPLATE + 1), report)
            for engine, store in stores.items():
                stream = SyntheticStream(stories, embeddings)
                settings = Settings(db=named[engine], batch_size=BATCH)
                store_analysed(stream.take(LIVE), store, settings)
                if store.location.engine == "postgresql":  # what autovacuum would have done by now in use
                    with store.write() as w:
                        w.analyze()
                held = store.count()
                report(f"  {engine}: seeded {held:,} documents ({time.perf_counter() - started:.0f} s)")
                timings = []
                for _ in range(probes):
                    batch = list(stream.take(BATCH))
                    begin = time.perf_counter()
                    write_batch(store, batch, settings, IngestReport())
                    timings.append((time.perf_counter() - begin) * 1000)
                point = CostPoint(held, statistics.median(timings), statistics.fmean(timings), tuple(timings))
                points[engine].append(point)
                report(f"  {engine}: {point.median_ms:.0f} ms per batch of {BATCH} at {held:,} documents "
                       f"(batches: {', '.join(f'{t:.0f}' for t in timings)} ms; "
                       f"{time.perf_counter() - started:.0f} s)")
        finally:
            for store in stores.values():
                store.close()
    return points


def record_template(store: Store, stories: Sequence[Document], embeddings: np.ndarray) -> list[Call]:
    """The writes of linking the template's reports (a stream of their own) into the empty ``store``."""
    stream = SyntheticStream(stories, embeddings, seed=TEMPLATE_SEED, prefix=TEMPLATE_PREFIX)
    return record(store, list(stream.take(TEMPLATE)), BATCH)
