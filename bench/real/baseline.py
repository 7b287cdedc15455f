"""The side-by-side baseline for real_news_dev: what a bare spaCy pipeline gives with the obvious rules, written
out in the shape of our JSON export so that the same scorer reads both.

- entities: spaCy's named entities, one entity per distinct lowercased surface form;
- quantities: spaCy's numeric entities, the nearest following noun in the sentence as the unit, approximate
  when the entity holds a qualifier word ("about 100");
- attribution: a say-verb's subject is the source of its sentence (the outlet when there is none), asserted,
  or denied when the verb is "deny";
- dates: spaCy DATE entities resolved by dateparser against the publication date (the TempEval-3 baseline);
- stories and copies: none linked; exact copies (same text) share an origin.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

import spacy
from spacy.tokens import Doc, Span

from watchfloor.analyze.nlp import DEFAULT_MODELS
from watchfloor.analyze.quantities import parse_number

from ..quality.dates import _dateparser_value
from .gold import RealSet

NAME = "bare spaCy: its entities, numbers + nearest noun, say-verb subject, DATE + dateparser"
_SAY = {"say", "tell", "report", "announce", "state", "claim", "add", "confirm", "deny", "accuse", "warn"}
_QUALIFIERS = {"about", "around", "nearly", "almost", "some", "over", "approximately", "roughly", "least", "more",
               "up", "than"}
_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"}


def _evidence(doc_id: str, span: Span) -> dict[str, Any]:
    return {"doc_id": doc_id, "start": span.start_char, "end": span.end_char, "text": span.text}


def _speaker(sentence: Span) -> tuple[str | None, str]:
    """The subject of the sentence's first say-verb, and that verb's lemma."""
    for token in sentence:
        if token.pos_ == "VERB" and token.lemma_ in _SAY:
            subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is not None:
                tokens = list(subject.subtree)
                return sentence.doc[tokens[0].i : tokens[-1].i + 1].text, token.lemma_
            return None, token.lemma_
    return None, ""


def _span_of(value: str) -> tuple[date, date] | None:
    """A dateparser value ("2024-10-01", "2024-10", "2024-W40", "2024") as an inclusive day span."""
    try:
        if "-W" in value:
            year, week = value.split("-W")
            start = date.fromisocalendar(int(year), int(week), 1)
            return start, start + timedelta(days=6)
        parts = value.split("T")[0].split("-")
        if len(parts) == 3:
            day = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return day, day
        if len(parts) == 2:
            start = date(int(parts[0]), int(parts[1]), 1)
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            return start, end
        return date(int(parts[0]), 1, 1), date(int(parts[0]), 12, 31)
    except ValueError:
        return None


def _quantities(sentence: Span) -> list[dict[str, Any]]:
    found = []
    for ent in sentence.ents:
        if ent.label_ not in {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}:
            continue
        numerals = [t for t in ent if t.like_num or t.lower_ in {"hundred", "thousand", "million", "billion"}]
        value = parse_number([t.text for t in numerals])
        if value is None:
            continue
        inside = [t for t in ent if t.is_alpha and t not in numerals and t.lower_ not in _QUALIFIERS]
        noun = inside[-1] if ent.label_ == "QUANTITY" and inside else next(
            (t for t in sentence.doc[ent.end : min(ent.end + 4, sentence.end)] if t.pos_ == "NOUN"), None)
        unit = "percent" if ent.label_ == "PERCENT" else noun.lemma_.lower() if noun is not None else ""
        found.append({"value": value, "unit": unit, "approximate": any(t.lower_ in _QUALIFIERS for t in ent)})
    return found


def _records(doc_id: str, doc: Doc, outlet: str, published: date) -> list[dict[str, Any]]:
    records = []
    for sentence in doc.sents:
        speaker, verb = _speaker(sentence)
        source = speaker or outlet
        common = {"modality": "denied" if verb == "deny" else "asserted",
                  "polarity": "negative" if verb == "deny" else "positive",
                  "attributed_to": [{"entity_id": f"baseline:{source.lower()}", "name": source}],
                  "evidence": [_evidence(doc_id, sentence)]}
        if verb:
            records.append({"kind": "statement", "quantity": None, "date": None, **common})
        for quantity in _quantities(sentence):
            records.append({"kind": "quantity", "quantity": quantity, "date": None, **common})
        for ent in sentence.ents:
            value = _dateparser_value(ent.text, published) if ent.label_ == "DATE" else None
            days = _span_of(value) if value else None
            if days is not None:
                when = {"start": days[0].isoformat(), "end": days[1].isoformat(), "precision": "", "text": ent.text}
                records.append({"kind": "event", "quantity": None, "date": when, **common})
    return records


def baseline_export(real: RealSet) -> dict[str, Any]:
    """Run the baseline over the set's articles; the result has the fields of our export the scorer reads."""
    nlp = spacy.load(next(n for n in DEFAULT_MODELS if spacy.util.is_package(n)))
    line_of = {article_id: line for line, article_id in real.line_of.items()}
    articles = list(real.articles.values())
    documents, claims = [], []
    entities: dict[str, dict[str, Any]] = {}
    for article, doc in zip(articles, nlp.pipe(a["text"] for a in articles), strict=True):
        doc_id = article["id"]
        documents.append({"id": doc_id, "title": article["title"], "text": article["text"],
                          "source_path": f"{real.path}:{line_of[doc_id]}", "story_id": f"story-{doc_id}",
                          "origin": hashlib.sha256(article["text"].encode()).hexdigest(), "near_duplicate_of": None})
        claims.extend(_records(doc_id, doc, article["outlet"], date.fromisoformat(article["published"])))
        for ent in doc.ents:
            if ent.label_ in _ENTITY_LABELS:
                entity = entities.setdefault(ent.text.lower(), {"id": f"baseline:{ent.text.lower()}", "name": ent.text,
                                                                "type": ent.label_, "aliases": [], "mentions": []})
                entity["mentions"].append(_evidence(doc_id, ent))
    return {"documents": documents, "entities": list(entities.values()), "claims": claims, "events": []}
