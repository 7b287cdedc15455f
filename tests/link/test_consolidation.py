"""Status across sources: corroborated, contested, single source — and reports that take no side."""

from __future__ import annotations

from datetime import date

from watchfloor.link.consolidation import Occurrence, consolidate
from watchfloor.model import EntityRef, Modality, Span


def _occurrence(doc: str, asserting: str, stance: str, modality: Modality = Modality.ASSERTED) -> Occurrence:
    text = "the garrison was moved north"
    return Occurrence(
        key="statement|x|garrison|moved", kind="statement", doc_id=doc, outlet=f"outlet {doc}", origin=doc,
        asserting=asserting, stance=stance, when=date(2025, 3, 4), text=text, evidence=Span(doc, 0, len(text), text),
        modality=modality, attributed_to=(EntityRef(asserting, asserting, "source"),))


def _by_stance(groups):  # type: ignore[no-untyped-def]
    return {g.stance: g for g in groups}


def test_sources_that_take_no_side_neither_corroborate_nor_contest() -> None:
    groups = _by_stance(consolidate([
        _occurrence("a", "ministry", "positive"),
        _occurrence("b", "observers", "positive"),
        _occurrence("c", "kremlin", "uncommitted"),
        _occurrence("d", "nato", "uncommitted"),
    ]))
    assert set(groups) == {"positive", "uncommitted"}
    assert groups["positive"].status == "corroborated"
    assert groups["positive"].contradicted_by == []
    # two parties declining to confirm is not corroboration of anything
    assert groups["uncommitted"].status == "single_source"
    assert groups["uncommitted"].independent_sources == 2


def test_a_denial_by_another_party_contests_but_a_non_commitment_does_not() -> None:
    groups = _by_stance(consolidate([
        _occurrence("a", "ministry", "positive"),
        _occurrence("b", "rebels", "negative", Modality.DENIED),
        _occurrence("c", "kremlin", "uncommitted"),
    ]))
    assert groups["positive"].status == "contested"
    assert groups["positive"].contradicted_by == [groups["negative"].id]
    assert groups["uncommitted"].contradicted_by == []
