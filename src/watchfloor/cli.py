"""The command line: parse, call a plain function, print. Errors print as one line, exit non-zero."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .config import Settings, load_settings
from .errors import WatchfloorError
from .model import Modality, Polarity
from .store import Store, open_store

if TYPE_CHECKING:
    from .watch.records import SourceState
    from .watch.run import CycleReport

app = typer.Typer(
    name="watchfloor",
    help="A self-hosted, offline monitoring desk for open-source reporting.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="WATCHFLOOR_DB", help="Store path (SQLite file). Default: watchfloor.db."),
]


def _settings(db: str | None, **overrides: object) -> Settings:
    return load_settings().replace(db=db, **overrides)


def _store(settings: Settings) -> Store:
    return open_store(settings.db)


def _fail(exc: WatchfloorError) -> None:
    errors.print(f"[red]error:[/red] {exc}", highlight=False)
    raise typer.Exit(2)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (searched recursively).")],
    db: DbOption = None,
    processes: Annotated[int | None, typer.Option(help="spaCy worker processes.")] = None,
    batch_size: Annotated[int | None, typer.Option(help="Documents per spaCy batch.")] = None,
) -> None:
    """Read, analyse and store documents: text, Markdown, HTML, JSON Lines, JSON, RSS/Atom, WARC.

    Example: watchfloor ingest src/watchfloor/data/samples --db desk.db
    """
    from .analyze import ANALYZER_VERSION
    from .ingest import discover
    from .pipeline import ingest_paths

    try:
        settings = _settings(db, processes=processes, batch_size=batch_size)
        files = [p for p in discover(paths) if isinstance(p, Path)]
        started = time.perf_counter()
        with _store(settings) as store, Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("documents stored"),
            TimeElapsedColumn(), console=console, transient=True, disable=not sys.stdout.isatty(),
        ) as progress:
            task = progress.add_task("ingest", total=None)
            report = ingest_paths(paths, store, settings, lambda n: progress.advance(task, n))
            total = store.count()
            stale = store.stale_count(ANALYZER_VERSION)
    except WatchfloorError as exc:
        _fail(exc)
        return
    elapsed = time.perf_counter() - started
    for error in report.errors:
        errors.print(f"[yellow]skipped[/yellow] {error.source}: {error.reason}", highlight=False, soft_wrap=True)
    rate = report.added / elapsed if elapsed > 0 else 0.0
    console.print(
        f"{len(files)} files read: {report.added} documents added, {report.already_stored} already stored, "
        f"{report.near_duplicates} near-duplicates marked, {len(report.errors)} skipped with errors "
        f"({elapsed:.1f} s, {rate:.1f} documents/s). Store {settings.db} holds {total} documents.",
        highlight=False,
        soft_wrap=True,
    )
    if stale:
        console.print(f"{stale} stored documents were analysed by an older watchfloor: run `watchfloor reanalyze` "
                      f"to bring them up to date.", highlight=False, soft_wrap=True)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def reanalyze(
    db: DbOption = None,
    batch_size: Annotated[int | None, typer.Option(help="Documents per spaCy batch.")] = None,
) -> None:
    """Analyse again the stored documents an older watchfloor analysed, and re-score their claims.

    Example: watchfloor reanalyze --db desk.db
    """
    from .pipeline import reanalyze as run

    try:
        settings = _settings(db, batch_size=batch_size)
        with _store(settings) as store, Progress(
            TextColumn("[bold]reanalyze"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True, disable=not sys.stdout.isatty(),
        ) as progress:
            task = progress.add_task("reanalyze", total=None)
            report = run(store, settings, lambda n: progress.advance(task, n))
    except WatchfloorError as exc:
        _fail(exc)
        return
    console.print(f"{report.reanalysed} documents analysed again; {report.links.claims_rescored} claims re-scored, "
                  f"{report.links.status_changes} status changes.", highlight=False)


@app.command()
def export(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", help="Export format: json or geojson.")] = "json",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of standard output.")] = None,
) -> None:
    """Export the store: json (the export contract of DESIGN.md) or geojson (located events).

    Example: watchfloor export --format json --out picture.json
    """
    from .report.export_geojson import events_to_geojson
    from .report.export_json import build_export, write_json

    if format not in {"json", "geojson"}:
        _fail(WatchfloorError(f"unknown export format {format!r}; available: json, geojson"))
    try:
        with _store(_settings(db)) as store:
            data = build_export(store)
            if format == "geojson":
                data = events_to_geojson(data)
    except WatchfloorError as exc:
        _fail(exc)
        return
    if out is None:
        write_json(data, sys.stdout)
    else:
        with out.open("w", encoding="utf-8") as handle:
            write_json(data, handle)
        counts = (f"{len(data['features'])} located events" if format == "geojson"
                  else f"{len(data['documents'])} documents, {len(data['claims'])} claims, {len(data['events'])} events")
        errors.print(f"wrote {out} ({counts})")


@app.command()
def brief(
    db: DbOption = None,
    out: Annotated[Path, typer.Option("--out", help="Directory for briefing.md and briefing.html.")] = Path("briefing"),
    since: Annotated[str | None, typer.Option(
        "--since", help="Report what is new or changed since a date (YYYY-MM-DD or ISO time) or 'last' briefing.")] = None,
) -> None:
    """Write the briefing (Markdown and HTML): stories, what is corroborated or contested, actors, timeline,
    figures, each citing its sources; with --since, what changed first.

    Example: watchfloor brief --out briefing/ --since last
    """
    from .report.briefing import write_briefing

    if since is not None and since != "last" and not _ISO_START.match(since):
        _fail(WatchfloorError(f"--since {since!r}: give a date like 2024-11-01, an ISO time, or 'last'"))
    try:
        with _store(_settings(db)) as store:
            md, html = write_briefing(store, out, since)
    except WatchfloorError as exc:
        _fail(exc)
        return
    console.print(f"briefing written: {md} and {html}", highlight=False)


@app.command()
def track(
    db: DbOption = None,
    subject: Annotated[str | None, typer.Option(help="Whose figure: a name or part of one (e.g. 'North Korea').")] = None,
    unit: Annotated[str | None, typer.Option(help="What is counted, singular (e.g. troop, person, dollar).")] = None,
) -> None:
    """Every estimate of a figure over time, with its source, date and status, competing ones side by side.

    Example: watchfloor track --subject "North Korea" --unit troop
    """
    from .report.tracker import estimates

    try:
        with _store(_settings(db)) as store:
            rows = estimates(store, subject, unit)
    except WatchfloorError as exc:
        _fail(exc)
        return
    if not rows:
        console.print("no figures match")
        raise typer.Exit(0)
    table = Table("when", "subject", "figure", "counts", "according to", "outlet", "modality", "status")
    for row in rows:
        table.add_row(row.when.isoformat() if row.when else "", escape(row.subject), row.figure, escape(row.unit),
                      escape(row.according_to), escape(row.outlet), row.modality, row.status.replace("_", " "))
    console.print(table)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (full-text, stemmed); may be \"\" with a filter.")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="Most results to show.")] = 10,
    claims: Annotated[bool, typer.Option("--claims", help="Search attributed claims instead of documents.")] = False,
    by: Annotated[str | None, typer.Option(help="Claims: only those a source whose name holds this asserts.")] = None,
    modality: Annotated[Modality | None, typer.Option(help="Claims: only this modality.")] = None,
    polarity: Annotated[Polarity | None, typer.Option(
        help="Claims: only this polarity (uncommitted: the source takes no side).")] = None,
) -> None:
    """Full-text search over documents, or over claims with --claims.

    Example: watchfloor search "troops" --claims --modality denied
    Example: watchfloor search "" --claims --polarity uncommitted --by Kremlin
    """
    if not claims and (by or modality or polarity):
        errors.print("[red]error:[/red] --by, --modality and --polarity filter claims: add --claims", highlight=False)
        raise typer.Exit(2)
    try:
        with _store(_settings(db)) as store:
            hits = (store.search_claims(query, limit, by=_source_names(by), modality=modality.value if modality else None,
                                        polarity=polarity.value if polarity else None)
                    if claims else store.search(query, limit))
    except WatchfloorError as exc:
        _fail(exc)
        return
    if not hits:
        console.print("no matches")
        raise typer.Exit(0)
    columns = ("published", "outlet", "title", "match", *(("stance",) if claims else ()))
    table = Table(*columns, show_lines=True)
    for hit in hits:
        table.add_row((hit.published or "")[:10], escape(hit.outlet), escape(hit.title), escape(hit.snippet),
                      *((hit.stance,) if claims else ()))
    console.print(table)


def _source_names(by: str | None) -> tuple[str, ...]:
    """The name asked for and the entity it stands for, as claims record their sources ("Kremlin": Russia)."""
    if not by:
        return ()
    from .analyze.gazetteer import gazetteer  # the alias table: loaded only when a source is asked for

    hit = gazetteer().lookup(by)
    country = gazetteer().capital_country(by)
    return tuple(dict.fromkeys(name for name in (by, hit.entity.name if hit else None, country.name if country else None)
                               if name))


@app.command()
def stats(db: DbOption = None) -> None:
    """Counts of what the store holds.

    Example: watchfloor stats --db desk.db
    """
    from .analyze import ANALYZER_VERSION

    try:
        with _store(_settings(db)) as store:
            values = store.stats()
            values["analysed_by_an_older_version"] = store.stale_count(ANALYZER_VERSION)
    except WatchfloorError as exc:
        _fail(exc)
        return
    table = Table("what", "count")
    for key, value in values.items():
        table.add_row(key.replace("_", " "), str(value))
    console.print(table)


@app.command()
def watch(
    sources: Annotated[Path, typer.Argument(help="The sources file: [[source]] tables with url, outlet, tlp.")],
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="Poll every source once, then exit (for cron and tests).")] = False,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Allow loopback, private and link-local addresses (refused by default).")] = False,
    rules: Annotated[Path | None, typer.Option(help="Watch rules (RULES.toml): alerts on what they match.")] = None,
    state: Annotated[Path | None, typer.Option(
        help="Where the watcher remembers sources and items. Default: beside the store (<db>.watch.jsonl).")] = None,
    status: Annotated[bool, typer.Option("--status", help="Show each source's state and exit.")] = False,
) -> None:
    """Poll RSS/Atom feeds and pages into the store, politely; with --rules, raise alerts on what matches.
    Stops cleanly on SIGTERM or Ctrl-C and goes on where it left off when started again.

    Example: watchfloor watch SOURCES.toml --rules RULES.toml --db desk.db
    Example: watchfloor watch SOURCES.toml --once --status
    """
    import logging
    import threading

    from .watch import stop_on_signals
    from .watch.session import WatchRequest, open_watcher, state_for

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would drown the watcher's own
    try:
        settings = _settings(db)
        if status:
            _print_source_states(state_for(settings, state).sources())
            return
        stop = threading.Event()
        request = WatchRequest(sources=sources, rules=rules, state=state, allow_private=allow_private)
        with stop_on_signals(stop), open_watcher(request, settings, stop) as watcher:
            reports = watcher.run(once=once, on_cycle=_print_cycle)
    except WatchfloorError as exc:
        _fail(exc)
        return
    if once and any(r.failed for r in reports):
        raise typer.Exit(1)


def _print_cycle(report: CycleReport) -> None:
    unchanged = f", {report.not_modified} unchanged" if report.not_modified else ""
    failed = f", {len(report.failed)} failed" if report.failed else ""
    stopped = " (stopped before the end; the rest is polled next time)" if report.interrupted else ""
    console.print(
        f"polled {report.polled} sources{unchanged}{failed}: {report.new_items} new items, {report.added} documents "
        f"added, {report.already_stored} already stored, {report.item_errors} item errors, {report.retry_later} left "
        f"for the next poll; {report.alerts} alerts raised, {report.delivered} delivered ({report.seconds:.1f} s)"
        f"{stopped}", highlight=False, soft_wrap=True)
    for outlet, error in report.failed:
        errors.print(f"[yellow]failed[/yellow] {escape(outlet)}: {escape(error)}", highlight=False, soft_wrap=True)


def _print_source_states(states: list[SourceState]) -> None:
    if not states:
        console.print("no source polled yet")
        return
    table = Table("outlet", "tlp", "polls", "last success", "last error", "items", "added", "failures")
    for s in states:
        table.add_row(escape(s.outlet or s.key), s.tlp, str(s.polls),
                      s.last_success.isoformat(timespec="seconds") if s.last_success else "",
                      escape(f"{s.last_error_at:%Y-%m-%d %H:%M} {s.last_error}") if s.last_error and s.last_error_at else "",
                      str(s.items_seen), str(s.documents_added), str(s.failures))
    console.print(table)


@app.command()
def alerts(
    db: DbOption = None,
    state: Annotated[Path | None, typer.Option(
        help="The watcher's state (default: beside the store, <db>.watch.jsonl).")] = None,
    rules: Annotated[Path | None, typer.Option(
        help="With --check: the rules to try against the whole picture now.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Show what --rules match now; records nothing.")] = False,
    limit: Annotated[int, typer.Option(help="Most alerts to show, newest last.")] = 50,
) -> None:
    """The alerts the watch rules raised, newest last; or, with --rules --check, what rules match now.

    Example: watchfloor alerts --db desk.db
    Example: watchfloor alerts --rules RULES.toml --check --db desk.db
    """
    from .watch.rules import load_rules
    from .watch.session import check_rules, state_for

    if check and rules is None:
        _fail(WatchfloorError("--check tries rules: give them with --rules RULES.toml"))
    try:
        settings = _settings(db)
        if check and rules is not None:
            ruleset = load_rules(rules)
            with _store(settings) as store:
                found = check_rules(store, ruleset)
        else:
            found = state_for(settings, state).alerts()
    except WatchfloorError as exc:
        _fail(exc)
        return
    if not found:
        console.print("no alerts")
        return
    for alert in found[-limit:]:
        links = f" {' '.join(alert.urls)}" if alert.urls else ""
        console.print(f"{alert.created_at:%Y-%m-%d %H:%M} [{alert.rule}] {alert.reason}: {alert.summary}{links}",
                      markup=False, highlight=False, soft_wrap=True)


@app.command()
def gdelt(
    file: Annotated[Path, typer.Argument(help="A GDELT 2.0 Event export or GKG file (.CSV or .csv.zip).")],
    db: DbOption = None,
    out: Annotated[Path | None, typer.Option(help="Write every row as a JSON Lines record (linked metadata).")] = None,
    fetch: Annotated[bool, typer.Option("--fetch", help="Fetch the linked articles and ingest them.")] = False,
    limit: Annotated[int, typer.Option(help="With --fetch: most articles to fetch.")] = 100,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Allow loopback, private and link-local addresses (refused by default).")] = False,
) -> None:
    """Read a GDELT 2.0 Event or GKG file, streamed: rows keep their URLs, themes, counts and tone as metadata;
    with --fetch, the articles they link to are fetched politely and ingested.

    Example: watchfloor gdelt 20241104120000.gkg.csv.zip --out gkg.jsonl
    Example: watchfloor gdelt 20241104120000.export.CSV.zip --fetch --limit 50 --db desk.db
    """
    import threading

    from .pipeline import ingest_documents
    from .watch import Fetcher, FetchLimits, FetchPolicy, WatchOptions, stop_on_signals
    from .watch.linked import fetch_linked, read_gdelt_file

    try:
        settings = _settings(db)
        if not file.is_file():
            raise WatchfloorError(f"{file}: no such file")
        if out is not None:
            with out.open("w", encoding="utf-8") as handle:
                report = read_gdelt_file(file, handle, limit)
        else:
            report = read_gdelt_file(file, None, limit)
        console.print(f"{report.events} event rows, {report.articles} GKG rows, {len(report.errors)} rows skipped; "
                      f"{report.urls} distinct article URLs", highlight=False)
        if report.themes:
            console.print("top themes: " + ", ".join(f"{t} ({n})" for t, n in report.themes.most_common(8)),
                          highlight=False, markup=False, soft_wrap=True)
        for error in report.errors[:20]:
            errors.print(f"skipped {error}", highlight=False, markup=False, soft_wrap=True)
        if fetch:
            options = WatchOptions()
            stop = threading.Event()
            policy = FetchPolicy(user_agent=options.user_agent, allow_private=allow_private, retries=1)
            limits = FetchLimits(timeout=options.timeout, max_bytes=int(options.max_mb * 1024 * 1024),
                                 delay=options.delay)
            with stop_on_signals(stop), Fetcher(policy, stop) as fetcher, _store(settings) as store:
                stored = ingest_documents(fetch_linked(report.links, fetcher, limits), store, settings)
                from .picture import update_picture

                update_picture(store)
            for error in stored.errors:
                errors.print(f"skipped {error}", highlight=False, markup=False, soft_wrap=True)
            console.print(f"{len(report.links)} linked articles tried: {stored.added} added, {stored.already_stored} "
                          f"already stored, {len(stored.errors)} failed", highlight=False)
    except WatchfloorError as exc:
        _fail(exc)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
