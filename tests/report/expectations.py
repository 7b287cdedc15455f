"""Read the sample corpus's samples-expectations.md (written before tuning) and check an export against it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser

from watchfloor.analyze.gazetteer import gazetteer, normalise_name

_STOP = set("""a an the of to in on for and or with by from at as that this is are was were be been has have had
its it their they he she his her not no about into than more most said says say will would could may might
""".split())


@dataclass(frozen=True)
class Statement:
    file: str
    speaker: str
    modality: str
    polarity: str
    paraphrase: str


def read_statements(path: Path) -> list[Statement]:
    text = path.read_text(encoding="utf-8")
    section = text.split("## Statements, accusations and denials", 1)[1].split("\n## ", 1)[0]
    out = []
    header_files: list[str] = []
    for line in section.splitlines():
        if line.startswith("### "):  # "### a.html and wire.jsonl[x] (...)": the files "(both files)" means
            header_files = [f.strip() for f in line[4:].split(" (")[0].split(" and ")]
        if not line.startswith("- "):
            continue
        parts = [p.strip() for p in line[2:].split("|")]
        if len(parts) != 5:
            continue
        files = header_files if parts[0] == "(both files)" else [parts[0]]
        out.extend(Statement(f, *parts[1:]) for f in files)
    return out


def document_ids(samples: Path, export: dict[str, Any]) -> dict[str, str]:
    """Map samples-expectations.md file references (names, wire.jsonl[id], rss[n], atom[n]) to exported doc ids."""
    by_source: dict[str, str] = {}
    for document in export["documents"]:
        by_source[document["source_path"]] = document["id"]
    refs: dict[str, str] = {}
    for source, doc_id in by_source.items():
        relative = Path(source.split(":")[0].split("#")[0]).relative_to(samples).as_posix()
        refs.setdefault(relative, doc_id)
        refs.setdefault(Path(relative).name, doc_id)
    wire = samples / "feeds" / "wire.jsonl"
    for number, line in enumerate(wire.read_text(encoding="utf-8").splitlines(), start=1):
        record_id = json.loads(line)["id"]
        doc_id = by_source.get(f"{wire}:{number}")
        if doc_id:
            refs[f"wire.jsonl[{record_id}]"] = doc_id
    for label, name in (("rss", "baltic-morning-post-rss.xml"), ("atom", "kyiv-lantern-atom.xml")):
        path = samples / "feeds" / name
        for index, entry in enumerate(feedparser.parse(path.read_bytes()).entries, start=1):
            key = f"{path}#{entry.get('id') or entry.get('link')}"
            if key in by_source:
                refs[f"{label}[{index}]"] = by_source[key]
    return refs


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 2}


def _speaker_names(speaker: str) -> list[set[str]]:
    """Each alternative speaker as a set of name words, with the canonical name when the alias table knows it."""
    options = []
    for part in re.split(r"\s*/\s*|\s+and\s+|\(|\)|,", speaker):
        part = re.sub(r"\b(?:via|citing|office|spokesperson|spokesman)\b|['’]s\b", " ", part).strip()
        if not part:
            continue
        words = _words(part)
        hit = gazetteer().lookup(part)
        country = gazetteer().capital_country(part)
        # "US officials", "Russian officials": the officials' government, as the attribution canonicalises it
        qualifier = gazetteer().lookup(part.split()[0]) if len(part.split()) > 1 else None
        for entity in (hit.entity if hit else None, country, qualifier.entity if qualifier else None):
            if entity is not None:
                words |= _words(entity.name)
        if words:
            options.append(words)
    return options


#: the list's polarity marks: affirms, negates, neither (declines to confirm, no comment)
POLARITY = {"+": "positive", "−": "negative", "-": "negative", "0": "uncommitted"}


def stance(item: dict[str, Any]) -> tuple[str, str]:
    """(modality, polarity) as the list writes them: the export's "negated" is an assertion of the negative."""
    modality = "asserted" if item["modality"] == "negated" else item["modality"]
    return modality, item["polarity"]


def satisfied(statement: Statement, items: list[dict[str, Any]], with_stance: bool = True) -> bool:
    """Some claim or event of the document says what the line says: a matching speaker in its attribution
    chain, words of the paraphrase in its evidence, and (``with_stance``) the same modality and polarity."""
    speakers = _speaker_names(statement.speaker)
    wanted = _words(statement.paraphrase)
    for item in items:
        if with_stance and stance(item) != (statement.modality, POLARITY[statement.polarity]):
            continue
        # who stands behind it: the attribution chain, and for an act (an event) the actor who performed it
        # ("the Federation Council approved the ratification")
        behind = item["attributed_to"] + [a for a in item.get("actors", []) if a["role"] == "source"]
        # and for a plan, forecast or accusation in the outlet's own voice, the party it is about
        # ("he plans to raise it during a visit to Seoul")
        if item.get("subject") and all(a["entity_id"].startswith("outlet:") for a in item["attributed_to"]):
            behind.append(item["subject"])
        chain = set().union(*(_words(normalise_name(a["name"])) | _words(a["name"]) for a in behind))
        if not any(option & chain for option in speakers):
            continue
        evidence = _words(" ".join(e["text"] for e in item["evidence"]))
        if len(wanted & evidence) >= min(2, len(wanted)):
            return True
        # a short claim said in full by the paraphrase: "the reports" (denied) for "the reports are true"
        own = _words(item.get("text", ""))
        if own and own <= wanted:
            return True
    return False
