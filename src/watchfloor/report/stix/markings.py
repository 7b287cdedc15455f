"""TLP 2.0 as STIX 2.1 marking definitions.

STIX 2.1 predefines only TLP 1.0 (white, green, amber, red). TLP 2.0 is published by the OASIS CTI TC as five
fixed marking-definition objects carrying a property extension (``tlp_2_0``); their ids, names and creation
time are part of the published objects and must be used as they are, so that a partner's platform recognises
them. A bundle references them and carries them.
"""

from __future__ import annotations

from typing import Any

from ...model import Tlp

__all__ = ["TLP2_EXTENSION", "marking_definition", "marking_id", "tlp_of_marking"]

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
_CREATED = "2022-10-01T00:00:00.000Z"
_IDS = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
_LEVELS = {marking: level for level, marking in _IDS.items()}


def marking_id(level: Tlp) -> str:
    return _IDS[level]


def tlp_of_marking(marking: str) -> Tlp | None:
    """The TLP 2.0 level a marking-definition id stands for (None for any other marking)."""
    return _LEVELS.get(marking)


def marking_definition(level: Tlp) -> Any:
    """The published marking-definition object of a TLP 2.0 level, as a stix2 object."""
    import stix2

    return stix2.MarkingDefinition(
        id=_IDS[level], created=_CREATED, name=f"TLP:{level.value.upper()}",
        extensions={TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level.value}},
    )
