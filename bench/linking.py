"""``make bench-linking``: story clustering, event coreference, syndication and linking cost, one table.

    .venv/bin/python -m bench.linking --data ../shared/data [--only stories syndication cost] [--tune-events]

- story_clustering: ECB+, all 982 documents, blind (no topic ids), in a seeded random arrival order,
  B³ and CoNLL F1 against the sub-topics; baseline TF-IDF + average-link agglomerative clustering whose
  distance cut is chosen on topics 1–35 in the same run.
- event_coref: ECB+ test topics 36–45, gold event mentions, blocked by our predicted stories; CoNLL F1
  (mean of MUC, B³, CEAF-e) against the same-lemma baseline in the same stories.
- syndication: copies and look-alikes built from the VOA stories (bench/linking_syndication.py);
  precision, recall and F1 of copy detection against an exact-hash baseline.
- linking_cost: wall time of storing and linking a batch of 100 new documents (analyses precomputed) into
  stores holding 1k, 10k and 100k synthetic documents, on SQLite and on PostgreSQL (a server started here);
  the median of five batches (bench/linking_cost.py, the history of the larger stores: bench/linking_seed.py).
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from watchfloor.analyze.embeddings import default_embedder
from watchfloor.analyze.entities import extract_mentions
from watchfloor.analyze.nlp import pipe
from watchfloor.link.event_coref import EventCorefOptions, cluster_mentions
from watchfloor.link.stories import StoryOptions, content_terms, link_all, story_doc
from watchfloor.model import Document, DocumentAnalysis

from .common import RESULTS, data_argument, merge_rows, print_rows
from .linking_cost import BATCH, TEMPLATE, measure, record_template
from .linking_ecb import TEST_TOPICS, EcbDoc, load_ecb
from .linking_events import ParsedDoc, fit_pair_model, mention_features, same_lemma_baseline
from .linking_scores import b_cubed, ceaf_e, conll_f1, muc
from .linking_syndication import build_set, load_voa, score_set
from .quality.scoring import row

TASKS = {"story_clustering", "event_coref", "syndication", "linking_cost"}
SECTIONS = ("stories", "syndication", "cost")
ORDER_SEED = 2024


def _present(path: Path) -> bool:
    if not path.exists():
        print(f"skipped: {path} not found; pass --data pointing at the shared evaluation data", file=sys.stderr)
        return False
    return True


def parse_ecb(docs: list[EcbDoc]) -> tuple[dict[str, ParsedDoc], dict[str, DocumentAnalysis]]:
    """spaCy once per document: tokens for event triggers, watchfloor's entity mentions for stories."""
    parsed, analyses = {}, {}
    for doc, spacy_doc in zip(docs, pipe(d.text for d in docs), strict=True):
        mentions = extract_mentions(spacy_doc, doc.name)
        analyses[doc.name] = DocumentAnalysis(doc.name, mentions=mentions)
        parsed[doc.name] = ParsedDoc(
            tuple((t.idx, t.idx + len(t.text), t.lemma_, t.pos_) for t in spacy_doc),
            tuple((m.entity.key, m.span.start, m.span.end) for m in mentions))
    return parsed, analyses


def _lead(doc: EcbDoc, lines: int = 3) -> str:
    return " ".join(doc.text.split("\n")[:lines])


def tfidf_agglomerative(docs: list[EcbDoc], tune_on: set[str]) -> dict[str, int]:
    """The baseline: TF-IDF over all documents, average-link clustering cut at the distance best on ``tune_on``."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    counts = [content_terms(d.text)[0] for d in docs]
    df = Counter(t for c in counts for t in c)
    vocab = {t: i for i, t in enumerate(df)}
    matrix = np.zeros((len(docs), len(vocab)), dtype=np.float32)
    for i, c in enumerate(counts):
        for term, n in c.items():
            matrix[i, vocab[term]] = (1 + math.log(n)) * (math.log((len(docs) + 1) / (df[term] + 1)) + 1)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)

    def clusterer(subset: list[int]) -> Callable[[float], dict[str, int]]:
        distances = np.clip(1.0 - matrix[subset] @ matrix[subset].T, 0.0, None)
        np.fill_diagonal(distances, 0.0)
        tree = linkage(squareform(distances, checks=False), "average")
        return lambda cut: {docs[i].name: int(label)
                            for i, label in zip(subset, fcluster(tree, cut, "distance"), strict=True)}

    train = [i for i, d in enumerate(docs) if d.name in tune_on]
    gold = {docs[i].name: docs[i].subtopic for i in train}
    on_train = clusterer(train)
    cut = max(np.arange(0.5, 1.0, 0.025), key=lambda c: b_cubed(gold, on_train(float(c)))[2])
    return clusterer(list(range(len(docs))))(float(cut))


def story_rows(ecb: Path, tune_events: bool) -> list[dict[str, Any]]:
    started = time.perf_counter()
    docs = load_ecb(ecb)
    parsed, analyses = parse_ecb(docs)
    print(f"  ECB+: {len(docs)} documents parsed in {time.perf_counter() - started:.0f} s", flush=True)
    embedder = default_embedder()
    embeddings = embedder.embed([_lead(d) for d in docs])
    features = {d.name: story_doc(Document(d.name, "", d.text, d.outlet), analyses[d.name], embeddings[i])
                for i, d in enumerate(docs)}
    order = [d.name for d in docs]
    random.Random(ORDER_SEED).shuffle(order)
    predicted = link_all([features[name] for name in order], StoryOptions())
    baseline = tfidf_agglomerative(docs, {d.name for d in docs if d.topic not in TEST_TOPICS})
    gold = {d.name: d.subtopic for d in docs}
    test_gold = {d.name: d.subtopic for d in docs if d.topic in TEST_TOPICS}
    rows = []
    for dataset, g in ((f"ECB+ all {len(docs)} docs, blind", gold), ("ECB+ test topics 36-45", test_gold)):
        ours = {n: predicted[n] for n in g}
        base = {n: baseline[n] for n in g}
        rows.append(row("story_clustering", dataset, "B3 F1", b_cubed(g, ours)[2], b_cubed(g, base)[2],
                        "TF-IDF + average-link agglomerative"))
        rows.append(row("story_clustering", dataset, "CoNLL F1", conll_f1(g, ours), conll_f1(g, base),
                        "TF-IDF + average-link agglomerative"))
    print(f"  stories: {len(set(predicted.values()))} predicted, {len(set(gold.values()))} gold "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    rows += event_rows(docs, parsed, predicted, tune_events)
    print(f"  event coreference done ({time.perf_counter() - started:.0f} s)", flush=True)
    return rows


def event_rows(docs: list[EcbDoc], parsed: dict[str, ParsedDoc], stories: dict[str, str],
               tune: bool) -> list[dict[str, Any]]:
    embedder = default_embedder()
    options = EventCorefOptions()
    if tune:
        train_docs = [d for d in docs if d.topic not in TEST_TOPICS]
        train = mention_features(train_docs, parsed, {d.name: d.subtopic for d in train_docs}, embedder)
        fitted = fit_pair_model(train)
        gold = {m.id: m.gold for m, _ in train}
        best = max((0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5),
                   key=lambda t: conll_f1(gold, cluster_mentions([f for _, f in train], replace(fitted, threshold=t))))
        options = replace(fitted, threshold=best)
        print(f"  fitted on topics 1-35: {options}", flush=True)
    test_docs = [d for d in docs if d.topic in TEST_TOPICS]
    random.Random(ORDER_SEED).shuffle(test_docs)  # arrival order: documents shuffled, mentions in text order
    mentions = mention_features(test_docs, parsed, stories, embedder)
    gold = {m.id: m.gold for m, _ in mentions}
    ours = cluster_mentions([f for _, f in mentions], options)
    base = same_lemma_baseline([f for _, f in mentions])
    dataset = f"ECB+ test topics 36-45, {len(mentions)} gold mentions, predicted stories"
    name = "same head lemma in one story"
    rows = [row("event_coref", dataset, "CoNLL F1", conll_f1(gold, ours), conll_f1(gold, base), name)]
    for metric, score in (("MUC F1", muc), ("B3 F1", b_cubed), ("CEAF-e F1", ceaf_e)):
        rows.append(row("event_coref", dataset, metric, score(gold, ours)[2], score(gold, base)[2], name))
    return rows


def syndication_rows(voa: Path) -> list[dict[str, Any]]:
    docs, pairs = build_set(load_voa(voa))
    ours, baseline = score_set(docs, pairs)
    copies = sum(p.copy for p in pairs)
    dataset = f"VOA-built copies: {copies} copy / {len(pairs) - copies} non-copy pairs"
    name = "exact hash of normalised text"
    return [row("syndication", dataset, "precision", ours.precision, baseline.precision, name),
            row("syndication", dataset, "recall", ours.recall, baseline.recall, name),
            row("syndication", dataset, "F1", ours.f1, baseline.f1, name)]


def cost_rows(voa: Path, sizes: tuple[int, ...] = (1_000, 10_000, 100_000), pg_sizes: tuple[int, ...] | None = None,
              probes: int = 5) -> list[dict[str, Any]]:
    import tempfile

    from tests.postgres import start_server

    from watchfloor.store import open_store

    stories = load_voa(voa)
    embeddings = default_embedder().embed([f"{s.title}. {s.text[:400]}" for s in stories])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        with open_store(f"{tmp}/template.db", "create") as store:
            template = record_template(store, stories, embeddings)
        print(f"  history template: {TEMPLATE} reports linked, {len(template)} writes recorded "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
        server = start_server()
        try:
            locations = {"SQLite": (lambda name: f"{tmp}/{name}.db", sizes),
                         "PostgreSQL": (server.create_database, sizes if pg_sizes is None else pg_sizes)}
            measured = measure(locations, stories, embeddings, template, probes)
        finally:
            server.stop()
    for engine, points in measured.items():
        if not points:  # an engine measured at no size in this run keeps its earlier rows
            continue
        dataset = f"synthetic news from VOA, 50 docs/day, batches of {BATCH}, median of {probes}; {engine}"
        rows += [row("linking_cost", dataset, f"ms per batch at {round(p.size / 1000)}k", p.median_ms, None, "")
                 for p in points]
        rows.append(row("linking_cost", dataset, f"ratio {round(points[-1].size / 1000)}k / "
                        f"{round(points[0].size / 1000)}k", points[-1].median_ms / points[0].median_ms, 1.5,
                        "target ceiling"))
    return rows


def main() -> None:
    parser = data_argument(__doc__ or "")
    parser.add_argument("--only", nargs="*", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--tune-events", action="store_true", help="refit the event pair model on ECB+ topics 1-35")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000],
                        help="store sizes the linking cost is measured at")
    parser.add_argument("--postgresql-sizes", type=int, nargs="*",
                        help="the sizes on PostgreSQL, when not those of --sizes; the flag alone skips PostgreSQL")
    args = parser.parse_args()
    sections = args.only or SECTIONS
    rows: list[dict[str, Any]] = []
    ecb, voa = args.data / "ecbplus", args.data / "voa_news" / "voa_stories.jsonl"
    if "stories" in sections and _present(ecb):
        rows += story_rows(ecb, args.tune_events)
    if "syndication" in sections and _present(voa):
        rows += syndication_rows(voa)
    if "cost" in sections and _present(voa):
        rows += cost_rows(voa, tuple(args.sizes),
                          None if args.postgresql_sizes is None else tuple(args.postgresql_sizes))
    if rows:
        merge_rows(RESULTS / "linking.json", rows)  # by (task, dataset): a run of one engine keeps the other's
        print_rows("linking: watchfloor vs side-by-side baselines", rows)


if __name__ == "__main__":
    main()
