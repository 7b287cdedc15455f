"""The two objects STIX 2.1 has no type for — a consolidated claim and a typed event — and their declaration.

STIX has reports, identities, locations, notes, opinions and groupings, but nothing for "an attributed
proposition with its evidence and status" or "a PLOVER event between actors". Both are new SDOs declared the
STIX 2.1 way: an ``extension-definition`` object (carried in every bundle) whose ``schema`` is the JSON Schema
of the object in plain text, and an ``extensions`` entry ``{"extension_type": "new-sdo"}`` on every instance.
The schemas are ``schemas/watchfloor-claim.json`` and ``schemas/watchfloor-event.json``; stix2-validator checks
instances against them when given that folder.
"""

from __future__ import annotations

import json
import uuid
from importlib import resources
from pathlib import Path
from typing import Any

import stix2
from stix2.properties import (
    DictionaryProperty,
    IntegerProperty,
    ListProperty,
    ReferenceProperty,
    StringProperty,
)
from stix2.v21 import CustomObject

__all__ = [
    "CLAIM_EXTENSION",
    "EVENT_EXTENSION",
    "NAMESPACE",
    "PRODUCER",
    "Claim",
    "Event",
    "extension_definitions",
    "producer_identity",
    "schema_dir",
    "stix_id",
]

#: namespace of the UUIDv5 ids derived from watchfloor's own stable ids: re-exports give the same ids
NAMESPACE = uuid.UUID("dc36c238-31ee-4924-84db-d38ea2b81e12")
#: when version 1.0.0 of the extensions and the producer identity were defined
DEFINED = "2026-12-06T00:00:00.000Z"
#: the extensions' current version, and when it was defined (1.1.0: each evidence record's ``reliability``)
EXTENSION_VERSION = ("1.1.0", "2026-12-06T12:00:00.000Z")


def stix_id(stix_type: str, key: str) -> str:
    """A deterministic STIX id for one of our objects (``key`` is our own stable id, prefixed by its kind)."""
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, key)}"


PRODUCER = stix_id("identity", "producer:watchfloor")
CLAIM_EXTENSION = stix_id("extension-definition", "extension:watchfloor-claim")
EVENT_EXTENSION = stix_id("extension-definition", "extension:watchfloor-event")

_REF = ["identity", "location", "report", "watchfloor-claim", "watchfloor-event"]


def _common_properties() -> list[tuple[str, Any]]:
    ref_list = ListProperty(ReferenceProperty(valid_types=_REF, spec_version="2.1"))
    return [
        ("modality", StringProperty(required=True)),
        ("polarity", StringProperty(required=True)),
        ("status", StringProperty(required=True)),
        ("sources", ListProperty(StringProperty, required=True)),
        ("independent_sources", IntegerProperty(required=True, min=1)),
        ("attributed_to_refs", ref_list),
        ("contradicted_by_refs", ref_list),
        ("source_reliability", StringProperty(required=True)),
        ("information_credibility", IntegerProperty(required=True, min=1, max=6)),
        ("date", DictionaryProperty(spec_version="2.1")),
        ("evidence", ListProperty(DictionaryProperty(spec_version="2.1"), required=True)),
    ]


@CustomObject("watchfloor-claim", [
    ("text", StringProperty(required=True)),
    ("kind", StringProperty(required=True)),
    ("subject_ref", ReferenceProperty(valid_types=_REF, spec_version="2.1")),
    ("quantity", DictionaryProperty(spec_version="2.1")),
    ("part_of_ref", ReferenceProperty(valid_types=["watchfloor-claim"], spec_version="2.1")),
    *_common_properties(),
], extension_name=CLAIM_EXTENSION)
class _Claim:
    """An attributed proposition consolidated across reports."""


@CustomObject("watchfloor-event", [
    ("event_type", StringProperty(required=True)),
    ("mode", StringProperty()),
    ("source_refs", ListProperty(ReferenceProperty(valid_types=_REF, spec_version="2.1"))),
    ("target_refs", ListProperty(ReferenceProperty(valid_types=_REF, spec_version="2.1"))),
    ("place", DictionaryProperty(spec_version="2.1")),
    ("location_ref", ReferenceProperty(valid_types=["location"], spec_version="2.1")),
    *_common_properties(),
], extension_name=EVENT_EXTENSION)
class _Event:
    """A typed event between actors (PLOVER) consolidated across reports."""


#: the registered classes (the decorator builds their keyword constructors, which type checkers cannot see)
Claim: Any = _Claim
Event: Any = _Event


def schema_dir() -> Path:
    """The folder of the custom objects' JSON Schemas (``<type>.json``), as stix2-validator looks them up."""
    return Path(str(resources.files(__package__).joinpath("schemas")))


def _schema_text(stix_type: str) -> str:
    data = json.loads((schema_dir() / f"{stix_type}.json").read_text(encoding="utf-8"))
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def producer_identity(marking: str) -> Any:
    return stix2.Identity(id=PRODUCER, created=DEFINED, modified=DEFINED, name="watchfloor",
                          identity_class="system",
                          description="Offline monitoring desk for open-source reporting; produced this bundle.",
                          object_marking_refs=[marking])


def extension_definitions(marking: str) -> list[Any]:
    """The extension-definition objects of the claim and event SDOs."""
    out = []
    for ext_id, stix_type, description in (
        (CLAIM_EXTENSION, "watchfloor-claim",
         "A claim: an attributed proposition consolidated across news reports, with the sentences it rests on, "
         "who asserts it, its modality and polarity, its status (corroborated, single_source, contested) and "
         "its Admiralty grade."),
        (EVENT_EXTENSION, "watchfloor-event",
         "An event of the PLOVER ontology between source and target actors, consolidated across news reports, "
         "with its date, place, evidence, status and Admiralty grade."),
    ):
        out.append(stix2.ExtensionDefinition(
            id=ext_id, created=DEFINED, modified=EXTENSION_VERSION[1], created_by_ref=PRODUCER, name=stix_type,
            description=description, schema=_schema_text(stix_type), version=EXTENSION_VERSION[0],
            extension_types=["new-sdo"], object_marking_refs=[marking]))
    return out
