"""What linking one new document costs as the collection grows (1k, 10k, 100k documents).

The synthetic collection is made from the VOA stories: each document takes a few runs of sentences
from different stories, with about one word in eight replaced by a word of a large made-up vocabulary
(names, numbers and wording differ between reports), and publication times advance at a steady rate
(``DOCS_PER_DAY``): a store grows over time, not by cramming more reports into one week. A document's
embedding is the normalised mix of its source stories' lead embeddings plus noise (computed once per
story, so no model runs per document). Only ``StoryLinker.add`` and ``SyndicationIndex.add`` are timed.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from watchfloor.link.stories import StoryDoc, StoryLinker, story_doc
from watchfloor.link.syndication import SyndicationIndex
from watchfloor.model import Document

from .linking_syndication import split_sentences

DOCS_PER_DAY = 50


@dataclass(frozen=True)
class CostPoint:
    size: int
    median_ms: float
    mean_ms: float


class SyntheticStream:
    """An endless, seeded stream of synthetic documents with their story features."""

    def __init__(self, stories: Sequence[Document], embeddings: np.ndarray, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.stories = stories
        self.sentences = [split_sentences(s.text) for s in stories]
        self.embeddings = embeddings
        self.start = datetime(2024, 1, 1)
        self.count = 0

    def _word(self) -> str:
        n = self.rng.randrange(200_000)
        return f"Zq{n:x}" if n % 3 == 0 else f"w{n:x}"

    def next(self) -> tuple[Document, StoryDoc]:
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
        return document, story_doc(document, None, (mix / np.linalg.norm(mix)).astype(np.float32))


def measure(stream: SyntheticStream, sizes: Sequence[int], probes: int = 200,
            progress: bool = True) -> list[CostPoint]:
    """Grow one collection through ``sizes``; at each, time ``probes`` further documents one by one."""
    stories, origins = StoryLinker(), SyndicationIndex()
    points = []
    started = time.perf_counter()
    for size in sizes:
        while len(stories) < size:
            document, features = stream.next()
            stories.add(features)
            origins.add(document)
        timings = []
        for _ in range(probes):
            document, features = stream.next()
            begin = time.perf_counter()
            stories.add(features)
            origins.add(document)
            timings.append((time.perf_counter() - begin) * 1000)
        points.append(CostPoint(size, statistics.median(timings), statistics.fmean(timings)))
        if progress:
            print(f"  cost at {size:>7,} documents: {points[-1].median_ms:.2f} ms/doc "
                  f"({time.perf_counter() - started:.0f} s so far, {stories.story_count:,} stories)", flush=True)
    return points
