"""The command line: parse, call a plain function, print. Errors print as one line, exit non-zero."""

from __future__ import annotations

import re
import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
#: the progress display of ingest and reanalyze redraws once a second: its counts move a batch at a time, and each
#: redraw holds the GIL on a thread of its own (Rich's default of ten a second cost about 15 ms of processor time
#: a second, once a second about 1.5 ms, taken from the parsing thread of a one-process ingest)
_REFRESHES_PER_SECOND = 1

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
        # workers fork here, before the progress display's refresh thread and the writer thread start
        analyzer = analyzer_for(analyze_options(settings), settings.workers, settings.cluster)
        with _store(settings, "create") as store, Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("documents stored"),
            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=console, transient=True,
            disable=not sys.stdout.isatty(), refresh_per_second=_REFRESHES_PER_SECOND,
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
                 f"{analyzer.stats.pss_mb:.0f} MB each counting shared pages by share "
                 f"({analyzer.stats.peak_mb:.0f} MB resident, {analyzer.stats.unique_mb:.0f} MB their own)")
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
            refresh_per_second=_REFRESHES_PER_SECOND,
        ) as progress:
            task = progress.add_task("reanalyze", total=None)
            report = run(store, settings, lambda n: progress.advance(task, n))
    except WatchfloorError as exc:
        _fail(exc)
        return
    console.print(f"{report.reanalysed} documents analysed again; {report.links.claims_rescored} claims re-scored, "
                  f"{report.links.status_changes} status changes.", highlight=False)


_EXPORT_FORMATS = ("json", "geojson", "stix", "csv", "jsonl")

ReliabilityOption = Annotated[Path | None, typer.Option(
    "--reliability", help="Import analysts' grades first: a TOML file whose \\[reliability] table grades outlets and "
                          "named sources A-F (kept in the store, as `watchfloor grade` keeps them).")]


def _analyst() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _import_grades(settings: Settings, path: Path, by: str | None = None) -> None:
    """A TOML ``[reliability]`` table into the store, the claims it bears on graded again; one line said."""
    from .link.grading import read_toml_grades

    grades = read_toml_grades(path)
    result = _set_grades(settings, list(grades.items()), by or _analyst())
    errors.print(f"{len(grades)} grades imported from {path}; {result.changed} claim grades changed.",
                 highlight=False, soft_wrap=True)


def _set_grades(settings: Settings, grades: list[tuple[str, str]], by: str) -> Any:
    from datetime import UTC, datetime

    from .link.regrade import set_grades

    with _store(settings, "write") as store, store.write() as w:
        return set_grades(w, grades, by, datetime.now(UTC).isoformat())


@app.command()
def grade(
    name: Annotated[str | None, typer.Argument(help="An outlet or a named source, as written in reports.")] = None,
    reliability: Annotated[str | None, typer.Argument(
        help="A completely reliable, B usually, C fairly, D not usually, E unreliable, F cannot be judged.")] = None,
    db: DbOption = None,
    by: Annotated[str | None, typer.Option(help="Who sets the grade. Default: the user name.")] = None,
    from_file: Annotated[Path | None, typer.Option(
        "--from", help="Import a TOML file whose \\[reliability] table grades outlets and named sources.")] = None,
    show: Annotated[bool, typer.Option("--list", help="List the grades set, who set them and when.")] = False,
) -> None:
    """Grade the reliability of an outlet or a named source (Admiralty A-F); every claim it bears on is graded
    again at once, and the change is kept in the grade history.

    Example: watchfloor grade "Meridian Wire" B --by anna
    Example: watchfloor grade --from reliability.toml
    """
    from .model import Reliability

    settings = _settings(db)
    try:
        if show:
            with _store(settings, "read") as store, store.read() as reader:
                rows = reader.source_grades()
            table = Table("name", "grade", "set by", "set at")
            for row in rows:
                table.add_row(escape(row.name), f"{row.grade} ({Reliability(row.grade).label})", escape(row.set_by),
                              row.set_at[:19].replace("T", " "))
            console.print(table)
            return
        if from_file is not None:
            _import_grades(settings, from_file, by)
            return
        if not name or not reliability:
            raise WatchfloorError("give an outlet or source and a grade (watchfloor grade \"Meridian Wire\" B), "
                                  "--from FILE, or --list")
        try:
            letter = Reliability.parse(reliability).value
        except ValueError as exc:
            raise WatchfloorError(str(exc)) from None
        result = _set_grades(settings, [(name, letter)], by or _analyst())
    except WatchfloorError as exc:
        _fail(exc)
        return
    target = result.targets[0]
    renamed = f" (given as {target.given!r})" if target.name != target.given.strip() else ""
    graded = f"{target.name}{renamed} graded {letter} ({Reliability(letter).label})"
    if target.kind == "unknown":
        graded += ": no stored outlet or source is called so yet, the grade applies when one appears"
    else:
        graded = ("outlet " if target.kind == "outlet" else "named source ") + graded
    console.print(f"{graded}; {result.changed} claim grades changed.", highlight=False, soft_wrap=True)


@app.command()
def export(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", help="Export format: json, geojson, stix, csv or jsonl.")] = "json",
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write to this file (csv: this directory) instead of standard output.")] = None,
    tlp: Annotated[str | None, typer.Option(
        "--tlp", help="Share up to this TLP level (clear, green, amber, amber+strict, red): documents above it and "
                      "everything resting only on them are left out.")] = None,
    reliability: ReliabilityOption = None,
) -> None:
    """Export the store: json (the export contract of DESIGN.md), geojson (located events), stix (a STIX 2.1
    bundle with TLP 2.0 markings and Admiralty grades), csv (claims.csv and events.csv) or jsonl.

    Example: watchfloor export --format stix --tlp green --out share.json
    """
    from .report.export_json import build_export
    from .report.tlp import parse_tlp, within

    if format not in _EXPORT_FORMATS:
        _fail(WatchfloorError(f"unknown export format {format!r}; available: {', '.join(_EXPORT_FORMATS)}"))
    if format == "csv" and out is None:
        _fail(WatchfloorError("csv writes claims.csv and events.csv: give --out DIRECTORY"))
    try:
        ceiling = parse_tlp(tlp) if tlp else None
        settings = _settings(db)
        if reliability:
            _import_grades(settings, reliability)
        with _store(settings, "read") as store:
            data = build_export(store)
        if ceiling is not None:
            data = within(data, ceiling)
        counts = _write_export(data, format, out)
    except WatchfloorError as exc:
        _fail(exc)
        return
    if out is not None:
        errors.print(f"wrote {out} ({counts})", highlight=False)


def _write_export(data: dict[str, Any], format: str, out: Path | None) -> str:
    """Write one export format; returns what was written, counted."""
    from .report.export_geojson import events_to_geojson
    from .report.export_json import write_json
    from .report.export_tabular import write_csv, write_jsonl

    counts = f"{len(data['documents'])} documents, {len(data['claims'])} claims, {len(data['events'])} events"
    if format == "csv":
        assert out is not None
        paths = write_csv(data, out)
        return f"{', '.join(p.name for p in paths)}: {len(data['claims'])} claims, {len(data['events'])} events"
    with (out.open("w", encoding="utf-8") if out else nullcontext(sys.stdout)) as handle:
        if format == "jsonl":
            return f"{write_jsonl(data, handle)} records"
        if format == "geojson":
            data = events_to_geojson(data)
            counts = f"{len(data['features'])} located events"
        elif format == "stix":
            from .report.stix import to_stix

            data = to_stix(data)
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
    reliability: ReliabilityOption = None,
    definitions: Annotated[bool, typer.Option(
        "--definitions", help="Also push the extension-definition objects (some TAXII servers mishandle them).")]
        = False,
) -> None:
    """Push the picture as STIX 2.1 to a partner's TAXII 2.1 collection (default: up to TLP:GREEN).

    The password (or API token) is read from $WATCHFLOOR_TAXII_PASSWORD, never from the command line.

    Example: watchfloor push --taxii https://partner.example/api1/collections/ID/ --user desk --tlp green
    """
    import os

    from .report.export_json import build_export
    from .report.stix import to_stix
    from .report.taxii import push_bundle
    from .report.tlp import parse_tlp, within

    try:
        ceiling = parse_tlp(tlp)
        settings = _settings(db)
        if reliability:
            _import_grades(settings, reliability)
        with _store(settings, "read") as store:
            data = within(build_export(store), ceiling)
        bundle = to_stix(data)
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
    since: Annotated[str, typer.Option(
        "--since", help="What changed since a date (YYYY-MM-DD or ISO time) or the 'last' briefing.")] = "last",
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write briefing.pdf (needs watchfloor[pdf]).")] = False,
) -> None:
    """Write the briefing (Markdown and HTML, and PDF with --pdf): what changed since the last briefing, what is
    disputed or corroborated, figures and who gives them, a timeline. Every sentence is built from stored claims,
    quotes the report it rests on, cites the documents and gives the claim's Admiralty grade.

    Example: watchfloor brief --out briefing/ --pdf
    Example: watchfloor brief --out briefing/ --since 2024-11-01
    """
    from .report.briefing_render import write_briefing

    if since != "last" and not _ISO_START.match(since):
        _fail(WatchfloorError(f"--since {since!r}: give a date like 2024-11-01, an ISO time, or 'last'"))
    try:
        with _store(_settings(db), "write") as store:
            written = write_briefing(store, out, since, pdf=pdf)
    except WatchfloorError as exc:
        _fail(exc)
        return
    console.print(f"briefing written: {', '.join(str(p) for p in written)}", highlight=False, soft_wrap=True)


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
def stats(db: DbOption = None, check: Annotated[bool, typer.Option(
        "--check", help="Also check the store's integrity (exit 1 when something is wrong).")] = False) -> None:
    """Counts of what the store holds, and each watched source's last success, last error and items handled.

    Example: watchfloor stats --db desk.db
    Example: watchfloor stats --check --db desk.db
    """
    from .analyze import ANALYZER_VERSION

    try:
        with _store(_settings(db), "read") as store, store.read() as reader:
            values = reader.stats()
            values["schema_version"] = store.schema_version()
            values["analysed_by_an_older_version"] = reader.stale_count(ANALYZER_VERSION)
            watched = reader.watch_sources()
            problems = reader.integrity_problems() if check else []
    except WatchfloorError as exc:
        _fail(exc)
        return
    table = Table("what", "count")
    for key, value in values.items():
        table.add_row(key.replace("_", " "), str(value))
    console.print(table)
    if watched:
        sources = Table("watched source", "last success", "last error", "items", title="watch")
        for row in watched:
            error = f"{row.last_error_at[:16].replace('T', ' ')} {row.last_error}" if row.last_error and row.last_error_at \
                else ""
            sources.add_row(escape(f"{row.outlet}\n{row.key}"), (row.last_success or "never")[:19].replace("T", " "),
                            escape(error), str(row.items_seen))
        console.print(sources)
    if check:
        for problem in problems:
            errors.print(f"[red]integrity:[/red] {escape(problem)}", highlight=False, soft_wrap=True)
        console.print("integrity check: " + ("passed" if not problems else f"{len(problems)} problems"), highlight=False)
        if problems:
            raise typer.Exit(1)


@app.command()
def watch(
    sources: Annotated[Path, typer.Argument(help="The sources file: [[source]] tables with url, outlet, tlp.")],
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="Poll every source once, then exit (for cron and tests).")] = False,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Allow loopback, private and link-local addresses (refused by default).")] = False,
    rules: Annotated[Path | None, typer.Option(help="Watch rules (RULES.toml): alerts on what they match.")] = None,
    journal: Annotated[Path | None, typer.Option(
        help="A journal an earlier watchfloor kept the watcher's state in, imported into the store once. Default: "
             "<db>.watch.jsonl beside an SQLite store.")] = None,
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
    from .watch.session import WatchRequest, open_watcher, watch_state_for

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would drown the watcher's own
    try:
        settings = _settings(db)
        if status:
            with _store(settings, "write") as store:
                _print_source_states(watch_state_for(store, journal).sources())
            return
        stop = threading.Event()
        request = WatchRequest(sources=sources, rules=rules, journal=journal, allow_private=allow_private)
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
    journal: Annotated[Path | None, typer.Option(
        help="A journal an earlier watchfloor kept the watcher's state in, imported into the store once. Default: "
             "<db>.watch.jsonl beside an SQLite store.")] = None,
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
    from .watch.session import check_rules, watch_state_for

    if check and rules is None:
        _fail(WatchfloorError("--check tries rules: give them with --rules RULES.toml"))
    try:
        settings = _settings(db)
        if check and rules is not None:
            ruleset = load_rules(rules)
            with _store(settings, "read") as store:
                found = check_rules(store, ruleset)
        else:
            with _store(settings, "write") as store:
                found = watch_state_for(store, journal).alerts()
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
    out: Annotated[Path | None, typer.Option(help="Also write every row as a JSON Lines record.")] = None,
    fetch: Annotated[bool, typer.Option("--fetch", help="Fetch the linked articles and ingest them.")] = False,
    limit: Annotated[int, typer.Option(help="With --fetch: most articles to fetch.")] = 100,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Allow loopback, private and link-local addresses (refused by default).")] = False,
) -> None:
    """Read a GDELT 2.0 Event or GKG file, streamed: rows are kept in the store with their URLs, themes, counts and
    tone, found by the URL they link to; with --fetch, the articles they link to are fetched politely and ingested.

    Example: watchfloor gdelt 20241104120000.gkg.csv.zip --out gkg.jsonl
    Example: watchfloor gdelt 20241104120000.export.CSV.zip --fetch --limit 50 --db desk.db
    """
    import contextlib
    import threading

    from .pipeline import ingest_documents
    from .store import LinkedRow
    from .watch import Fetcher, FetchLimits, FetchPolicy, WatchOptions, stop_on_signals
    from .watch.linked import fetch_linked, read_gdelt_file

    try:
        settings = _settings(db)
        if not file.is_file():
            raise WatchfloorError(f"{file}: no such file")
        with _store(settings, "create") as store, contextlib.ExitStack() as files:
            def keep(rows: list[LinkedRow]) -> None:
                with store.write() as w:
                    w.add_linked_rows(rows)

            handle = files.enter_context(out.open("w", encoding="utf-8")) if out is not None else None
            report = read_gdelt_file(file, handle, limit, keep=keep)
        console.print(f"{report.events} event rows, {report.articles} GKG rows kept in {escape(settings.db)} with "
                      f"their URLs, themes, counts and tone, {len(report.errors)} rows skipped; {report.urls} "
                      f"distinct article URLs", highlight=False)
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
            with stop_on_signals(stop), Fetcher(policy, stop) as fetcher, _store(settings, "create") as store:
                stored = ingest_documents(fetch_linked(report.links, fetcher, limits), store, settings)
            for error in stored.errors:
                errors.print(f"skipped {error}", highlight=False, markup=False, soft_wrap=True)
            console.print(f"{len(report.links)} linked articles tried: {stored.added} added, {stored.already_stored} "
                          f"already stored, {len(stored.errors)} failed", highlight=False)
    except WatchfloorError as exc:
        _fail(exc)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on. Other than loopback, reading needs a token.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    open_reads: Annotated[bool | None, typer.Option(
        "--open-reads/--token-reads", help="Let anyone who reaches the server read without a token. Default: on "
                                           "when listening on loopback only, off otherwise.")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (each uses one core).")] = 1,
) -> None:
    """The dashboard, the JSON API (OpenAPI document at /openapi.json) and TAXII 2.1 for partners (/taxii2/, always
    with a token: HTTP Basic, the token as the password) over a store.

    Example: watchfloor serve --db desk.db            (then open http://127.0.0.1:8000/)
    Example: watchfloor serve --db desk.db --host 0.0.0.0 --port 8080    (reading needs a token)
    Example: watchfloor serve --db desk.db --workers 2       (two processes: both cores of the machine)
    """
    import ipaddress

    import uvicorn

    from .serve import ServeOptions, create_app

    try:
        settings = _settings(db)
        _store(settings, "write").close()  # an older store is brought to the current schema once, here
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        options = ServeOptions(db=settings.db, open_reads=loopback if open_reads is None else open_reads,
                               settings=settings)
        application = create_app(options)
    except WatchfloorError as exc:
        _fail(exc)
        return
    reading = "open to anyone who reaches it" if options.open_reads else "only with an API token"
    console.print(f"serving {escape(settings.db)} at http://{host}:{port}/ (reading {reading}; writing needs a "
                  f"token)", highlight=False)
    if workers == 1:
        uvicorn.run(application, host=host, port=port, log_level="warning", limit_concurrency=200)
        return
    import os

    from .serve.app import OPTIONS_VARIABLE, options_for_workers

    os.environ[OPTIONS_VARIABLE] = options_for_workers(options)
    uvicorn.run("watchfloor.serve.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning", limit_concurrency=200)


token_app = typer.Typer(help="API tokens: make, list and revoke them.", no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="reader (reads), analyst (also uploads and notes) or admin (also "
                                           "manages tokens).")] = "reader",
    name: Annotated[str, typer.Option(help="Who or what holds it (shown with their notes).")] = "",
    tlp_ceiling: Annotated[str | None, typer.Option(
        "--tlp-ceiling", help="The most restrictive TLP level the holder may read. Default: green for readers, "
                              "red for analysts and admins.")] = None,
    db: DbOption = None,
) -> None:
    """Make an API token. It is printed once; the store keeps only its digest.

    Example: watchfloor token create --role analyst --name "night desk" --db desk.db
    Example: watchfloor token create --role reader --tlp-ceiling green --name partner --db desk.db
    """
    from .report.tlp import parse_tlp
    from .serve.tokens import create_token, parse_role

    try:
        chosen = parse_role(role)
        ceiling = parse_tlp(tlp_ceiling) if tlp_ceiling else None
        with _store(_settings(db), "write") as store:
            token, row = create_token(store, name or chosen.value, chosen, ceiling)
    except WatchfloorError as exc:
        _fail(exc)
        return
    console.print(f"token {row.id} ({row.role}, reads up to TLP:{row.tlp_ceiling.upper()}); keep it now, it is not "
                  f"shown again:", highlight=False)
    print(token)


@token_app.command("list")
def token_list(db: DbOption = None) -> None:
    """The tokens of a store (never the tokens themselves).

    Example: watchfloor token list --db desk.db
    """
    try:
        with _store(_settings(db), "write") as store, store.read() as reader:
            rows = reader.tokens()
    except WatchfloorError as exc:
        _fail(exc)
        return
    table = Table("id", "name", "role", "TLP ceiling", "created", "revoked")
    for row in rows:
        table.add_row(row.id, escape(row.name), row.role, row.tlp_ceiling, row.created_at[:19],
                      (row.revoked_at or "")[:19])
    console.print(table)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[str, typer.Argument(help="The token's id (from `token list`).")],
                 db: DbOption = None) -> None:
    """Revoke a token: it stops working at once.

    Example: watchfloor token revoke 3f9a0c1e --db desk.db
    """
    from datetime import UTC, datetime

    try:
        with _store(_settings(db), "write") as store, store.write() as w:
            done = w.revoke_token(token_id, datetime.now(UTC).isoformat())
    except WatchfloorError as exc:
        _fail(exc)
        return
    if not done:
        errors.print(f"[red]error:[/red] no live token {escape(token_id)}", highlight=False)
        raise typer.Exit(2)
    console.print(f"token {escape(token_id)} revoked", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
