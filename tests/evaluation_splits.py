"""The texts of the evaluation sets, by role: the declared *test* splits (reported on, never tuned on, never
quoted) and the material we may look at (development and training splits, other news). Read from the shared
data folder by path; nothing of it is copied into the repository."""

from __future__ import annotations

import json
import re
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["allowed_material", "data_folder", "declared_test_splits"]

_TAGS = re.compile(r"<[^>]+>")


def data_folder() -> Path:
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _conll(path: Path) -> Iterator[str]:
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("-DOCSTART-"):
            if words:
                yield " ".join(words)
            words = []
        else:
            words.append(line.split(" ", 1)[0])
    if words:
        yield " ".join(words)


def _toponym_corpus(path: Path, element: str = "text") -> Iterator[str]:
    for node in ET.parse(path).getroot().iter(element):
        if node.text:
            yield node.text


def _ecb_tokens(path: Path) -> str:
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    return " ".join(t.text or "" for t in root.iter("token"))


def _plover(data: Path, held_out: bool) -> Iterator[str]:
    path = data / "event_coding" / "plover_gsr" / "PLOVER_GSR_CAMEO.json"
    records = [r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("event") != "DOCUMENT"]
    for i, record in enumerate(records):
        if bool(i % 2) == held_out:
            yield record["text"]


def declared_test_splits(data: Path) -> dict[str, list[str]]:
    """Every declared test split: LGL, GeoWebNews, CoNLL eng.testb, TempEval-3 platinum, PolNeAR test, the
    PLOVER held-out (odd) half, ECB+ test topics 36-45."""
    geo = data / "geoparsing"
    return {
        "LGL": list(_toponym_corpus(geo / "lgl.xml")),
        "GeoWebNews": [p.read_text(encoding="utf-8") for p in sorted((geo / "GeoWebNews").rglob("*.txt"))],
        "CoNLL eng.testb": list(_conll(data / "conll2003" / "eng.testb.iob2.txt")),
        "TempEval-3 platinum": [_TAGS.sub(" ", p.read_text(encoding="utf-8"))
                                for p in sorted((data / "tempeval3" / "te3-platinum").glob("*.tml"))],
        "PolNeAR test": [p.read_text(encoding="utf-8") for p in sorted((data / "polnear" / "test" / "text").glob("*"))],
        "PLOVER held-out half": list(_plover(data, held_out=True)),
        "ECB+ test topics": [_ecb_tokens(p) for p in sorted((data / "ecbplus" / "test_topics_36-45").rglob("*.xml"))],
    }


def allowed_material(data: Path) -> Iterator[str]:
    """Material a rule may have been written from: development and training splits and other news."""
    geo = data / "geoparsing"
    yield from _toponym_corpus(geo / "TR-News.xml")
    yield from _toponym_corpus(geo / "GeoVirus.xml", "text")
    yield from _conll(data / "conll2003" / "eng.testa.iob2.txt")
    for path in sorted((data / "tempeval3" / "TBAQ-cleaned").rglob("*.tml")):
        yield _TAGS.sub(" ", path.read_text(encoding="utf-8"))
    for split in ("train", "dev"):
        for path in sorted((data / "polnear" / split / "text").glob("*")):
            yield path.read_text(encoding="utf-8")
    yield from _plover(data, held_out=False)
    for line in (data / "voa_news" / "voa_stories.jsonl").read_text(encoding="utf-8").splitlines():
        yield json.loads(line).get("text", "")
    for line in (data / "real_news_dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        yield json.loads(line).get("text", "")
    truth = data / "article_extraction_benchmark" / "ground-truth.json"
    for record in json.loads(truth.read_text(encoding="utf-8")).values():
        yield record.get("articleBody") or ""
    with zipfile.ZipFile(data / "ruwa_ukraine_war_news" / "RUWA_01.08.23.csv.zip") as bundle:
        for name in bundle.namelist():
            if name.endswith(".csv"):
                yield bundle.read(name).decode("utf-8", errors="replace")
    archive = data / "ecbplus" / "ECB+_all_topics.tar.gz"
    if archive.exists():
        with tarfile.open(archive) as tar:
            for member in tar:
                topic = member.name.split("/")[-2] if "/" in member.name else ""
                if member.isfile() and member.name.endswith(".xml") and topic.isdigit() and int(topic) < 36:
                    handle = tar.extractfile(member)
                    if handle is not None:
                        root = ET.fromstring(handle.read().decode("utf-8"))
                        yield " ".join(t.text or "" for t in root.iter("token"))
