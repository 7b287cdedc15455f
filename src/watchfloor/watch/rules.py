"""Watch rules (``RULES.toml``): what an analyst wants to be told about, and where alerts go.

    [[rule]]
    name = "new troop estimate"     # unique; alerts name it
    kind = "claim"                  # claim | event | any
    when = "new"                    # new: once per record a new report touches (default)
                                    # becomes: once per record that reaches a `status`
                                    # report: once per new report of a record
    subject = ["North Korea"]       # the claim's subject, or any actor of an event
    unit = ["troop"]                # what a figure counts
    keywords = ["Russia"]           # any of these words in its text or evidence

    [[rule]]
    name = "corroborated mobilisation"
    kind = "event"
    event_type = ["MOBILIZE"]
    actor = ["North Korea"]         # an actor of the event (role = "source" or "target" narrows it)
    status = ["corroborated"]

    [[output]]
    type = "jsonl"                  # stdout | jsonl (path = ...) | webhook (url = ...)
    path = "alerts.jsonl"

Conditions are ANDed; the values listed for one condition are ORed. Names match an entity's canonical
name, any spelling it was reported under, or its id (``country:kp``), case-insensitively; keywords match
whole words. Other conditions: ``entity`` (anywhere: subject, actors, attributed), ``attributed_to``,
``modality``, ``polarity``, ``above`` / ``below`` (a figure's value), ``min_sources`` (independent sources).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..model import Modality, Polarity

__all__ = ["OutputSpec", "Rule", "RuleSet", "load_rules", "parse_rules"]

KINDS = ("any", "claim", "event")
WHEN = ("new", "becomes", "report")
STATUSES = ("corroborated", "single_source", "contested")
OUTPUT_TYPES = ("stdout", "jsonl", "webhook")


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str = "any"
    when: str = "new"
    entity: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    role: str | None = None
    attributed_to: tuple[str, ...] = ()
    event_type: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    modality: tuple[str, ...] = ()
    polarity: tuple[str, ...] = ()
    unit: tuple[str, ...] = ()
    above: float | None = None
    below: float | None = None
    min_sources: int | None = None


@dataclass(frozen=True)
class OutputSpec:
    type: str
    path: str | None = None
    url: str | None = None

    @property
    def name(self) -> str:
        """The output's identity in the outbox: alerts are delivered once per output."""
        return {"stdout": "stdout", "jsonl": f"jsonl:{self.path}", "webhook": f"webhook:{self.url}"}[self.type]


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    outputs: tuple[OutputSpec, ...]


_LISTS = ("entity", "subject", "actor", "attributed_to", "event_type", "keywords", "status", "modality", "polarity",
          "unit")
_CHOICES: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "modality": tuple(m.value for m in Modality),
    "polarity": tuple(p.value for p in Polarity),
}
_RULE_KEYS = {"name", "kind", "when", "role", "above", "below", "min_sources", *_LISTS}


def _strings(where: str, name: str, value: Any) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise ConfigError(f"{where}: {name} must be a non-empty string or list of strings")
    cleaned = tuple(v.strip() for v in values)
    if name == "event_type":
        cleaned = tuple(v.upper() for v in cleaned)
    if name in _CHOICES:
        cleaned = tuple(v.lower() for v in cleaned)
        wrong = [v for v in cleaned if v not in _CHOICES[name]]
        if wrong:
            raise ConfigError(f"{where}: {name} {wrong[0]!r} is not one of {', '.join(_CHOICES[name])}")
    return cleaned


def _choice(where: str, name: str, value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.strip().lower() not in allowed:
        raise ConfigError(f"{where}: {name} {value!r} is not one of {', '.join(allowed)}")
    return value.strip().lower()


def _figure(where: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: {name} must be a number, not {value!r}")
    return float(value)


def _rule(table: Any, where: str) -> Rule:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: each [[rule]] must be a table")
    unknown = sorted(set(table) - _RULE_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown condition {unknown[0]!r}; known: {', '.join(sorted(_RULE_KEYS))}")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: every rule needs a name (a non-empty string)")
    values: dict[str, Any] = {k: _strings(where, k, table[k]) for k in _LISTS if k in table}
    values["kind"] = _choice(where, "kind", table.get("kind", "any"), KINDS)
    values["when"] = _choice(where, "when", table.get("when", "new"), WHEN)
    if "role" in table:
        values["role"] = _choice(where, "role", table["role"], ("source", "target"))
    for bound in ("above", "below"):
        if bound in table:
            values[bound] = _figure(where, bound, table[bound])
    if "min_sources" in table:
        count = table["min_sources"]
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ConfigError(f"{where}: min_sources must be a whole number of at least 1")
        values["min_sources"] = count
    rule = Rule(name=name.strip(), **values)
    if rule.when == "becomes" and not rule.status:
        raise ConfigError(f"{where}: when = \"becomes\" needs a status to become (e.g. status = [\"contested\"])")
    if rule.kind == "claim" and (rule.actor or rule.event_type or rule.role):
        raise ConfigError(f"{where}: actor, role and event_type apply to events; set kind = \"event\" or drop them")
    if rule.kind == "event" and (rule.unit or rule.above is not None or rule.below is not None):
        raise ConfigError(f"{where}: unit, above and below apply to figures (claims); set kind = \"claim\"")
    return rule


def _output(table: Any, where: str) -> OutputSpec:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: each [[output]] must be a table")
    unknown = sorted(set(table) - {"type", "path", "url"})
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; an output has type and path (jsonl) or url (webhook)")
    kind = _choice(where, "type", table.get("type"), OUTPUT_TYPES)
    if kind == "jsonl":
        path = table.get("path")
        if not isinstance(path, str) or not path.strip():
            raise ConfigError(f"{where}: a jsonl output needs path = \"alerts.jsonl\"")
        return OutputSpec(kind, path=path.strip())
    if kind == "webhook":
        url = table.get("url")
        try:
            parts = urlsplit(url) if isinstance(url, str) else None
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"{where}: a webhook output needs url = \"https://...\"")
        return OutputSpec(kind, url=str(url).strip())
    return OutputSpec(kind)


def parse_rules(text: str, name: str = "RULES.toml") -> RuleSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML ({exc})") from exc
    unknown = sorted(set(data) - {"rule", "output"})
    if unknown:
        raise ConfigError(f"{name}: unknown table {unknown[0]!r}; a rules file holds [[rule]] and [[output]] tables")
    rule_tables = data.get("rule", [])
    output_tables = data.get("output", [{"type": "stdout"}])
    if not isinstance(rule_tables, list) or not rule_tables:
        raise ConfigError(f"{name}: no [[rule]] tables; add one with a name and its conditions")
    if not isinstance(output_tables, list):
        raise ConfigError(f"{name}: [[output]] must be an array of tables")
    rules = tuple(_rule(t, f"{name}: rule {i}") for i, t in enumerate(rule_tables, start=1))
    names = [r.name for r in rules]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise ConfigError(f"{name}: two rules are named {duplicate!r}; alerts are told apart by rule name")
    outputs = tuple(_output(t, f"{name}: output {i}") for i, t in enumerate(output_tables, start=1))
    return RuleSet(rules, tuple({o.name: o for o in outputs}.values()))


def load_rules(path: Path) -> RuleSet:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the rules file ({exc})") from exc
    return parse_rules(text, str(path))
