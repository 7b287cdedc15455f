"""Entity resolution across documents: one entity for one person, organisation or place, whatever the spelling.

Analysis canonicalises names within a document (alias table, surname after full name). Across documents
the same entity still arrives under several keys; this module maps each key to one canonical key:

1. **Spelling and transliteration**: keys whose names fold to the same letters are one entity ("Choe Son
   Hui", "Choe Son-hui", "Choé Son Hui") when they share a type, when the name has several words (the
   parser types "Meridian Wire" differently from one report to the next), or when one of them is an
   outlet (a wire named in the text is the outlet). The fullest, most often written form gives the name.
2. **Short forms**: a one-word person key ("person:blinken") joins the one multi-word person of the
   corpus whose first or last name it is ("Antony Blinken"; "Cho" for "Cho Tae-yul"). A one-word key the
   parser typed as a place or an organisation joins too, unless our gazetteers know it as a place or
   organisation of its own or the geoparser geocoded it in the store ("Washington" stays a place).
3. **Namesakes stay apart**: when two or more people share the short form ("Kim" for Kim Jong Un and
   Kim Yong-hyun), the short form joins the one its documents also mention in full; otherwise it stays
   as it is. One-word names of different types never merge by spelling alone.

Pure function of the mentions; the export and the briefing apply it when they read the store.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Document, DocumentAnalysis, EntityRef

__all__ = ["EntityResolution", "fold_name", "resolve_analyses", "resolve_entities"]

_MERGEABLE = {"person", "organization", "place", "country", "org", "source"}
_RETYPABLE = {"place", "organization"}  # parser types that often hide a person's surname


def fold_name(name: str) -> str:
    """Letters only, lower-case, without accents: the spelling-independent form of a name."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed.lower() if c.isalpha())


@dataclass
class EntityResolution:
    """``canonical[key]`` is the key an entity is exported under; ``entity[key]`` its canonical record."""

    canonical: dict[str, str] = field(default_factory=dict)
    entity: dict[str, EntityRef] = field(default_factory=dict)

    def key(self, key: str) -> str:
        return self.canonical.get(key, key)

    def ref(self, entity: EntityRef) -> EntityRef:
        return self.entity.get(self.key(entity.key), entity)


def _known_elsewhere(name: str, places: set[str]) -> bool:
    """True when our alias table knows the name as a place or organisation in its own right, or the
    geoparser geocoded it somewhere in the store."""
    from ..analyze.gazetteer import gazetteer

    return fold_name(name) in places or gazetteer().lookup(name) is not None


def resolve_entities(mentions: Iterable[tuple[EntityRef, str]], places: Iterable[str] = ()) -> EntityResolution:
    """``mentions``: (entity, document id) pairs from every stored document; ``places``: names the geoparser
    geocoded in them."""
    known_places = {fold_name(p) for p in places}
    counts: Counter[str] = Counter()
    refs: dict[str, EntityRef] = {}
    docs: dict[str, set[str]] = defaultdict(set)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for entity, doc_id in mentions:
        counts[entity.key] += 1
        names[entity.key][entity.name] += 1
        refs.setdefault(entity.key, entity)
        docs[entity.key].add(doc_id)
    parent: dict[str, str] = {key: key for key in refs}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(child: str, target: str) -> None:
        a, b = find(child), find(target)
        if a != b:
            parent[a] = b

    # 1. same letters: one entity; across types only for names of several words or an outlet's name,
    #    which the parser types differently from one document to the next ("Meridian Wire")
    by_spelling: dict[str, list[str]] = defaultdict(list)
    for key, ref in refs.items():
        if ref.type in _MERGEABLE | {"outlet"} and (folded := fold_name(ref.name)):
            by_spelling[folded].append(key)
    for keys in by_spelling.values():
        for group in _spelling_groups(keys, refs):
            best = max(group, key=lambda k: (refs[k].type == "outlet", refs[k].type != "source", counts[k], k))
            for key in group:
                union(key, best)

    # 2-3. one-word names to the place or the one full name they stand for
    places = {fold_name(ref.name): find(key) for key, ref in refs.items() if ref.type == "place"}
    full_by_part: dict[str, set[str]] = defaultdict(set)
    for key, ref in refs.items():
        words = ref.name.replace("-", " ").split()
        if ref.type == "person" and len(ref.name.split()) >= 2:
            for part in {words[0], words[-1], ref.name.split()[0], ref.name.split()[-1]}:
                full_by_part[fold_name(part)].add(find(key))
    for key, ref in refs.items():
        if len(ref.name.split()) != 1 or not (ref.type == "person" or ref.type in _RETYPABLE):
            continue
        if ref.type != "place" and (place := places.get(fold_name(ref.name))) and _known_elsewhere(ref.name, known_places):
            union(key, place)  # "Vladivostok" typed as a person in one report is the place the others name
            continue
        candidates = full_by_part.get(fold_name(ref.name), set())
        if ref.type != "person" and (not candidates or _known_elsewhere(ref.name, known_places)):
            continue
        if len(candidates) > 1:  # namesakes: keep only those its own documents name in full
            candidates = {c for c in candidates if docs[key] & docs[c]}
        if len(candidates) == 1:
            union(key, next(iter(candidates)))

    resolution = EntityResolution()
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for key in refs:
        resolution.canonical[key] = find(key)
        written[find(key)].update(names[key])
    for root, counter in written.items():
        # the fullest form as most often written, in mixed case where there is one ("Kyiv" over "KYIV")
        ordered = sorted(counter, key=lambda n: (n.isupper(), -len(n.split()), -counter[n], n))
        name = ordered[0] if ordered else refs[root].name
        resolution.entity[root] = EntityRef(root, name, refs[root].type)
    return resolution


def _spelling_groups(keys: list[str], refs: dict[str, EntityRef]) -> list[list[str]]:
    types = {refs[k].type for k in keys} - {"source"}  # an unnamed-type speaker joins the named entity
    several_words = len(refs[keys[0]].name.split()) > 1
    if len(types) <= 1 or several_words or "outlet" in types:
        return [keys]
    by_type: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        by_type[refs[key].type].append(key)
    return list(by_type.values())


def resolve_analyses(pairs: Iterable[tuple[Document, DocumentAnalysis]]) -> EntityResolution:
    """Resolution over stored documents: their mentions, the sources they attribute to, and their outlets."""
    from ..analyze.claims import outlet_entity

    named: list[tuple[EntityRef, str]] = []
    places: set[str] = set()
    for document, analysis in pairs:
        places.update(p.span.text for p in analysis.places if p.lat is not None)
        named += [(m.entity, document.id) for m in analysis.mentions]
        named += [(e, document.id) for event in analysis.events for e in event.attributed_to]
        named += [(e, document.id) for claim in analysis.claims for e in claim.attributed_to]
        named.append((outlet_entity(document.outlet), document.id))
    return resolve_entities(named, places)
