"""Reading ECB+ (CROMER XML) into documents, sub-topic gold and gold event mentions.

Documents come from ``ECB+_all_topics.tar.gz``. The first sentence of many ECB+ documents is the
source URL, tokenised; it is dropped from the text (its host becomes the outlet) so the clustering
cannot read the headline slug. Event mentions are the ACTION_* and NEG_* markables in the validated
sentences (``ECBplus_coreference_sentences.csv``), as in Cybulska & Vossen (2015) and later work; a
mention's gold cluster is its CROSS_DOC_COREF instance, else its within-document chain, else itself.
"""

from __future__ import annotations

import csv
import re
import tarfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

TEST_TOPICS = frozenset(range(36, 46))
DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
_URL = re.compile(r"^https?\s*:\s*/\s*/")


@dataclass(frozen=True)
class EcbMention:
    id: str  # doc name + markable id
    doc: str
    sentence: int
    token_start: int  # index into EcbDoc.tokens
    token_end: int  # exclusive
    gold: str  # gold cluster


@dataclass(frozen=True)
class EcbDoc:
    name: str  # e.g. "36_1ecbplus"
    topic: int
    subtopic: str  # "36ecb" / "36ecbplus": the gold story
    outlet: str
    title: str
    text: str
    tokens: tuple[str, ...]
    token_sentences: tuple[int, ...]
    token_offsets: tuple[tuple[int, int], ...]  # char offsets into text; (-1, -1) for dropped URL tokens
    mentions: tuple[EcbMention, ...]  # gold event mentions in validated sentences


def _outlet(url_tokens: list[str]) -> str:
    joined = "".join(url_tokens)
    host = re.sub(r"^https?://", "", joined).split("/")[0]
    return re.sub(r"^www\.", "", host) or "unknown"


def _parse(name: str, data: bytes, validated: set[int]) -> EcbDoc:
    root = ET.fromstring(data)
    tokens: list[tuple[int, int, str]] = [(int(t.get("t_id", "0")), int(t.get("sentence", "0")), t.text or "")
                                          for t in root.iter("token")]
    by_sentence: dict[int, list[str]] = defaultdict(list)
    for _, sentence, text in tokens:
        by_sentence[sentence].append(text)
    url_sentences = {s for s, words in by_sentence.items() if _URL.match(" ".join(words))}
    outlet = _outlet(by_sentence[min(url_sentences)]) if url_sentences else "ecb"
    offsets: list[tuple[int, int]] = []
    parts: list[str] = []
    position, last_sentence = 0, None
    for _, sentence, text in tokens:
        if sentence in url_sentences:
            offsets.append((-1, -1))
            continue
        if parts:
            separator = "\n" if sentence != last_sentence else " "
            parts.append(separator)
            position += 1
        offsets.append((position, position + len(text)))
        parts.append(text)
        position += len(text)
        last_sentence = sentence
    text = "".join(parts)
    title = text.split("\n", 1)[0]
    index_of = {t_id: i for i, (t_id, _, _) in enumerate(tokens)}
    markables = root.find("Markables")
    anchors: dict[str, list[int]] = {}
    kinds: dict[str, str] = {}
    if markables is not None:
        for m in markables:
            ids = [index_of[int(a.get("t_id", "0"))] for a in m.findall("token_anchor")]
            if ids:
                anchors[m.get("m_id", "")] = sorted(ids)
                kinds[m.get("m_id", "")] = m.tag
    gold: dict[str, str] = {}
    relations = root.find("Relations")
    if relations is not None:
        for relation in relations:
            target = relation.find("target")
            target_id = target.get("m_id", "") if target is not None else ""
            label = relation.get("note") if relation.tag == "CROSS_DOC_COREF" else f"{name}:{target_id}"
            for source in relation.findall("source"):
                gold.setdefault(source.get("m_id", ""), str(label))
    mentions = []
    doc_tokens = tuple(t for _, _, t in tokens)
    sentences = tuple(s for _, s, _ in tokens)
    for m_id, ids in anchors.items():
        if not kinds[m_id].startswith(("ACTION", "NEG")) or sentences[ids[0]] not in validated:
            continue
        mentions.append(EcbMention(f"{name}:{m_id}", name, sentences[ids[0]], ids[0], ids[-1] + 1,
                                   gold.get(m_id, f"{name}:{m_id}:singleton")))
    topic = int(name.split("_")[0])
    subtopic = f"{topic}{'ecbplus' if name.endswith('ecbplus') else 'ecb'}"
    return EcbDoc(name, topic, subtopic, outlet, title, text, doc_tokens, sentences, tuple(offsets),
                  tuple(sorted(mentions, key=lambda m: m.token_start)))


def load_ecb(folder: Path) -> list[EcbDoc]:
    """All ECB+ documents, sorted by name, with their validated gold event mentions."""
    validated: dict[str, set[int]] = defaultdict(set)
    with (folder / "ECBplus_coreference_sentences.csv").open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            validated[f"{record['Topic']}_{record['File']}"].add(int(record["Sentence Number"]))
    docs = []
    with tarfile.open(folder / "ECB+_all_topics.tar.gz") as archive:
        for member in archive:
            if not member.name.endswith(".xml"):
                continue
            name = Path(member.name).stem
            handle = archive.extractfile(member)
            if handle is not None:
                docs.append(_parse(name, handle.read(), validated[name]))
    return sorted(docs, key=lambda d: d.name)


def sentence_text(doc: EcbDoc, sentence: int) -> str:
    return " ".join(t for t, s in zip(doc.tokens, doc.token_sentences, strict=True) if s == sentence)
