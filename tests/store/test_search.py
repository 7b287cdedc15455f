"""Full-text search's two ways to the window of latest matches on PostgreSQL, and the page's snippets on SQLite."""

from __future__ import annotations

import random
import re
import threading

import pytest
from sqlalchemy import text

from watchfloor.config import Settings
from watchfloor.model import Document
from watchfloor.pipeline import ingest_documents
from watchfloor.store import Store, open_store
from watchfloor.store import search as search_module
from watchfloor.store import snippets as snippets_module
from watchfloor.store.search import SearchReads, fts5_query, websearch_query
from watchfloor.store.snippets import SNIPPET_WORDS, page_snippets, postgresql_snippets

REPORTS = (
    "The convoy reached the border crossing at dawn, officials said. Aid workers unloaded food for the town.",
    "Talks on the ceasefire resumed in the capital. The envoy said the convoy would wait at the border.",
    "The minister said the convoys carried medicine. Residents reported shelling near the crossing overnight.",
    "Officials said the border stayed closed. The envoy denied that any convoy had been stopped.",
    "Farmers said the harvest was late this year. The market reopened on Tuesday.",
)


def _store(location: str) -> None:
    documents = [Document(id=f"r{i}", title=f"Report {i}", text=body, outlet="Herald", content_hash=str(i))
                 for i, body in enumerate(REPORTS, 1)]
    with open_store(location, "create") as store:
        for document in documents:  # one batch each: each stored at a moment of its own
            ingest_documents(iter([document]), store, Settings(db=location))


def test_both_postgresql_plans_give_the_same_hits(location: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """All the matches from the GIN index then the latest, or the latest walked until the window is full: the
    same documents and claims, in the same order, with the same snippets, for common, rare and absent words."""
    if not location.startswith("postgresql"):
        pytest.skip("the choice between two plans is PostgreSQL's")
    _store(location)
    queries = ("convoy", "border envoy", "convoy OR harvest", "convoy NOT envoy", "ceasefire", "nothing-like-this")
    found: dict[bool, list[object]] = {}
    cut: dict[bool, list[object]] = {}
    with open_store(location, "read") as store:
        for few in (True, False):
            monkeypatch.setattr(SearchReads, "_few_matches", lambda self, table, query, *_, few=few: few)
            with store.read() as r:
                found[few] = [(r.search(q), r.search_claims(q)) for q in queries]
                cut[few] = [(r.search(q, levels=("clear",)), r.search_claims(q, levels=("clear", "green")),
                             r.search(q, levels=("red",)), r.search_claims(q, levels=("red",))) for q in queries]
    assert found[True] == found[False] and cut[True] == cut[False]
    assert [c[:2] for c in cut[True]] == found[True]  # every report is TLP:CLEAR
    assert all(c[2:] == ([], []) for c in cut[True])
    convoy, border_envoy = found[True][0][0], found[True][1][0]
    assert [h.doc_id for h in convoy] and {h.doc_id for h in convoy} == {"r1", "r2", "r3", "r4"}
    assert {h.doc_id for h in border_envoy} == {"r2", "r4"}
    assert all("[convoy" in h.snippet.lower() for h in convoy if h.doc_id != "r3")  # r3 says "convoys"
    assert found[True][5] == ([], [])


def test_common_words_walk_and_rare_ones_use_the_index(location: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The choice follows the planner's estimate of the matches against the window and the table's rows."""
    if not location.startswith("postgresql"):
        pytest.skip("the choice between two plans is PostgreSQL's")
    _store(location)
    with open_store(location, "write") as store, store.write() as w:
        w.connection.execute(text("ANALYZE documents"))
    monkeypatch.setattr(search_module, "SEARCH_WINDOW", 1)  # 5 documents: a word in 4 fills a window of 1 at once
    with open_store(location, "read") as store, store.read() as r:
        assert not r._few_matches("documents", "convoy")
        assert r._few_matches("documents", "nothing-like-this")
        monkeypatch.setattr(search_module, "SEARCH_WINDOW", 200)
        assert r._few_matches("documents", "convoy")


def test_page_snippets_mark_the_words_by_stem_in_the_page_rows_only() -> None:
    rows = [(7, "Convoy at the border", "The convoys waited while the envoy spoke of a long convoy."),
            (3, "Harvest", "Farmers said the harvest was late.")]
    snippets = page_snippets('"convoy"', rows, 1)
    assert snippets[0].count("[convoy") == 2 and "[convoys]" in snippets[0] and snippets[1] == ""
    assert page_snippets('"convoy"', rows, 0) == ["[Convoy] at the border", ""]
    assert page_snippets('"harvest" OR "envoy"', rows, 1)[1] == "Farmers said the [harvest] was late."
    # the rows of one page are gone before the next: a word only the first page holds marks nothing now
    assert page_snippets('"convoy"', [(1, "Market", "The market reopened.")], 1) == [""]
    assert page_snippets('"convoy"', [], 1) == []


def test_page_snippets_on_several_threads_keep_their_pages_apart() -> None:
    results: dict[int, list[str]] = {}

    def work(n: int) -> None:
        out = []
        for _ in range(50):
            out += page_snippets(f'"word{n}"', [(1, "t", f"word{n} and more"), (2, "t", "other text")], 1)
        results[n] = out

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n in range(4):
        assert results[n] == [f"[word{n}] and more", ""] * 50


def test_a_word_said_twice_is_asked_once_unless_operators_give_it_a_part() -> None:
    assert fts5_query("convoy convoy border") == '"convoy" "border"'
    assert websearch_query("convoy border convoy") == "convoy border"
    # with OR, a repeated word changes what is asked ("a OR b a" is "a OR (b AND a)"): kept as written
    assert fts5_query("convoy OR border convoy") == '"convoy" OR "border" "convoy"'
    assert websearch_query("convoy NOT convoy") == "convoy -convoy"


def test_plans_for_values_last_one_transaction(location: str) -> None:
    with open_store(location, "create") as store:
        with store.read() as r:
            r.plan_for_values()  # nothing to set on SQLite, and nothing fails
            if location.startswith("postgresql"):
                assert r.connection.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_custom_plan"
                assert r.connection.execute(text("SHOW max_parallel_workers_per_gather")).scalar_one() == "0"
        if location.startswith("postgresql"):
            with store.read() as r:  # the connection goes back to the pool as it came
                assert r.connection.execute(text("SHOW plan_cache_mode")).scalar_one() == "auto"


def test_page_snippets_are_the_stores_own(sample_store: Store) -> None:
    """The snippets made in the page's table are those the store's full-text index makes of the same rows."""
    if sample_store.location.engine != "sqlite":
        pytest.skip("FTS5 snippets are SQLite's")
    with sample_store.read() as r:
        for query in ('"troops"', '"korea" "said"', '"forces" OR "soldiers"', '"deployment" NOT "denied"'):
            for table, source, columns, column in (("documents_fts", "documents", "s.title, s.text", 1),
                                                   ("claims_fts", "claims_fts_source", "s.text, s.sources", 0)):
                own = r.connection.execute(text(
                    f"SELECT f.rowid, snippet({table}, {column}, '[', ']', ' … ', 24), {columns} FROM {table} f "
                    f"JOIN {source} s ON s.rowid = f.rowid WHERE {table} MATCH :q"), {"q": query}).all()
                assert own, (query, table)
                made = page_snippets(query, [(row[0], row[2], row[3]) for row in own], column)
                assert made == [row[1] for row in own]


def _plain_store(location: str, texts: list[str]) -> None:
    """Documents d1, d2, ... of the given texts, each stored by a write of its own (in that order)."""
    import numpy as np

    from watchfloor.model import DocumentAnalysis
    from watchfloor.store import NewDocument

    with open_store(location, "create") as store:
        for i, body in enumerate(texts, 1):
            document = Document(id=f"d{i}", title=f"Report {i}", text=body, outlet="Herald", content_hash=str(i))
            with store.write() as w:
                w.add_documents([NewDocument(document, DocumentAnalysis(document.id), np.zeros(4, np.uint64), (), 1)])
        if location.startswith("postgresql"):  # the planner's estimates of each word's rows come from statistics
            with store.write() as w:
                w.connection.execute(text("ANALYZE documents"))


def test_common_words_list_the_newest_first_and_rarer_words_rank(location: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A word in more than COMMON_ROWS documents is not scored: a query of such words alone (or with OR or NOT)
    lists its latest matches newest first; one with rarer words among them ranks the latest matches."""
    texts = ["convoy " * 8 + "ferry.", "convoy.", "convoy convoy ferry ferry ferry.", "convoy convoy convoy.",
             "convoy ferry.", "nothing here."]
    _plain_store(location, texts)
    with open_store(location, "read") as store, store.read() as r:
        ranked = [h.doc_id for h in r.search("convoy", 10)]
        assert ranked[0] == "d1" and sorted(ranked) == ["d1", "d2", "d3", "d4", "d5"]  # says it most: first
        monkeypatch.setattr(search_module, "COMMON_ROWS", 3)  # convoy in 5 documents: common; ferry in 3: not
        assert [h.doc_id for h in r.search("convoy", 10)] == ["d5", "d4", "d3", "d2", "d1"]
        assert [h.doc_id for h in r.search("convoy", 2)] == ["d5", "d4"]
        assert [h.doc_id for h in r.search("ferry OR convoy", 10)] == ["d5", "d4", "d3", "d2", "d1"]
        assert [h.doc_id for h in r.search("convoy NOT ferry", 10)] == ["d4", "d2"]
        assert all("[convoy]" in h.snippet for h in r.search("convoy", 10))
        mixed = [h.doc_id for h in r.search("convoy ferry", 10)]
        assert sorted(mixed) == ["d1", "d3", "d5"]
        if location.startswith("sqlite"):  # BM25 of "ferry": three times in five words, then once in two
            assert mixed == ["d3", "d5", "d1"]
        monkeypatch.setattr(search_module, "SEARCH_WINDOW", 2)  # ranked among the latest two matches only
        assert sorted(h.doc_id for h in r.search("convoy ferry", 10)) == ["d3", "d5"]


def test_postgresql_snippets_mark_the_words_the_servers_stemming_matches(location: str) -> None:
    """A snippet on PostgreSQL marks each word whose lexeme (the server's own stemming) the query names, negated
    ones too (as ``ts_headline`` does), and no other; shows about ``SNIPPET_WORDS`` words around the shortest
    stretch holding the text's query words (the first words of a text without them); and keeps what the text
    says, marks aside, as written."""
    if not location.startswith("postgresql"):
        pytest.skip("SQLite's snippets are FTS5's own (page_snippets)")
    filler = " ".join(["officials", "said", "the", "region"] * 10) + "."
    texts = ["The convoys waited while the envoy spoke of a long Convoy.", f"{filler} A convoy came. {filler}",
             "Markets reopened on Tuesday.", "<b onclick='x()'>convoy</b> & convoying_teams",
             f"border and then the envoy. {filler} The envoy reached the border."]
    with open_store(location, "create") as store, store.read() as r:
        def snippets(query: str) -> list[str]:
            tsquery = r.connection.execute(text("SELECT websearch_to_tsquery('english', :q)::text"),
                                           {"q": query}).scalar_one()
            return postgresql_snippets(r.connection, tsquery, texts)

        plain, near, none, hostile, _ = snippets("convoys")
        assert plain == "The [convoys] waited while the envoy spoke of a long [Convoy]"  # from word to word
        assert "[convoy]" in near and len(near.replace("[", "").replace("]", "").split()) == SNIPPET_WORDS
        assert near.split("[convoy]")[0].split()[-1] == "A" and near.startswith("the region")  # 11 words before
        assert none == "Markets reopened on Tuesday"
        assert hostile == "b onclick='x()'>[convoy]</b> & [convoying]_teams"  # as written: the pages escape it
        assert snippets("envoy -convoy")[0] == "The [convoys] waited while the [envoy] spoke of a long [Convoy]"
        assert snippets("border envoy")[4].endswith("The [envoy] reached the [border]")  # the shortest stretch
        # a letter that lowers to two characters does not shift what is marked
        assert postgresql_snippets(r.connection, "'convoy'", ["İzmir convoys, İ convoy"]) == ["İzmir [convoys], İ [convoy]"]
        absent = snippets("harvest")
        assert absent[1] == " ".join(texts[1].split()[:SNIPPET_WORDS]) and absent[2] == none


def test_snippet_word_counts_read_backwards_agree_with_a_plain_listing_of_the_words() -> None:
    """Where the n-th word before (and after) a place in a text starts and ends, as the snippets find it in one
    match of the text read backwards, is where a plain list of the text's words puts it: words cut by the
    window's edge, longer than the window, joined by "_" or "'", texts with fewer than n words, none at all."""
    rng = random.Random(13)
    pieces = ["convoy", "é", "ß", "İzmir", "x" * 300, "_", "'", " ", "  ", ", ", "-", "7", "\n"]
    bodies = ["", "   ", "word", "a_b c'd", "x" * 300 + " y", *("".join(rng.choices(pieces, k=rng.randint(1, 40)))
                                                           for _ in range(400))]
    for body in bodies:
        for at in {0, len(body), *rng.sample(range(len(body) + 1), min(len(body) + 1, 6))}:
            words = list(snippets_module._WORD.finditer(body, 0, at))
            for n in (0, 1, 2, 5, 12):
                expected = at if n == 0 or not words else words[-n].start() if len(words) >= n else words[0].start()
                assert snippets_module._words_before(body, at, n) == expected, (body, at, n)
                after = list(snippets_module._WORD.finditer(body, at))[:n]
                assert snippets_module._words_after(body, at, n) == (after[-1].end() if after else at), (body, n)


def test_postgresql_search_snippets_mark_what_ts_headline_marks(location: str) -> None:
    """Through the store's search on PostgreSQL, every hit's snippet marks query words, and the words it marks
    are words ``ts_headline`` marks in the same text for the same query."""
    if not location.startswith("postgresql"):
        pytest.skip("ts_headline is PostgreSQL's")
    _store(location)
    with open_store(location, "read") as store, store.read() as r:
        for query in ("convoy", "border envoy", "convoy OR harvest", "convoys NOT envoy", "ceasefire"):
            hits = r.search(query) + r.search_claims(query)
            assert hits, query
            for hit in hits:
                marked = {w.lower() for w in re.findall(r"\[([^\]]+)\]", hit.snippet.split(" (according to")[0])}
                assert marked, (query, hit.snippet)
                theirs = r.connection.execute(text(
                    "SELECT ts_headline('english', :body, websearch_to_tsquery('english', :q), "
                    "'StartSel=[, StopSel=], HighlightAll=true')"),
                    {"body": hit.snippet.replace("[", "").replace("]", ""), "q": websearch_query(query)}).scalar_one()
                assert marked == {w.lower() for w in re.findall(r"\[([^\]]+)\]", theirs)}, (query, hit.snippet)
