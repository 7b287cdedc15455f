"""The linkers over a store read only what a batch touches, yet decide exactly as linkers holding everything
in memory: the same stories and the same origins, batch after batch, on both engines."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from watchfloor.link.stories import StoryLinker, StoryOptions, story_doc
from watchfloor.link.syndication import SyndicationIndex
from watchfloor.link.update import link_documents
from watchfloor.model import Document, DocumentAnalysis
from watchfloor.store import NewDocument, open_store

TOPICS = [
    ("flood", ["Flood waters rose again in Porto Alegre", "Rescue boats reached districts cut off by the river",
               "The state governor asked for federal help after the levees failed", "Thousands slept in shelters"]),
    ("strike", ["Dock workers in Antwerp walked out over pay", "Container ships queued outside the port",
                "The union said talks with the port authority had broken down", "Shipping lines rerouted cargo"]),
    ("election", ["Voters in Tbilisi queued before dawn", "Observers reported pressure on public employees",
                  "The electoral commission extended voting hours", "Opposition parties rejected the count"]),
    ("quake", ["A strong earthquake shook the coast of Sulawesi", "Houses collapsed in Palu and Donggala",
               "The geophysics agency lifted a tsunami warning", "Aftershocks kept residents outdoors"]),
    ("summit", ["Leaders met in Nairobi to discuss a regional ceasefire", "Mediators proposed a corridor for aid",
                "Delegations left without a signed text", "A second round was set for next month"]),
]


def _corpus(seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    start = datetime(2024, 5, 1, 8, tzinfo=UTC)
    documents = []
    for i in range(36):
        name, sentences = TOPICS[i % len(TOPICS)]
        picked = rng.sample(sentences, 3)
        text = ". ".join(picked) + f". Reporter {i} in the field added that figure {rng.randrange(900)} was new."
        published = start + timedelta(days=(i % 9) * 2 + rng.random(), hours=i)
        documents.append(Document(f"doc{i:02d}", f"{picked[0]} ({name})", text, f"Outlet {i % 4}",
                                  published=published))
    wire = documents[3]
    documents.append(Document("copy", wire.title, wire.text + " Distributed by a partner.", "Copy Desk",
                              published=wire.published + timedelta(hours=2)))
    documents.append(Document("late", documents[0].title, documents[0].text, "Outlet 9",
                              published=start - timedelta(days=3)))  # back-dated: arrives last, published first
    return documents


def _batches(documents: list[Document]) -> list[list[Document]]:
    return [documents[:14], documents[14:30], documents[30:]]


def _in_memory(batches: list[list[Document]]) -> tuple[dict[str, str], dict[str, str]]:
    stories, origins = StoryLinker(StoryOptions()), SyndicationIndex()
    seen: list[str] = []
    for batch in batches:
        ordered = sorted(batch, key=lambda d: (d.published, d.id))
        for document in ordered:
            origins.add(document)
            stories.add(story_doc(document, DocumentAnalysis(document.id), None))
            seen.append(document.id)
        earliest = ordered[0].published
        stories.consolidate(since=earliest - timedelta(days=stories.options.window_days))
    return ({d: stories.story_of(d) or "" for d in seen},
            {d: origins.origin(d).origin_id for d in seen})  # type: ignore[union-attr]


def test_store_backed_linking_decides_as_in_memory(location: str) -> None:
    batches = _batches(_corpus())
    expected_stories, expected_origins = _in_memory(batches)
    with open_store(location, "create") as store:
        for batch in batches:
            with store.write() as w:
                ids = w.add_documents([NewDocument(d, DocumentAnalysis(d.id), np.zeros(4, dtype=np.uint64), (), 4)
                                       for d in batch])
                link_documents(w, ids)
        with store.read() as r:
            links = r.doc_links()
            members = r.members_of_stories({link.story_id for link in links.values() if link.story_id})
            views = {s.story_id: s.doc_count for s in r.stories_view()}
    assert {d: link.story_id for d, link in links.items()} == expected_stories
    assert {d: link.origin for d, link in links.items()} == expected_origins
    assert links["copy"].origin == links["doc03"].origin and links["copy"].origin_kind == "copy"
    assert {m.doc_id: m.story_id for m in members} == expected_stories
    assert views == {s: list(expected_stories.values()).count(s) for s in set(expected_stories.values())}


def _watched(postings: Callable[..., Any], read: list[set[int]], terms: Iterable[str], buckets: Iterable[int]
             ) -> Any:
    read.append(set(buckets))
    return postings(terms, buckets)


def test_all_time_index_is_capped_without_reading_common_postings(location: str, monkeypatch) -> None:
    """A term's all-time posting stops one story past the cap; over a store, the entries of a batch are added
    from the posting's size and membership alone (``all_time_sizes``), and come out as in memory."""
    options = StoryOptions(max_posting=2)
    batches = _batches(_corpus())
    in_memory, added = StoryLinker(options), set()
    for batch in batches:
        ordered = sorted(batch, key=lambda d: (d.published, d.id))
        for document in ordered:
            in_memory.add(story_doc(document, DocumentAnalysis(document.id), None))
        in_memory.consolidate(since=ordered[0].published - timedelta(days=options.window_days))
        added.update(in_memory.drain_changes().all_time_added)
    monkeypatch.setattr("watchfloor.link.update.StoryLinker", functools.partial(StoryLinker, options))
    read: list[set[int]] = []
    with open_store(location, "create") as store:
        for batch in batches:
            with store.write() as w:
                monkeypatch.setattr(w, "postings", functools.partial(_watched, w.postings, read))
                ids = w.add_documents([NewDocument(d, DocumentAnalysis(d.id), np.zeros(4, dtype=np.uint64), (), 4)
                                       for d in batch])
                link_documents(w, ids)
        with store.read() as r:
            terms = {term for term, _ in added}
            stored = r.postings(terms, [-1])
    expected: dict[str, set[str]] = {}
    for term, story in added:
        expected.setdefault(term, set()).add(story)
    assert {term: stories for (term, _), stories in stored.items()} == expected
    assert max(len(s) for s in expected.values()) == options.max_posting + 1  # some terms reached the cap
    assert len({s for s in in_memory.stories() if s}) > options.max_posting + 1
    assert all(-1 not in buckets for buckets in read)  # dated documents never read an all-time posting
