"""The command line: parse, call a plain function, print. Errors print as one line, exit non-zero."""

from __future__ import annotations

import re
import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .config import Settings, load_settings
from .errors import WatchfloorError
from .model import Modality, Polarity
from .store import Store, open_store
from .store.engine import Mode

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
    typer.Option("--db", envvar="WATCHFLOOR_DB",
                 help="Store: an SQLite file path or a postgresql://user@host:port/db URL. Default: watchfloor.db."),
]


def _settings(db: str | None, **overrides: object) -> Settings:
    return load_settings().replace(db=db, **overrides)


def _store(settings: Settings, mode: Mode) -> Store:
    """``read`` for commands that only look (they never create or migrate), ``write`` for those that record
    something in an existing store, ``create`` for ingest."""
    return open_store(settings.db, mode, settings.lock_timeout)


def _fail(exc: WatchfloorError) -> None:
    errors.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (searched recursively).")],
    db: DbOption = None,
    workers: Annotated[int | None, typer.Option(
        help="Analyse on this many worker processes (0: in this process). Results are the same either way.")] = None,
    cluster: Annotated[str | None, typer.Option(
        help="Analyse on Dask: 'local' starts a LocalCluster (of --workers processes, default one per core); "
             "tcp://host:8786 uses an existing scheduler's workers.")] = None,
    processes: Annotated[int | None, typer.Option(help="spaCy worker processes (nlp.pipe n_process).")] = None,
    batch_size: Annotated[int | None, typer.Option(help="Documents per spaCy batch and per store transaction.")] = None,
    tlp: Annotated[str | None, typer.Option(
        "--tlp", help="Mark these documents with a TLP level (clear, green, amber, amber+strict, red): what may be "
                      "shared of them, and with whom. Default: clear.")] = None,
) -> None:
    """Read, analyse and store documents: text, Markdown, HTML, JSON Lines, JSON, RSS/Atom, WARC.

    Example: watchfloor ingest src/watchfloor/data/samples --db desk.db
    Example: watchfloor ingest archive/ --workers 2 --db desk.db
    Example: watchfloor ingest archive/ --cluster tcp://scheduler:8786 --db postgresql://desk@db.local/desk
    Example: watchfloor ingest partner-reports/ --tlp amber --db postgresql://desk@db.local/desk
    """
    from .analyze import ANALYZER_VERSION
    from .ingest import discover
    from .pipeline import analyze_options, ingest_paths
    from .report.tlp import parse_tlp
    from .scale import analyzer_for

    analyzer = None
    try:
        settings = _settings(db, processes=processes, batch_size=batch_size, workers=workers, cluster=cluster)
        files = [p for p in discover(paths) if isinstance(p, Path)]
        started = time.perf_counter()
        # workers start (and fork) before the progress display starts its refresh thread
        analyzer = analyzer_for(analyze_options(settings), settings.workers, settings.cluster)
        with _store(settings, "create") as store, Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("documents stored"),
            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=console, transient=True,
            disable=not sys.stdout.isatty(),
        ) as progress:
            task = progress.add_task("ingest", total=None, rate="")

            def advance(n: int) -> None:
                done = progress.tasks[0].completed + n
                rate = done / max(time.perf_counter() - started, 1e-9)
                progress.update(task, advance=n, rate=f"{rate:.1f} documents/s")

            report = ingest_paths(paths, store, settings, advance, tlp=parse_tlp(tlp) if tlp else None,
                                  analyzer=analyzer)
            with store.read() as reader:
                total = reader.count()
                stale = reader.stale_count(ANALYZER_VERSION)
    except WatchfloorError as exc:
        _fail(exc)
        return
    finally:
        if analyzer is not None:
            analyzer.close()
    elapsed = time.perf_counter() - started
    for error in report.errors:
        errors.print(f"[yellow]skipped[/yellow] {error.source}: {error.reason}", highlight=False, soft_wrap=True)
    rate = report.added / elapsed if elapsed > 0 else 0.0
    where = ""
    if analyzer is not None:
        where = (f", analysed on {len(analyzer.stats.workers)} worker process(es) of at most "
                 f"{analyzer.stats.peak_mb:.0f} MB each, {analyzer.stats.unique_mb:.0f} MB of it their own")
    console.print(
        f"{len(files)} files read: {report.added} documents added, {report.already_stored} already stored, "
        f"{report.near_duplicates} near-duplicates marked, {len(report.errors)} skipped with errors "
        f"({elapsed:.1f} s, {rate:.1f} documents/s{where}). Store {settings.db} holds {total} documents.",
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
        with _store(settings, "write") as store, Progress(
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


_EXPORT_FORMATS = ("json", "geojson", "stix", "csv", "jsonl")


@app.command()
def export(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", help="Export format: json, geojson, stix, csv or jsonl.")] = "json",
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write to this file (csv: this directory) instead of standard output.")] = None,
    tlp: Annotated[str | None, typer.Option(
        "--tlp", help="Share up to this TLP level (clear, green, amber, amber+strict, red): documents above it and "
                      "everything resting only on them are left out.")] = None,
    reliability: Annotated[Path | None, typer.Option(
        "--reliability", help="TOML file whose \\[reliability] table grades outlets and named sources A-F.")] = None,
) -> None:
    """Export the store: json (the export contract of DESIGN.md), geojson (located events), stix (a STIX 2.1
    bundle with TLP 2.0 markings and Admiralty grades), csv (claims.csv and events.csv) or jsonl.

    Example: watchfloor export --format stix --tlp green --out share.json
    """
    from .link.grading import ReliabilityTable
    from .report.export_json import build_export
    from .report.tlp import parse_tlp, within

    if format not in _EXPORT_FORMATS:
        _fail(WatchfloorError(f"unknown export format {format!r}; available: {', '.join(_EXPORT_FORMATS)}"))
    if format == "csv" and out is None:
        _fail(WatchfloorError("csv writes claims.csv and events.csv: give --out DIRECTORY"))
    try:
        ceiling = parse_tlp(tlp) if tlp else None
        table = ReliabilityTable.from_toml(reliability) if reliability else None
        with _store(_settings(db), "read") as store:
            data = build_export(store)
        if ceiling is not None:
            data = within(data, ceiling)
        counts = _write_export(data, format, out, table)
    except WatchfloorError as exc:
        _fail(exc)
        return
    if out is not None:
        errors.print(f"wrote {out} ({counts})", highlight=False)


def _write_export(data: dict[str, Any], format: str, out: Path | None, table: Any) -> str:
    """Write one export format; returns what was written, counted."""
    from .report.export_geojson import events_to_geojson
    from .report.export_json import write_json
    from .report.export_tabular import write_csv, write_jsonl

    counts = f"{len(data['documents'])} documents, {len(data['claims'])} claims, {len(data['events'])} events"
    if format == "csv":
        assert out is not None
        paths = write_csv(data, out, table)
        return f"{', '.join(p.name for p in paths)}: {len(data['claims'])} claims, {len(data['events'])} events"
    with (out.open("w", encoding="utf-8") if out else nullcontext(sys.stdout)) as handle:
        if format == "jsonl":
            return f"{write_jsonl(data, handle, table)} records"
        if format == "geojson":
            data = events_to_geojson(data)
            counts = f"{len(data['features'])} located events"
        elif format == "stix":
            from .report.stix import to_stix

            data = to_stix(data, table)
            counts = f"{len(data['objects'])} STIX objects from {counts}"
        write_json(data, handle)
    return counts


@app.command()
def push(
    taxii: Annotated[str, typer.Option("--taxii", help="URL of a TAXII 2.1 collection, or of an API root.")],
    db: DbOption = None,
    collection: Annotated[str | None, typer.Option(
        help="Collection id or title, when --taxii names an API root.")] = None,
    user: Annotated[str | None, typer.Option(help="User name for HTTP Basic authentication.")] = None,
    password_env: Annotated[str, typer.Option(
        help="Environment variable holding the password or API token (never given on the command line).")]
        = "WATCHFLOOR_TAXII_PASSWORD",
    tlp: Annotated[str, typer.Option(
        "--tlp", help="Share up to this TLP level; documents above it and what rests only on them stay here.")]
        = "green",
    reliability: Annotated[Path | None, typer.Option(
        "--reliability", help="TOML file whose \\[reliability] table grades outlets and named sources A-F.")] = None,
    definitions: Annotated[bool, typer.Option(
        "--definitions", help="Also push the extension-definition objects (some TAXII servers mishandle them).")]
        = False,
) -> None:
    """Push the picture as STIX 2.1 to a partner's TAXII 2.1 collection (default: up to TLP:GREEN).

    The password (or API token) is read from $WATCHFLOOR_TAXII_PASSWORD, never from the command line.

    Example: watchfloor push --taxii https://partner.example/api1/collections/ID/ --user desk --tlp green
    """
    import os

    from .link.grading import ReliabilityTable
    from .report.export_json import build_export
    from .report.stix import to_stix
    from .report.taxii import push_bundle
    from .report.tlp import parse_tlp, within

    try:
        ceiling = parse_tlp(tlp)
        table = ReliabilityTable.from_toml(reliability) if reliability else None
        with _store(_settings(db), "read") as store:
            data = within(build_export(store), ceiling)
        bundle = to_stix(data, table)
        report = push_bundle(bundle, taxii, collection=collection, user=user,
                             password=os.environ.get(password_env) if user else None, definitions=definitions)
    except WatchfloorError as exc:
        _fail(exc)
        return
    console.print(f"pushed {report.sent} objects (up to TLP:{ceiling.value.upper()}) to {report.collection} "
                  f"in {report.envelopes} envelope(s): {report.succeeded} added, {report.failed} refused"
                  + (" (a server refuses object versions it already holds)." if report.failed else "."),
                  highlight=False, soft_wrap=True)
    for failure in report.failures[:20]:
        errors.print(f"[yellow]refused[/yellow] {escape(failure)}", highlight=False)
    if report.failed:
        raise typer.Exit(1)


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
        with _store(_settings(db), "write") as store:
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
        with _store(_settings(db), "read") as store:
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
    by: Annotated[str | None, typer.Option(
        help="Claims: only those this source asserts (a name or alias, resolved to its entity: US, Kremlin).")] = None,
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
    from .report.sources import source_keys

    try:
        with _store(_settings(db), "read") as store, store.read() as reader:
            hits = (reader.search_claims(query, limit, source_keys=source_keys(reader, by) if by else None,
                                         modality=modality.value if modality else None,
                                         polarity=polarity.value if polarity else None)
                    if claims else reader.search(query, limit))
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


@app.command()
def stats(db: DbOption = None) -> None:
    """Counts of what the store holds.

    Example: watchfloor stats --db desk.db
    """
    from .analyze import ANALYZER_VERSION

    try:
        with _store(_settings(db), "read") as store, store.read() as reader:
            values = reader.stats()
            values["schema_version"] = store.schema_version()
            values["analysed_by_an_older_version"] = reader.stale_count(ANALYZER_VERSION)
    except WatchfloorError as exc:
        _fail(exc)
        return
    table = Table("what", "count")
    for key, value in values.items():
        table.add_row(key.replace("_", " "), str(value))
    console.print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
