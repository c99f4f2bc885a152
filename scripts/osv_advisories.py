"""Known vulnerabilities from a local advisory database in the OSV format.

The database is a directory of OSV records, JSON or YAML, laid out either as
pypa/advisory-database (vulns/<package>/PYSEC-....yaml) or as an OSV export (one
<ID>.json per record); sub-directories are searched and hidden ones skipped. Only the
records' PyPI entries are read.

A version is affected by a record, as the OSV schema's evaluation pseudocode says, when it
is listed in an entry's `versions` or lies in one of its ranges: the range's events sorted
by version, `introduced` opens it (`"0"` comes before every version), `fixed` closes it
at that version and `last_affected` just after it; `limit` events bound the whole range.
ECOSYSTEM and SEMVER ranges are compared as PEP 440 versions; GIT ranges name commits,
which cannot be ordered without the repository, so only the entry's `versions` list
speaks for them (pypa/advisory-database lists the versions a GIT range covers).
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

RECORD_SUFFIXES = {".json", ".yaml", ".yml"}
ORDERED_RANGE_TYPES = {"ECOSYSTEM", "SEMVER"}


class UnreadableAdvisory(ValueError):
    """A record whose versions can't be compared, so it can't say whether a version is hit."""


@dataclass(frozen=True)
class Advisory:
    id: str
    fixed_in: tuple[str, ...] = ()


def parse_version(text: object) -> Version:
    try:
        return Version(str(text))
    except InvalidVersion as error:
        raise UnreadableAdvisory(f"{text!r} is not a PEP 440 version") from error


def _single_event(event: dict) -> tuple[str, str]:
    """The schema allows exactly one of introduced / fixed / last_affected / limit per event."""
    kinds = [kind for kind in ("introduced", "fixed", "last_affected", "limit") if kind in event]
    if len(kinds) != 1:
        raise UnreadableAdvisory(f"event {event!r} should have exactly one kind")
    return kinds[0], str(event[kinds[0]])


def _before_limits(version: Version, events: list[tuple[str, str]]) -> bool:
    limits = [value for kind, value in events if kind == "limit"]
    if not limits:
        return True
    return any("*" in value or version < parse_version(value) for value in limits)


def _timeline(events: list[tuple[str, str]]) -> list[tuple[str, Version | None]]:
    """The opening and closing events in version order; None is introduced "0", first of all."""
    timeline = [
        (kind, None if kind == "introduced" and value == "0" else parse_version(value))
        for kind, value in events
        if kind != "limit"
    ]
    return sorted(timeline, key=_version_order)


def _version_order(event: tuple[str, Version | None]) -> tuple[int, Version]:
    at = event[1]
    return (0, Version("0")) if at is None else (1, at)


def in_range(version: Version, events: Iterable[dict]) -> bool:
    """Whether `version` lies in one OSV range with these events (ECOSYSTEM or SEMVER)."""
    parsed = [_single_event(event) for event in events]
    if not _before_limits(version, parsed):
        return False
    vulnerable = False
    for kind, at in _timeline(parsed):
        if at is None or (kind == "introduced" and version >= at):
            vulnerable = True
        elif (kind == "fixed" and version >= at) or (kind == "last_affected" and version > at):
            vulnerable = False
    return vulnerable


def _listed(version: Version, listed: Iterable[object]) -> bool:
    for entry in listed:
        try:
            if Version(str(entry)) == version:
                return True
        except InvalidVersion:
            continue  # a version PEP 440 can't read is not one pip could have installed
    return False


def _pypi_name(entry: object) -> str | None:
    """The canonical name of an `affected` entry's package, if it is a PyPI one."""
    package = entry.get("package") if isinstance(entry, dict) else None
    if not isinstance(package, dict) or package.get("ecosystem") != "PyPI":
        return None
    return canonicalize_name(str(package["name"])) if package.get("name") else None


def affecting(record: dict, name: str, version: str) -> Advisory | None:
    """The record as an advisory if it affects package `name` at `version`, else None.

    Raises UnreadableAdvisory when a range the version must be compared with won't parse.
    """
    if record.get("withdrawn"):
        return None
    installed = parse_version(version)
    fixes: list[str] = []
    hit = False
    for entry in [entry for entry in record.get("affected") or [] if _pypi_name(entry) == name]:
        ranges = [r for r in entry.get("ranges") or [] if r.get("type") in ORDERED_RANGE_TYPES]
        for affected_range in ranges:
            events = affected_range.get("events") or []
            fixes += [str(event["fixed"]) for event in events if "fixed" in event]
            hit = hit or in_range(installed, events)
        hit = hit or _listed(installed, entry.get("versions") or [])
    return Advisory(id=str(record["id"]), fixed_in=tuple(dict.fromkeys(fixes))) if hit else None


def _read(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    # Safe: the base loader builds nothing but strings, lists and dicts. Unlike the safe
    # loader it keeps an unquoted version such as 1.10 as written, not as the float 1.1.
    # libyaml's reads pypa/advisory-database's ~2,700 records in a second or two.
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506  # nosec B506


def _record_files(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*")
        if path.suffix in RECORD_SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


@dataclass
class AdvisoryDatabase:
    root: Path
    records: dict[str, list[dict]]  # by canonical package name
    newest_modified: str

    @classmethod
    def load(cls, root: Path) -> "AdvisoryDatabase":
        """Read every PyPI record under `root`; OSError or ValueError naming the file if not."""
        records: dict[str, list[dict]] = {}
        modified = ""
        for path in _record_files(root):
            try:
                record = _read(path)
            except (OSError, ValueError, yaml.YAMLError) as error:
                raise ValueError(f"{path}: not a readable OSV record ({error})") from error
            # Other YAML in the tree (pypa/advisory-database's triage notes) has no `affected`.
            if not isinstance(record, dict) or "id" not in record or "affected" not in record:
                continue
            names = {name for entry in record["affected"] if (name := _pypi_name(entry))}
            for name in names:
                records.setdefault(name, []).append(record)
            if names:
                modified = max(modified, str(record.get("modified") or "")[:10])
        if not records:
            raise ValueError(f"{root} holds no OSV records for PyPI packages")
        return cls(root=root, records=records, newest_modified=modified)

    def advisories_for(self, name: str, version: str) -> list[Advisory]:
        """Every record affecting the package at this version; UnreadableAdvisory if unsure."""
        found = [affecting(record, name, version) for record in self.records.get(name, [])]
        return [advisory for advisory in found if advisory is not None]
