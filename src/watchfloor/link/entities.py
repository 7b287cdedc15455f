"""Entity resolution across documents, as documents arrive: one entity for one person, organisation or place,
whatever the spelling, under an id that does not change.

Analysis canonicalises names within a document (alias table, surname after full name) and gives each an
entity key (``type:slug``). Across documents the same entity still arrives under several keys; each batch
of new documents is resolved against what the store holds:

1. **Spelling and transliteration**: keys whose names fold to the same letters are one entity ("Choe Son
   Hui", "Choe Son-hui", "Choé Son Hui") when they share a type, when the name has several words (the
   parser types "Meridian Wire" differently from one report to the next), or when one of them is an
   outlet (a wire named in the text is the outlet).
2. **Short forms**: a one-word person key ("person:blinken") joins the one multi-word person whose first
   or last name it is ("Antony Blinken"; "Cho" for "Cho Tae-yul"), whichever arrives first. A one-word key
   the parser typed as a place or an organisation joins too, unless our gazetteers know it as a place or
   organisation of its own or the geoparser geocoded it ("Washington" stays a place).
3. **Namesakes stay apart**: when two or more people share the short form ("Kim" for Kim Jong Un and
   Kim Yong-hyun), the short form joins the one its own documents also mention in full; otherwise it stays
   as it is. One-word names of different types never merge by spelling alone.
4. **Two names side by side** (``entity_rules``): an acronym and its full name, the short form of a body's
   name, a compound given name, transliterations, a one-letter typo in a long name, a vowel slip in a
   surname. Each key is filed under the narrow blocking keys of ``entity_rules.match_keys`` (in the table
   of name parts, prefixed by kind), so that a batch reads only the entities a rule may join it with.

**Ids.** A new entity takes the key of its fullest, most written form as its id. Once given, an id stays:
when a later document shows that two stored entities are one, the older keeps its id and the other's is
retired (the merge is reported, so that the documents that named the retired one are linked again). The
name shown is the fullest form as most often written, and may improve as reports arrive.

Reads go through an :class:`EntityStateReader` (the store's writer, or an in-memory one) and only ever touch
the keys a batch names and their possible matches.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Protocol

from ..model import Actor, Claim, DocumentAnalysis, EntityRef, Event, Mention
from ..store.rows import EntityKeyRow, EntityRow
from .entity_rules import EntityDescription, match_keys, same_entity

__all__ = ["EntityChanges", "EntityIndex", "EntityResolution", "EntityStateReader", "MemoryEntityState",
           "fold_name", "named_entities", "resolve_analysis", "resolve_entities"]

_MERGEABLE = {"person", "organization", "place", "country", "org", "source"}
_RETYPABLE = {"place", "organization"}
#: a blocking key filed for more names than this does not tell them apart ("a surname's consonants" of a
#: common surname): it is not followed, so that what a batch reads and compares stays bounded
_MAX_BLOCK = 64
_KIND = {"organization": "body", "org": "body", "group": "body", "country": "place"}  # parser types that often hide a person's surname
#: how a key's spellings are written (``json.dumps(..., ensure_ascii=False)``), the encoder made once, not per key
_SPELLINGS = json.JSONEncoder(ensure_ascii=False, check_circular=False)
_Union = Callable[[str, str], None]
_Find = Callable[[str], str]


def fold_name(name: str) -> str:
    """Letters only, lower-case, without accents: the spelling-independent form of a name."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed.lower() if c.isalpha())


def _parts(name: str) -> set[str]:
    """The folded first and last words of a multi-word name (hyphens split words too)."""
    words = name.replace("-", " ").split()
    plain = name.split()
    return {fold_name(p) for p in {words[0], words[-1], plain[0], plain[-1]}} - {""}


class EntityStateReader(Protocol):
    def entity_keys(self, keys: Iterable[str]) -> dict[str, EntityKeyRow]: ...

    def keys_by_folded(self, folded: Iterable[str]) -> list[EntityKeyRow]: ...

    def keys_by_part(self, parts: Iterable[str]) -> dict[str, list[EntityKeyRow]]: ...

    def keys_of_entities(self, entity_ids: Iterable[str]) -> list[EntityKeyRow]: ...

    def entity_rows(self, ids: Iterable[str]) -> dict[str, EntityRow]: ...

    def geocoded(self, folded: Iterable[str]) -> set[str]: ...

    def next_entity_seq(self) -> int: ...


@dataclass
class EntityChanges:
    """What a batch changed: the rows to write, and the entities merged away (retired id -> surviving id)."""

    keys: list[EntityKeyRow] = field(default_factory=list)
    entities: list[EntityRow] = field(default_factory=list)
    retired: dict[str, str] = field(default_factory=dict)
    parts: list[tuple[str, str]] = field(default_factory=list)
    docs: list[tuple[str, str]] = field(default_factory=list)
    geocoded: list[str] = field(default_factory=list)


@dataclass
class EntityResolution:
    """Entity key -> the entity it belongs to (id, name, type) for the keys a batch resolved."""

    entity: dict[str, EntityRef] = field(default_factory=dict)

    def key(self, key: str) -> str:
        ref = self.entity.get(key)
        return ref.key if ref else key

    def ref(self, entity: EntityRef) -> EntityRef:
        """The entity under its cross-document id and name; an outlet keeps its type (it is the outlet's voice)."""
        resolved = self.entity.get(entity.key)
        if resolved is None:
            return entity
        kind = entity.type if entity.type == "outlet" else resolved.type
        if (resolved.key, resolved.name, kind) == (entity.key, entity.name, entity.type):
            return entity  # most are so already: the record itself, which tells ``resolve_analysis`` nothing changed
        return EntityRef(resolved.key, resolved.name, kind)


@dataclass
class _Key:
    key: str
    entity_id: str | None  # None: new in this batch
    name: str
    type: str
    folded: str
    mentions: int
    names: Counter[str]
    docs: set[str] = field(default_factory=set)  # documents of this batch that name it
    fresh: bool = False


def _rank(key: _Key) -> tuple[bool, bool, int, int, bool, str]:
    """Which key names a new entity: an outlet's, then a named type, the fullest and most written form."""
    return (key.type == "outlet", key.type != "source", len(key.name.split()), key.mentions,
            key.type in {"place", "country"}, key.key)


def _best_name(counter: Counter[str], fallback: str) -> str:
    """The fullest form as most often written, in mixed case where there is one ("Kyiv" over "KYIV")."""
    ordered = sorted(counter, key=lambda n: (n.isupper(), -len(n.split()), -counter[n], n))
    return ordered[0] if ordered else fallback


class EntityIndex:
    """Resolves the entity keys of a batch of documents against the stored entities (see the module doc)."""

    def __init__(self, state: EntityStateReader) -> None:
        self.state = state

    def resolve(self, named: Sequence[tuple[EntityRef, str]], geocoded: Iterable[str] = ()) -> tuple[
            EntityResolution, EntityChanges]:
        """``named``: (entity, document id) pairs of the batch; ``geocoded``: names the geoparser placed."""
        changes = EntityChanges()
        keys = self._batch_keys(named)
        if not keys:
            return EntityResolution(), changes
        known_places = {fold_name(p) for p in geocoded} - {""}
        changes.geocoded = sorted(known_places)
        full_parts = {p for k in keys.values() if k.type == "person" and len(k.name.split()) >= 2 for p in _parts(k.name)}
        self._load_neighbours(keys, full_parts)
        self._load_rule_candidates(keys)
        # the one-word names to resolve: the batch's own, and stored ones a new full name may complete
        subjects = {k.key for k in keys.values() if len(k.name.split()) == 1 and (k.docs or k.folded in full_parts)}
        known_places |= self.state.geocoded(keys[s].folded for s in subjects)
        parent = {key: key for key in keys}

        def find(key: str) -> str:
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        def union(child: str, target: str) -> None:
            a, b = find(child), find(target)
            if a != b:
                parent[a] = b

        by_entity: dict[str, list[str]] = defaultdict(list)
        for key in keys.values():
            if key.entity_id is not None:
                by_entity[key.entity_id].append(key.key)
        for members in by_entity.values():
            for other in members[1:]:
                union(other, members[0])
        self._spelling(keys, union)
        self._short_forms(keys, subjects, known_places, union, find)
        self._side_by_side(keys, union, find)
        return self._assign(keys, find, changes)

    # loading ---------------------------------------------------------------------------------------------

    def _batch_keys(self, named: Sequence[tuple[EntityRef, str]]) -> dict[str, _Key]:
        keys: dict[str, _Key] = {}
        for entity, doc_id in named:
            if not entity.key:
                continue
            key = keys.get(entity.key)
            if key is None:
                key = keys[entity.key] = _Key(entity.key, None, entity.name, entity.type, fold_name(entity.name), 0,
                                              Counter(), fresh=True)
            key.mentions += 1
            key.names[entity.name] += 1
            key.docs.add(doc_id)
        stored = self.state.entity_keys(keys)
        for name, key in keys.items():
            row = stored.get(name)
            if row is not None:
                key.entity_id, key.fresh = row.entity_id, False
                key.mentions += row.mentions
                key.names.update(json.loads(row.names))
                key.name, key.type = row.name, row.type
        return keys

    def _load_neighbours(self, keys: dict[str, _Key], full_parts: set[str]) -> None:
        """Stored keys a batch key could be one entity with, and all keys of their entities: keys with the same
        letters; one-word keys that a new full name may complete; every full name whose first or last word a
        one-word name is (so a short form sees all its candidates, namesakes included)."""
        batch = list(keys.values())
        folded = {k.folded for k in batch if k.folded}
        rows = self.state.keys_by_folded(folded | full_parts)
        # one-word names to resolve: the batch's own, and stored ones that one of its full names may complete
        one_word = {k.folded for k in batch if len(k.name.split()) == 1 and k.folded}
        one_word |= {r.folded for r in rows if len(r.name.split()) == 1 and r.folded in full_parts}
        for found in self.state.keys_by_part(one_word).values():
            rows += found
        entity_ids = {r.entity_id for r in rows} | {k.entity_id for k in batch if k.entity_id}
        for row in [*rows, *self.state.keys_of_entities(entity_ids)]:
            if row.key not in keys:
                keys[row.key] = _Key(row.key, row.entity_id, row.name, row.type, row.folded, row.mentions,
                                     Counter(json.loads(row.names)))

    def _load_rule_candidates(self, keys: dict[str, _Key]) -> None:
        """Stored keys filed under the blocking keys of the batch's names, and all keys of their entities."""
        blocks = set().union(*(_blocks(k) for k in keys.values() if k.docs))
        rows = [r for found in self.state.keys_by_part(blocks).values() if len(found) <= _MAX_BLOCK
                for r in found if r.key not in keys]
        if not rows:
            return
        entity_ids = {r.entity_id for r in rows}
        for row in [*rows, *self.state.keys_of_entities(entity_ids)]:
            if row.key not in keys:
                keys[row.key] = _Key(row.key, row.entity_id, row.name, row.type, row.folded, row.mentions,
                                     Counter(json.loads(row.names)))

    # the rules -------------------------------------------------------------------------------------------

    def _side_by_side(self, keys: dict[str, _Key], union: _Union, find: _Find) -> None:
        """Join the keys that one of ``entity_rules`` says are one entity, for every pair sharing a blocking key
        of which one at least is named in this batch."""
        by_block: dict[str, list[_Key]] = defaultdict(list)
        for key in sorted(keys.values(), key=lambda k: k.key):
            for block in _blocks(key):
                by_block[block].append(key)
        for members in by_block.values():
            if len(members) > _MAX_BLOCK:
                continue
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    if (a.docs or b.docs) and find(a.key) != find(b.key) and same_entity(_describe(a), _describe(b)):
                        union(a.key, b.key)

    def _spelling(self, keys: dict[str, _Key], union: _Union) -> None:
        by_spelling: dict[str, list[_Key]] = defaultdict(list)
        for key in keys.values():
            if key.type in _MERGEABLE | {"outlet"} and key.folded:
                by_spelling[key.folded].append(key)
        for group in by_spelling.values():
            for members in _spelling_groups(group):
                best = max(members, key=_rank)
                for key in members:
                    union(key.key, best.key)

    def _short_forms(self, keys: dict[str, _Key], subjects: set[str], known_places: set[str], union: _Union,
                     find: _Find) -> None:
        places = {k.folded: k.key for k in keys.values() if k.type == "place"}
        full_by_part: dict[str, set[str]] = defaultdict(set)
        for key in keys.values():
            if key.type == "person" and len(key.name.split()) >= 2:
                for part in _parts(key.name):
                    full_by_part[part].add(key.key)
        for key in (keys[s] for s in sorted(subjects)):
            if not (key.type == "person" or key.type in _RETYPABLE):
                continue
            elsewhere = _known_elsewhere(key.name, known_places)
            if key.type != "place" and (place := places.get(key.folded)) and elsewhere:
                union(key.key, place)  # "Vladivostok" typed as a person in one report is the place the others name
                continue
            candidates = {find(c) for c in full_by_part.get(key.folded, set())}
            if key.type != "person" and (not candidates or elsewhere):
                continue
            if len(candidates) > 1:  # namesakes: keep only those its own documents name in full
                candidates = {find(c) for c in full_by_part.get(key.folded, set()) if keys[c].docs & key.docs}
            if len(candidates) == 1:
                union(key.key, next(iter(candidates)))

    # ids -------------------------------------------------------------------------------------------------

    def _assign(self, keys: dict[str, _Key], find: _Find, changes: EntityChanges) -> tuple[
            EntityResolution, EntityChanges]:
        groups: dict[str, list[_Key]] = defaultdict(list)
        for key in keys.values():
            groups[find(key.key)].append(key)
        stored = self.state.entity_rows({k.entity_id for k in keys.values() if k.entity_id})
        seq = self.state.next_entity_seq()
        resolution = EntityResolution()
        for members in sorted(groups.values(), key=lambda g: min(k.key for k in g)):
            existing = sorted({stored[k.entity_id] for k in members if k.entity_id in stored}, key=lambda e: e.seq)
            if existing:
                survivor = existing[0]
                entity_id, entity_seq = survivor.id, survivor.seq
                for retired in existing[1:]:
                    changes.retired[retired.id] = entity_id
            else:
                entity_id, entity_seq = max(members, key=_rank).key, seq
                seq += 1
            named = [k for k in members if k.type != "source"] or members
            typed = max(named, key=_rank)
            if typed.type == "person":
                typed = max(_of_commonest_kind(named), key=_rank)
            written: Counter[str] = Counter()
            for k in members:
                written.update(k.names)
            entity = EntityRow(entity_id, _best_name(written, typed.name), typed.type, entity_seq)
            if entity_id not in stored or stored[entity_id] != entity:
                changes.entities.append(entity)
            ref = EntityRef(entity.id, entity.name, entity.type)
            for key in members:
                resolution.entity[key.key] = ref
                if key.fresh or key.docs or key.entity_id != entity_id:
                    changes.keys.append(EntityKeyRow(key.key, entity_id, key.name, key.type, key.folded,
                                                     key.mentions, _SPELLINGS.encode(dict(key.names))))
                if key.fresh and key.type == "person" and len(key.name.split()) >= 2:
                    changes.parts += [(part, key.key) for part in _parts(key.name)]
                if key.fresh:
                    changes.parts += [(block, key.key) for block in sorted(_blocks(key))]
                changes.docs += [(key.key, doc_id) for doc_id in sorted(key.docs)]
        changes.entities = [e for e in changes.entities if e.id not in changes.retired]
        return resolution, changes


def _of_commonest_kind(keys: list[_Key]) -> list[_Key]:
    """The keys of the kind (person, body, place) most mentions give: a name the parser typed as a person in
    some reports is not a person when more mentions name it an organisation (in full and by its acronym).
    Only a person is overruled so: parsers type places as organisations too often for the converse."""
    by_kind: dict[str, list[_Key]] = defaultdict(list)
    for key in keys:
        by_kind[_KIND.get(key.type, key.type)].append(key)
    if len(by_kind) == 1:
        return keys
    return max(by_kind.values(), key=lambda group: (sum(k.mentions for k in group), max(map(_rank, group))))


def _describe(key: _Key) -> EntityDescription:
    forms = tuple(sorted(n for n in key.names if n != key.name))
    return EntityDescription(key.key, key.name, key.type, forms, frozenset(key.docs))


def _blocks(key: _Key) -> set[str]:
    """The blocking keys a key is filed under (they contain a colon, which no folded name part does)."""
    if key.type not in _MERGEABLE:
        return set()
    return set(_blocks_of(key.name, key.type, tuple(sorted(n for n in key.names if n != key.name))))


@lru_cache(maxsize=1 << 15)  # a batch asks for each key's blocks three times, and later batches for the same names
def _blocks_of(name: str, kind: str, aliases: tuple[str, ...]) -> frozenset[str]:
    """``match_keys`` depends on the name, the type and the other forms only."""
    return frozenset(match_keys(EntityDescription("", name, kind, aliases)))


def _known_elsewhere(name: str, places: set[str]) -> bool:
    """True when our alias table knows the name as a place or organisation in its own right, or the
    geoparser geocoded it somewhere in the store."""
    from ..analyze.gazetteer import gazetteer

    return fold_name(name) in places or gazetteer().lookup(name) is not None


def _spelling_groups(keys: list[_Key]) -> list[list[_Key]]:
    types = {k.type for k in keys} - {"source"}  # an unnamed-type speaker joins the named entity
    several_words = len(keys[0].name.split()) > 1
    if len(types) <= 1 or several_words or "outlet" in types:
        return [keys]
    by_type: dict[str, list[_Key]] = defaultdict(list)
    for key in keys:
        by_type[key.type].append(key)
    return list(by_type.values())


def named_entities(doc_id: str, outlet: EntityRef, analysis: DocumentAnalysis) -> list[tuple[EntityRef, str]]:
    """Every entity a document names: its mentions, the sources it attributes to, and its outlet."""
    named = [(m.entity, doc_id) for m in analysis.mentions]
    named += [(e, doc_id) for event in analysis.events for e in event.attributed_to]
    named += [(a.entity, doc_id) for event in analysis.events for a in event.actors]
    named += [(e, doc_id) for claim in analysis.claims for e in claim.attributed_to]
    named += [(c.subject, doc_id) for c in analysis.claims if c.subject is not None]
    named.append((outlet, doc_id))
    return named


def resolve_analysis(analysis: DocumentAnalysis, resolution: EntityResolution) -> DocumentAnalysis:
    """The analysis with every entity under its cross-document id and name (what claims are keyed by). Records
    whose entities are already so are kept as they are, not copied (most of them: copying every mention of a
    batch cost more than resolving it)."""
    ref = resolution.ref

    def refs(entities: tuple[EntityRef, ...]) -> tuple[EntityRef, ...]:
        resolved = tuple(ref(e) for e in entities)
        return entities if all(a is b for a, b in zip(resolved, entities, strict=True)) else resolved

    def mention(m: Mention) -> Mention:
        entity = ref(m.entity)
        return m if entity is m.entity else replace(m, entity=entity)

    def claim(c: Claim) -> Claim:
        quantity = c.quantity
        if quantity is not None and quantity.subject is not None and (q := ref(quantity.subject)) is not quantity.subject:
            quantity = replace(quantity, subject=q)
        attributed, subject = refs(c.attributed_to), ref(c.subject) if c.subject else None
        if attributed is c.attributed_to and subject is c.subject and quantity is c.quantity:
            return c
        return replace(c, attributed_to=attributed, subject=subject, quantity=quantity)

    def actor(a: Actor) -> Actor:
        entity = ref(a.entity)
        return a if entity is a.entity else replace(a, entity=entity)

    def event(e: Event) -> Event:
        actors, attributed = tuple(actor(a) for a in e.actors), refs(e.attributed_to)
        if attributed is e.attributed_to and all(a is b for a, b in zip(actors, e.actors, strict=True)):
            return e
        return replace(e, actors=actors, attributed_to=attributed)

    return replace(analysis, mentions=tuple(mention(m) for m in analysis.mentions),
                   events=tuple(event(e) for e in analysis.events), claims=tuple(claim(c) for c in analysis.claims))


class MemoryEntityState:
    """The stored side of entity resolution kept in memory (tests, benchmarks, one-off runs)."""

    def __init__(self) -> None:
        self.keys: dict[str, EntityKeyRow] = {}
        self.entities: dict[str, EntityRow] = {}
        self.parts: set[tuple[str, str]] = set()
        self.places: set[str] = set()

    def entity_keys(self, keys: Iterable[str]) -> dict[str, EntityKeyRow]:
        return {k: self.keys[k] for k in keys if k in self.keys}

    def keys_by_folded(self, folded: Iterable[str]) -> list[EntityKeyRow]:
        wanted = set(folded)
        return [r for r in self.keys.values() if r.folded in wanted]

    def keys_by_part(self, parts: Iterable[str]) -> dict[str, list[EntityKeyRow]]:
        wanted = set(parts)
        found: dict[str, list[EntityKeyRow]] = defaultdict(list)
        for part, key in sorted(self.parts):
            if part in wanted:
                found[part].append(self.keys[key])
        return dict(found)

    def keys_of_entities(self, entity_ids: Iterable[str]) -> list[EntityKeyRow]:
        wanted = set(entity_ids)
        return [r for r in self.keys.values() if r.entity_id in wanted]

    def entity_rows(self, ids: Iterable[str]) -> dict[str, EntityRow]:
        return {i: self.entities[i] for i in ids if i in self.entities}

    def geocoded(self, folded: Iterable[str]) -> set[str]:
        return set(folded) & self.places

    def next_entity_seq(self) -> int:
        return max((e.seq for e in self.entities.values()), default=0) + 1

    def apply(self, changes: EntityChanges) -> None:
        self.keys.update({r.key: r for r in changes.keys})
        for retired in changes.retired:
            self.entities.pop(retired, None)
        self.entities.update({e.id: e for e in changes.entities})
        self.parts.update(changes.parts)
        self.places.update(changes.geocoded)


def resolve_entities(mentions: Iterable[tuple[EntityRef, str]], places: Iterable[str] = ()) -> EntityResolution:
    """Resolve (entity, document id) pairs in one batch against nothing stored (tests and one-off runs)."""
    state = MemoryEntityState()
    resolution, changes = EntityIndex(state).resolve(list(mentions), places)
    state.apply(changes)
    return resolution
