"""A syndication test set built from the VOA stories: copies as outlets make them, and look-alikes.

Copies of a story (positives, each paired with its original): verbatim reposts; a credit line added
before or after; light edits (spelling, quotes, a dropped sentence, a few words changed); truncation to
the first 30–60 % of the sentences; a new headline; a rewritten lead; and all of these at once.
Non-copies (negatives): pairs of different stories from one desk or sharing a VOA tag, a different
story that quotes one sentence of the other, and a different story that reuses the last quarter of
the other as background. A pair counts as detected when both documents end in one copy group
(following ``copy_of`` links).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from watchfloor.link.syndication import SyndicationIndex
from watchfloor.model import Document

from .quality.scoring import PRF

OUTLETS = ("Harbour Ledger", "Northern Gazette", "Pacific Courier", "Atlantic Standard", "Kyiv Lantern",
           "Baltic Morning Post", "Continental Desk", "Seoul Signal")
_EDITS = (("said", "says"), ("percent", "per cent"), ("U.S.", "US"), ("organization", "organisation"),
          ("government", "administration"), ("also", "further"), ("about", "around"), ("people", "persons"))
_SENTENCE = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    copy: bool
    kind: str


def load_voa(path: Path) -> list[Document]:
    stories = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        published = datetime.fromisoformat(record["published"].replace("Z", "+00:00"))
        stories.append(Document(f"voa-{record['id']}", record["title"], record["text"], "Voice of America",
                                record["url"], published, extra_keywords(record)))
    return stories


def extra_keywords(record: dict) -> str:
    """Section and tags, kept in ``author`` of the test documents to find same-topic negatives."""
    tags = {t.strip().lower() for t in record.get("keywords", "").split(",") if t.strip()}
    return "|".join(sorted(tags | {f"section:{record['section'].lower()}"}))


def split_sentences(text: str) -> list[str]:
    """A story's sentences, split at end punctuation before a capital (good enough for synthetic text)."""
    return _SENTENCE.split(text)


def _light_edit(text: str, rng: random.Random) -> str:
    sentences = split_sentences(text)
    if len(sentences) > 6:
        del sentences[rng.randrange(2, len(sentences))]
    edited = " ".join(sentences).replace("“", '"').replace("”", '"').replace("’", "'")
    for old, new in rng.sample(_EDITS, 4):
        edited = edited.replace(f" {old} ", f" {new} ")
    return edited


def _truncate(text: str, rng: random.Random) -> str:
    sentences = split_sentences(text)
    keep = max(3, int(len(sentences) * rng.uniform(0.3, 0.6)))
    return " ".join(sentences[:keep])


def _credit(text: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(['WASHINGTON', 'LONDON', 'NAIROBI', 'SEOUL'])} (VOA) — {text}"
    return f"{text}\n\nThis story was first published by Voice of America. Used with permission."


def _headline(title: str, rng: random.Random) -> str:
    return rng.choice(["UPDATE: ", "Report: ", "", "World: "]) + " ".join(reversed(title.split(" ", 2)[:2])) + " ..."


def _rewrite_lead(text: str, rng: random.Random) -> str:
    sentences = split_sentences(_light_edit(text, rng))
    lead = rng.choice(["Officials gave new details on Tuesday about the events described below.",
                       "Here is what we know so far.", "The situation remained tense, observers said."])
    return " ".join([lead, *sentences[2:]])


Variant = Callable[[Document, random.Random], Document]


def _variants() -> dict[str, Variant]:
    return {
        "verbatim": lambda d, rng: d,
        "credit": lambda d, rng: replace(d, text=_credit(d.text, rng)),
        "light_edit": lambda d, rng: replace(d, text=_light_edit(d.text, rng)),
        "truncated": lambda d, rng: replace(d, text=_truncate(d.text, rng)),
        "headline": lambda d, rng: replace(d, title=_headline(d.title, rng)),
        "rewritten_lead": lambda d, rng: replace(d, text=_rewrite_lead(d.text, rng)),
        "all": lambda d, rng: replace(d, title=_headline(d.title, rng),
                                      text=_credit(_truncate(_light_edit(d.text, rng), rng), rng)),
    }


def build_set(stories: list[Document], seed: int = 7) -> tuple[list[Document], list[Pair]]:
    """Documents (originals, copies, look-alikes) in arrival order, and the labelled pairs."""
    rng = random.Random(seed)
    docs: list[Document] = list(stories)
    pairs: list[Pair] = []
    for story in stories:
        for kind, make in _variants().items():
            copy = make(story, rng)
            copy = replace(copy, id=f"{story.id}-{kind}", outlet=rng.choice(OUTLETS), author=None,
                           published=(story.published or datetime(2025, 1, 1)) + timedelta(hours=rng.randint(1, 48)))
            docs.append(copy)
            pairs.append(Pair(story.id, copy.id, True, kind))
    tags = {s.id: set((s.author or "").split("|")) for s in stories}
    for story in stories:
        related = [o for o in stories if o.id != story.id and tags[o.id] & tags[story.id]]
        for other in rng.sample(related, min(2, len(related))):
            pairs.append(Pair(story.id, other.id, False, "same_topic"))
        if related:
            other = rng.choice(related)
            quoted = rng.choice(split_sentences(story.text)[1:] or [story.text])
            parts = split_sentences(other.text)
            parts.insert(len(parts) // 2, quoted)
            look_alike = replace(other, id=f"{other.id}-quotes-{story.id}", text=" ".join(parts),
                                 outlet=rng.choice(OUTLETS), author=None)
            docs.append(look_alike)
            pairs.append(Pair(story.id, look_alike.id, False, "shares_a_quote"))
            background = split_sentences(story.text)
            reused = background[len(background) - max(2, len(background) // 4):]
            follow_up = replace(rng.choice(related), outlet=rng.choice(OUTLETS), author=None)
            follow_up = replace(follow_up, id=f"{follow_up.id}-background-{story.id}",
                                text=" ".join([*split_sentences(follow_up.text), *reused]))
            docs.append(follow_up)
            pairs.append(Pair(story.id, follow_up.id, False, "reuses_background"))
    return docs, pairs


def _roots(index: SyndicationIndex, docs: list[Document]) -> dict[str, str]:
    roots = {}
    for doc in docs:
        origin = index.origin(doc.id)
        roots[doc.id] = roots.get(origin.copy_of, origin.copy_of) if origin and origin.copy_of else doc.id
    return roots


def _exact_key(doc: Document) -> str:
    return hashlib.sha1(" ".join(doc.text.lower().split()).encode()).hexdigest()


def score_set(docs: list[Document], pairs: list[Pair], seed: int = 7) -> tuple[PRF, PRF]:
    """Copy detection of watchfloor and of the exact-hash baseline over the labelled pairs."""
    order = list(docs)
    random.Random(seed).shuffle(order)
    index = SyndicationIndex()
    for doc in order:
        index.add(doc)
    roots = _roots(index, order)
    keys = {doc.id: _exact_key(doc) for doc in docs}
    ours, baseline = PRF(), PRF()
    for pair in pairs:
        for prf, predicted in ((ours, roots[pair.a] == roots[pair.b]), (baseline, keys[pair.a] == keys[pair.b])):
            if predicted and pair.copy:
                prf.tp += 1
            elif predicted:
                prf.fp += 1
            elif pair.copy:
                prf.fn += 1
    return ours, baseline
