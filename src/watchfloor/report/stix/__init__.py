"""STIX 2.1 for partners: the export as a bundle (:mod:`.bundle`), TLP 2.0 markings (:mod:`.markings`), the
claim and event objects STIX lacks (:mod:`.objects`), and validation with stix2-validator (:mod:`.validate`).

Needs the ``share`` extra (stix2, stix2-validator, taxii2-client): ``pip install 'watchfloor[share]'``.
"""

from __future__ import annotations

from typing import Any

from ...errors import DependencyError

__all__ = ["to_stix"]


def to_stix(export: dict[str, Any]) -> dict[str, Any]:
    """The export as a STIX 2.1 bundle (a JSON-ready dict)."""
    try:
        from .bundle import build_bundle
    except ImportError as exc:
        raise DependencyError(f"STIX export needs the stix2 package ({exc.name} is missing): "
                              f"pip install 'watchfloor[share]'") from None
    import json

    return dict(json.loads(build_bundle(export).serialize()))
