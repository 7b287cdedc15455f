from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.errors import ConfigError
from watchfloor.link.grading import (
    ClaimPicture,
    Credibility,
    GradedSource,
    Reliability,
    ReliabilityTable,
    grade,
    information_credibility,
    misp_tags,
    source_reliability,
)


def _sources(*grades: str, prefix: str = "s") -> tuple[GradedSource, ...]:
    return tuple(GradedSource(f"{prefix}{i}", Reliability(g)) for i, g in enumerate(grades))


def test_corroborated_and_uncontested_is_confirmed() -> None:
    assert information_credibility(ClaimPicture("corroborated", _sources("F", "F"))) is Credibility.CONFIRMED


def test_single_source_cannot_be_judged_whatever_its_reliability() -> None:
    assert information_credibility(ClaimPicture("single_source", _sources("A"))) is Credibility.CANNOT_BE_JUDGED
    # two reports of one source are one source
    twice = (GradedSource("nis", Reliability.B), GradedSource("nis", Reliability.B))
    assert information_credibility(ClaimPicture("corroborated", twice)) is Credibility.CANNOT_BE_JUDGED


@pytest.mark.parametrize(("supporting", "contradicting", "expected"), [
    (("F",), ("F",), Credibility.POSSIBLY_TRUE),          # one against one, nobody graded
    (("F", "F"), ("F",), Credibility.PROBABLY_TRUE),      # twice the sources
    (("F",), ("F", "F"), Credibility.IMPROBABLE),         # contested by twice the sources
    (("B",), ("E",), Credibility.PROBABLY_TRUE),          # 4 against 1
    (("C",), ("B",), Credibility.DOUBTFUL),               # 3 against 4
    (("E",), ("B",), Credibility.IMPROBABLE),             # contested by a stronger source
    (("C", "C"), ("A",), Credibility.POSSIBLY_TRUE),      # 6 against 5
])
def test_contested_claims_weigh_side_against_side(supporting: tuple[str, ...], contradicting: tuple[str, ...],
                                                  expected: Credibility) -> None:
    picture = ClaimPicture("contested", _sources(*supporting), _sources(*contradicting, prefix="c"))
    assert information_credibility(picture) is expected


def test_source_reliability_is_the_best_independent_source() -> None:
    picture = ClaimPicture("corroborated", _sources("D", "B", "F"))
    assert source_reliability(picture) is Reliability.B
    assert source_reliability(ClaimPicture("single_source", ())) is Reliability.F
    graded = grade(picture)
    assert graded.code == "B1"
    assert misp_tags(graded) == ['admiralty-scale:source-reliability="b"',
                                 'admiralty-scale:information-credibility="1"']


def test_table_grades_named_source_first_then_outlets(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[reliability]\n"Meridian  Wire" = "B"\n"Kyiv Lantern" = "d"\n'
                    '"National Intelligence Service" = "A — completely reliable"\n')
    table = ReliabilityTable.from_toml(path)
    assert table.source("national intelligence service", ["Kyiv Lantern"]) is Reliability.A
    assert table.source("Someone unknown", ["Kyiv Lantern", "Meridian Wire"]) is Reliability.B
    assert table.source(None, ["Unknown Outlet"]) is Reliability.F


@pytest.mark.parametrize("body", ['[reliability]\n"X" = "G"\n', '[reliability]\n"X" = "Bad"\n',
                                  '[reliability]\n"X" = 3\n', 'reliability = "A"\n', '[reliability\n'])
def test_bad_reliability_files_name_the_problem(tmp_path: Path, body: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(ConfigError, match="bad.toml"):
        ReliabilityTable.from_toml(path)


def test_missing_reliability_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        ReliabilityTable.from_toml(tmp_path / "absent.toml")
