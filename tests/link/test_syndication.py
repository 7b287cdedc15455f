from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from watchfloor.link.syndication import (
    SyndicationIndex,
    containment,
    document_fingerprints,
    fingerprints,
    wire_credits,
)
from watchfloor.model import Document
from watchfloor.store.rows import OriginRow

STORY = (
    "North Korea has decided to dispatch about 12,000 troops, including special forces, to help Russia in its war "
    "against Ukraine, South Korea's National Intelligence Service said on Friday. The agency said Russian navy "
    "vessels carried a first group of about 1,500 special forces soldiers from North Korea to Vladivostok between "
    "Oct. 8 and Oct. 13, and that a second transport was expected soon. The soldiers are stationed at military "
    "bases in the Russian Far East and were issued Russian uniforms, weapons and forged identity papers, the "
    "agency said. South Korea's presidential office called an emergency security meeting and said the deployment "
    "posed a grave threat to the security of the country and of the international community. Moscow and "
    "Pyongyang have denied that North Korea supplies Russia with weapons or personnel. Satellite images released "
    "by the agency showed large gatherings of people near Russian ships in mid-October."
)
OTHER = (
    "The Kremlin on Friday dismissed a South Korean intelligence report that North Korea is sending soldiers to "
    "fight for Russia, calling it another piece of unverified information. Spokesman Dmitry Peskov told reporters "
    "that he had seen the reports but could not confirm them. NATO said it could not confirm the South Korean "
    "report either, while the United States said a deployment, if true, would be a dangerous development. "
    "Ukraine's president said earlier this month that North Korea was providing Russia with personnel as well as "
    "artillery shells, and estimated that 10,000 soldiers were being prepared for the Russian army."
)
T0 = datetime(2024, 10, 18, 9, tzinfo=UTC)


def doc(doc_id: str, text: str, outlet: str, hours: int = 0, title: str = "North Korea to send troops") -> Document:
    return Document(doc_id, title, text, outlet, published=T0 + timedelta(hours=hours))


@pytest.mark.parametrize(("text", "expected"), [
    ("SEOUL (Meridian Wire) — North Korea has decided ...", ("outlet:meridian-wire",)),
    ("WASHINGTON, March 3 (Reuters) - The United States said ...", ("wire:reuters",)),
    ("KYIV, Ukraine (AP) — Ukrainian forces ...", ("wire:ap",)),
    ("Ukrainian forces clashed with North Korean troops, officials said. More text here. — AFP", ("wire:afp",)),
    ("North Korea fired a ballistic missile into the sea on Monday, Yonhap said. It was the third launch.",
     ("wire:yonhap",)),
    ("Some text. Some information for this report came from The Associated Press and Reuters.",
     ("wire:ap", "wire:reuters")),
    ("NEW YORK, March 3, 2025 /PRNewswire/ -- Acme Corp today announced ...", ("release:prnewswire",)),
    ("The ministry said the talks would resume. Later, an official told AFP that no date was set.", ()),
])
def test_wire_credits(text: str, expected: tuple[str, ...]) -> None:
    assert wire_credits(text) == expected


def test_copies_share_one_origin_and_distinct_stories_do_not() -> None:
    index = SyndicationIndex()
    original = index.add(doc("a", f"SEOUL (Meridian Wire) — {STORY}", "Meridian Wire"))
    assert original.kind == "own" and original.origin_id == "outlet:meridian-wire"
    sentences = STORY.split(". ")
    truncated = index.add(doc("b", f"SEOUL (Meridian Wire) — {'. '.join(sentences[:3])}.", "Pacific Courier", 3,
                              "Seoul: Pyongyang sends soldiers"))
    edited = index.add(doc("c", STORY.replace("said", "says").replace("about", "around") +
                           "\n\nThis story was first published by Meridian Wire.", "Harbour Ledger", 5))
    other = index.add(doc("d", OTHER, "Harbour Ledger", 6))
    assert truncated.kind == "copy" and truncated.origin_id == original.origin_id
    assert edited.copy_of in {"a", "b"} and edited.origin_id == original.origin_id
    assert other.kind == "own" and other.copy_of is None and other.origin_id == "outlet:harbour-ledger"


def test_credited_wire_story_without_the_original_is_the_wire() -> None:
    origin = SyndicationIndex().add(doc("x", f"KYIV (Reuters) - {OTHER}", "Northern Gazette"))
    assert (origin.origin_id, origin.kind, origin.credits) == ("wire:reuters", "wire", ("wire:reuters",))


def test_a_story_quoting_one_sentence_of_another_is_not_a_copy() -> None:
    index = SyndicationIndex()
    index.add(doc("a", STORY, "Seoul Signal"))
    quoting = OTHER + " " + STORY.split(". ")[4] + "."
    assert index.add(doc("b", quoting, "Harbour Ledger")).copy_of is None


def test_fingerprints_are_a_sample_of_shingles() -> None:
    prints = fingerprints(STORY)
    assert 8 <= prints.size <= 40
    assert set(fingerprints(STORY[:300]).tolist()) <= set(prints.tolist())


def test_a_byline_before_the_dateline_keeps_the_credit() -> None:
    assert wire_credits(f"By Ana Lopes and Jun Park\n\nSEOUL (Reuters) -{STORY}") == ("wire:reuters",)


#: the same story as a paraphrasing tool leaves it: most long word runs broken by swapped words
_SWAPS = (("decided", "resolved"), ("dispatch", "send"), ("help", "assist"), ("said", "stated"),
          ("vessels", "ships"), ("carried", "transported"), ("soldiers", "troopers"), ("stationed", "based"),
          ("issued", "given"), ("called", "convened"), ("posed", "presented"), ("denied", "rejected"),
          ("released", "published"), ("showed", "revealed"), ("group", "batch"), ("large", "massive"))


def _paraphrase(text: str) -> str:
    for old, new in _SWAPS:
        text = text.replace(f" {old} ", f" {new} ")
    return text


def test_a_paraphrased_version_of_a_story_counts_as_its_copy() -> None:
    index = SyndicationIndex()
    index.add(doc("a", STORY, "Seoul Signal"))
    paraphrased = _paraphrase(STORY)
    # too little for a copy by the fingerprints alone: the texts are compared
    assert index.options.min_related <= containment(fingerprints(paraphrased), fingerprints(STORY)) < 0.5
    version = index.add(doc("b", paraphrased, "Pacific Courier", 2, "Pyongyang sends troopers"))
    assert version.kind == "copy" and version.copy_of == "a" and version.origin_id == "outlet:seoul-signal"


def test_a_story_reusing_the_end_of_another_as_background_is_not_a_version_of_it() -> None:
    index = SyndicationIndex()
    index.add(doc("a", STORY, "Seoul Signal"))
    follow_up_text = f"{OTHER} {'. '.join(STORY.split('. ')[-2:])}"
    # enough shared for the texts to be compared, not for a copy
    assert index.options.min_related <= containment(fingerprints(follow_up_text), fingerprints(STORY)) < 0.5
    follow_up = index.add(doc("b", follow_up_text, "Harbour Ledger", 30))
    assert follow_up.copy_of is None and follow_up.origin_id == "outlet:harbour-ledger"


class _Stored:
    """What a store keeps of an earlier batch: origins, fingerprint postings and the documents themselves."""

    def __init__(self, documents: list[Document]) -> None:
        earlier = SyndicationIndex()
        for document in documents:
            earlier.add(document)
        rows, postings = earlier.drain_changes()
        self.rows = {row.doc_id: row for row in rows}
        self.postings: dict[int, list[str]] = {}
        for value, doc_id in postings:
            self.postings.setdefault(value, []).append(doc_id)
        self.docs = {d.id: d for d in documents}
        self.read: list[str] = []

    def fingerprint_postings(self, values: Iterable[int]) -> dict[int, list[str]]:
        return {v: self.postings[v] for v in values if v in self.postings}

    def origin_rows(self, ids: Iterable[str]) -> dict[str, OriginRow]:
        return {i: self.rows[i] for i in ids if i in self.rows}

    def documents(self, ids: Iterable[str] | None = None) -> Iterator[Document]:
        for doc_id in ids or self.docs:
            self.read.append(doc_id)
            yield self.docs[doc_id]


def test_a_version_of_a_stored_story_is_compared_with_the_stored_text() -> None:
    stored = _Stored([doc("a", STORY, "Seoul Signal"), doc("d", OTHER, "Harbour Ledger", 1)])
    version = SyndicationIndex(state=stored).add(doc("b", _paraphrase(STORY), "Pacific Courier", 2))
    assert (version.copy_of, version.origin_id) == ("a", "outlet:seoul-signal")
    assert stored.read == ["a"]  # only the candidate sharing fingerprints is read


@pytest.mark.parametrize("title", ["North Korea to send troops", "", "ΟΔΥΣΣΕΑΣ", "One", "Seoul: Pyongyang's troops in Kursk, says NIS"])
@pytest.mark.parametrize("cut", [None, 40, 199, 200, 201, 230])
def test_a_documents_fingerprints_are_those_of_its_title_and_text(title: str, cut: int | None) -> None:
    """The link step takes a body's shingles from the near-duplicate check and makes only those that start in the
    title: the fingerprints are those of the title and text made whole, short bodies and cut words included."""
    text = ("ΣΕΟΥΛ: Σ" + STORY) if cut == 230 else STORY[:cut]
    document = doc("a", text, "Outlet", title=title)
    whole = fingerprints(f"{title}\n{text}" if title else text)
    assert np.array_equal(document_fingerprints(document), whole)
    assert cut in (40, 199, 200) or whole.size > 0
