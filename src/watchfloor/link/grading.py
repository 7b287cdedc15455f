"""Grading as analysts grade: the NATO/Admiralty system (MISP taxonomy ``admiralty-scale``).

A grade has two independent halves: how reliable the *source* is (A–F), set by people, and how credible the
*information* is (1–6), derived here from the picture of the claim. Both are pure functions of a
:class:`ClaimPicture` — the consolidated claim's status, the independent sources supporting it and those of the
claims contradicting it, each with its reliability — so that claim consolidation can re-derive the grade every
time a report arrives.

Source reliability (``A`` completely reliable, ``B`` usually reliable, ``C`` fairly reliable, ``D`` not usually
reliable, ``E`` unreliable, ``F`` reliability cannot be judged) comes from a :class:`ReliabilityTable` that
analysts fill per outlet or per named source (a TOML ``[reliability]`` table, ``"Outlet name" = "B"``). One
independent source of a claim is graded by its named source when the table grades it, otherwise by the best
grade of the outlets that carried it, otherwise ``F``. A claim's source reliability is the best grade among its
independent supporting sources: the information stands on its most reliable source.

Information credibility, from the claim's picture, in this order:

1. **Confirmed by other sources** — the claim is ``corroborated`` (two or more independent sources affirm it)
   and nothing contradicts it.
6. **Truth cannot be judged** — nothing contradicts it and it rests on a single independent source (or several
   that take no side): there is nothing to check it against.

A ``contested`` claim (a party denies it, or a competing figure was given) is weighed side against side. Each
independent source weighs by its reliability — A 5, B 4, C 3, D 2, E 1, and F 2 (a source nobody has judged
counts like a not usually reliable one, and above a known unreliable one) — and a side weighs the sum of its
sources. With ``ratio`` = supporting weight / contradicting weight:

2. **Probably true** — ratio ≥ 2: the supporting side is at least twice as strong;
3. **Possibly true** — 1 ≤ ratio < 2: the sides are balanced, or the supporting side is somewhat stronger;
4. **Doubtful** — 1/2 < ratio < 1: the contradicting side is somewhat stronger;
5. **Improbable** — ratio ≤ 1/2: contested by sources at least twice as strong.

With nothing set in the table every source weighs the same, and the ratio compares counts of independent
sources: one source against one ("Ukraine says …; Russia denies") is 3, possibly true.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

from ..errors import ConfigError
from ..ids import name_key
from ..model import Reliability

__all__ = [
    "ClaimPicture",
    "Credibility",
    "Grading",
    "GradedSource",
    "Reliability",
    "ReliabilityTable",
    "grade",
    "graded_sources",
    "information_credibility",
    "misp_tags",
    "reliability_weight",
    "source_reliability",
]


class Credibility(IntEnum):
    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_BE_JUDGED = 6

    @property
    def label(self) -> str:
        return _CREDIBILITY_LABELS[self]


def reliability_weight(reliability: Reliability) -> int:
    return _WEIGHTS[reliability]


_CREDIBILITY_LABELS = {
    Credibility.CONFIRMED: "confirmed by other sources", Credibility.PROBABLY_TRUE: "probably true",
    Credibility.POSSIBLY_TRUE: "possibly true", Credibility.DOUBTFUL: "doubtful",
    Credibility.IMPROBABLE: "improbable", Credibility.CANNOT_BE_JUDGED: "truth cannot be judged",
}
_WEIGHTS = {Reliability.A: 5, Reliability.B: 4, Reliability.C: 3, Reliability.D: 2, Reliability.E: 1,
            Reliability.F: 2}


@dataclass(frozen=True)
class GradedSource:
    """One independent source of a claim (``key`` as consolidation counts independence) and its grade."""

    key: str
    reliability: Reliability = Reliability.F


@dataclass(frozen=True)
class ClaimPicture:
    """What grading needs of a consolidated claim."""

    status: str  # corroborated | single_source | contested
    supporting: tuple[GradedSource, ...]
    contradicting: tuple[GradedSource, ...] = ()


@dataclass(frozen=True)
class Grading:
    reliability: Reliability
    credibility: Credibility

    @property
    def code(self) -> str:
        """The grade as analysts write it: "B2"."""
        return f"{self.reliability.value}{self.credibility.value}"

    @classmethod
    def parse(cls, code: str) -> Grading:
        """"B2" back into a grading."""
        return cls(Reliability(code[0]), Credibility(int(code[1:])))


def graded_sources(reports: Iterable[tuple[str, Reliability | None]]) -> tuple[GradedSource, ...]:
    """One graded source per independent source from its reports, each given as (independent source, the grade
    that report gives it — see :meth:`ReliabilityTable.report`): the best grade any report gives, else F."""
    best: dict[str, Reliability | None] = {}
    for key, given in reports:
        held = best.get(key)
        if key not in best or (given is not None and (held is None or _order(given) < _order(held))):
            best[key] = given
    return tuple(GradedSource(key, given or Reliability.F) for key, given in best.items())


def _independent(sources: Iterable[GradedSource]) -> list[GradedSource]:
    """One entry per independent source, with the best grade it was given."""
    best: dict[str, GradedSource] = {}
    for source in sources:
        held = best.get(source.key)
        if held is None or _order(source.reliability) < _order(held.reliability):
            best[source.key] = source
    return list(best.values())


_ORDER = {r: i for i, r in enumerate(Reliability)}  # A first


def _order(reliability: Reliability) -> int:
    return _ORDER[reliability]


def source_reliability(picture: ClaimPicture) -> Reliability:
    """The best grade among the claim's independent supporting sources (F when there are none)."""
    return min((s.reliability for s in picture.supporting), key=_order, default=Reliability.F)


def information_credibility(picture: ClaimPicture) -> Credibility:
    """1–6 from the claim's status and the weight of the sources on each side (module docstring)."""
    supporting = _independent(picture.supporting)
    contradicting = _independent(picture.contradicting)
    if picture.status != "contested" or not contradicting:
        if picture.status == "corroborated" and len(supporting) >= 2:
            return Credibility.CONFIRMED
        return Credibility.CANNOT_BE_JUDGED
    ratio = sum(_WEIGHTS[s.reliability] for s in supporting) / sum(_WEIGHTS[s.reliability] for s in contradicting)
    if ratio >= 2:
        return Credibility.PROBABLY_TRUE
    if ratio >= 1:
        return Credibility.POSSIBLY_TRUE
    if ratio > 0.5:
        return Credibility.DOUBTFUL
    return Credibility.IMPROBABLE


def grade(picture: ClaimPicture) -> Grading:
    return Grading(source_reliability(picture), information_credibility(picture))


def misp_tags(grading: Grading) -> list[str]:
    """The grade as MISP machine tags of the ``admiralty-scale`` taxonomy."""
    return [f'admiralty-scale:source-reliability="{grading.reliability.value.lower()}"',
            f'admiralty-scale:information-credibility="{grading.credibility.value}"']


def _parse_grade(value: object, where: str) -> Reliability:
    """"B", "b" or "F — cannot be judged"; anything else is an error naming the entry."""
    try:
        return Reliability.parse(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


@dataclass(frozen=True)
class ReliabilityTable:
    """Analysts' grades of outlets and named sources, looked up by name (case and spacing ignored)."""

    grades: Mapping[str, Reliability] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object], where: str = "reliability") -> ReliabilityTable:
        return cls({name_key(name): _parse_grade(value, f"{where}: {name!r}") for name, value in mapping.items()})

    @classmethod
    def from_grades(cls, grades: Sequence[tuple[str, str]]) -> ReliabilityTable:
        """(name, grade) pairs as the store keeps them."""
        return cls({name_key(name): Reliability(grade) for name, grade in grades})

    @classmethod
    def from_toml(cls, path: Path) -> ReliabilityTable:
        """The ``[reliability]`` table of a TOML file (a missing table grades nothing)."""
        return cls.from_mapping(read_toml_grades(path), str(path))

    def of(self, name: str | None) -> Reliability | None:
        # every report of every claim re-scored asks: with nothing graded (a new desk), no key is built
        return self.grades.get(name_key(name)) if name and self.grades else None

    def report(self, named: str | None, outlet: str) -> Reliability | None:
        """The grade one report gives its independent source: the named source's, else its outlet's, else none."""
        own = self.of(named)
        return own if own is not None else self.of(outlet)

    def source(self, named: str | None, outlets: Iterable[str]) -> Reliability:
        """One independent source: its named source's grade, else its outlets' best grade, else F."""
        return graded_sources([("", self.report(named, o)) for o in outlets] or [("", None)])[0].reliability


def read_toml_grades(path: Path) -> dict[str, str]:
    """The ``[reliability]`` table of a TOML file as names and grade letters, every grade checked."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the reliability file ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not a valid TOML file ({exc})") from None
    table = data.get("reliability", {})
    if not isinstance(table, dict):
        raise ConfigError(f'{path}: [reliability] must be a table of "name" = "grade" lines')
    return {str(name): _parse_grade(value, f"{path}: {name!r}").value for name, value in table.items()}
