"""Reports not in English: their language is recorded at ingest, and the English analysis leaves them alone,
saying why. Sentences are our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from watchfloor.analyze import analyze_documents
from watchfloor.config import Settings
from watchfloor.ingest.language import detect_language
from watchfloor.ingest.records import read_jsonl
from watchfloor.model import Document
from watchfloor.pipeline import ingest_documents
from watchfloor.report.briefing import build_briefing
from watchfloor.report.briefing_render import render_markdown
from watchfloor.store import open_store

REPORTS = {
    "ru": "Министерство обороны сообщило, что войска отошли от границы. Губернатор объявил эвакуацию жителей "
          "трёх сёл, переговоры продолжатся на следующей неделе.",
    "uk": "Міністерство оборони повідомило, що війська відійшли від кордону. Губернатор оголосив евакуацію "
          "жителів трьох сіл, переговори триватимуть наступного тижня.",
    "ko": "국방부는 군대가 국경에서 철수했다고 밝혔다. 주지사는 세 마을 주민들에게 대피를 명령했으며 협상은 다음 주에 "
          "계속될 예정이다.",
    "en": "The defence ministry said troops had pulled back from the border. The governor ordered three villages "
          "evacuated, and talks will go on next week.",
}


@pytest.mark.parametrize(("language", "text"), list(REPORTS.items()))
def test_the_language_is_identified(language: str, text: str) -> None:
    assert detect_language(text) == language


def test_the_mapped_model_answers_as_the_package_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The identifier read from our cache of flat tables (built here, in an empty cache, then mapped from it) gives
    py3langid's own label and score for every text."""
    import py3langid

    from watchfloor.ingest import language

    monkeypatch.setenv("WATCHFLOOR_CACHE_DIR", str(tmp_path))
    for _ in ("built", "mapped"):
        language._identifier.cache_clear()
        ours = language._identifier()
        for text in REPORTS.values():
            assert ours.classify(text) == py3langid.classify(text)
    assert len(list(tmp_path.glob("langid-*.tables"))) == 1
    language._identifier.cache_clear()


def test_too_little_text_to_tell_is_taken_as_english() -> None:
    assert detect_language("12 : 40 — 7") == "en"


def test_ingest_records_the_language_and_the_analysis_skips_other_languages() -> None:
    lines = "\n".join(json.dumps({"id": code, "outlet": f"Desk {code}", "title": code, "published": "2025-02-01",
                                  "text": text}) for code, text in REPORTS.items())
    documents = [d for d in read_jsonl(lines, "reports.jsonl") if isinstance(d, Document)]
    assert [d.language for d in documents] == ["ru", "uk", "ko", "en"]
    analyses = {d.language: a for d, a in analyze_documents(documents)}
    for code in ("ru", "uk", "ko"):
        skipped = analyses[code]
        assert skipped.not_analysed is not None and f"'{code}'" in skipped.not_analysed
        assert skipped.mentions == () and skipped.claims == () and skipped.quantities == ()
    english = analyses["en"]
    assert english.not_analysed is None and english.claims and english.sentences


def test_a_report_not_analysed_is_stored_searchable_counted_and_listed(location: str) -> None:
    lines = "\n".join(json.dumps({"id": code, "outlet": f"Desk {code}", "title": f"Report {code}",
                                  "published": "2025-02-01", "text": text}) for code, text in REPORTS.items())
    documents = [d for d in read_jsonl(lines, "reports.jsonl") if isinstance(d, Document)]
    settings = Settings(db=location)
    with open_store(location, "create") as store:
        assert ingest_documents(iter(documents), store, settings).added == 4
        with store.read() as reader:
            counts = reader.stats()
            assert [h.title for h in reader.search("эвакуацию")] == ["Report ru"]
            assert reader.search_claims("эвакуацию") == []  # nothing was claimed from it
        assert counts["documents"] == 4 and counts["not_analysed_language"] == 3
        assert counts["documents_in_ru"] == counts["documents_in_en"] == 1
        briefing = build_briefing(store)
    assert sorted(s.language for s in briefing.not_analysed) == ["ko", "ru", "uk"]
    markdown = render_markdown(briefing)
    assert "### Not analysed" in markdown and "“Report ko” (ko)" in markdown
    assert "“Report en”" not in markdown.split("### Not analysed")[1].split("## Sources")[0]
