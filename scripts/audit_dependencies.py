"""Audit the installed Python packages for known vulnerabilities, and say plainly which
ones could not be audited.

Every distribution in this environment's site-packages is counted, except editable
installs (the project itself). For each package the audit takes the first of these
sources that covers its installed version:

1. pip-audit's services: PyPI's per-release JSON (/pypi/<name>/<version>/json), then
   OSV's API. Each covers the packages it answered for at their installed version.
2. A local advisory database in the OSV format, when DEPENDENCY_ADVISORY_DB names its
   directory (osv_advisories.py). It covers every package whose records it could
   evaluate, and is as current as its newest record, whose date is printed.
3. PyPI's project JSON (pypi_registry.py), whose vulnerabilities are those of the
   project's latest release: it covers a package whose installed version is that release.

The project JSON also says whether an installed release was yanked, and why: that is
reported, but it neither audits a package nor fails the run.

The last line is either "Audited all N packages: no known vulnerabilities." or names the
packages NOT AUDITED (or, when there are any, the VULNERABLE ones). Exit status: 0 when
every package was audited and none is vulnerable, 1 when one is vulnerable, 2 when some
were not audited and none is vulnerable. AUDIT_ALLOW_UNAUDITED=1 turns 2 into 0, still
printing the NOT AUDITED line, for machines that can reach no advisory data.
"""

import importlib.metadata
import json
import os
import subprocess
import sys
import sysconfig
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script, only scripts/ itself is on the path

from scripts.osv_advisories import (  # noqa: E402
    Advisory,
    AdvisoryDatabase,
    UnreadableAdvisory,
)
from scripts.pypi_registry import (  # noqa: E402
    TIMEOUT_SECONDS,
    RegistryData,
    fetch_projects,
    latest_release_advisories,
    same_version,
    yanked_reason,
)

# pip-audit asks PyPI about one package after another; this bounds a network that
# drops packets rather than refusing them.
PIP_AUDIT_SECONDS = 180


@dataclass(frozen=True)
class Package:
    name: str  # canonical (PEP 503), as advisories and the registry name it
    version: str


# A source is asked about the packages not yet audited. It answers with the advisories
# for each package it covered at its installed version ([] when none is known), and a
# note on what it could and couldn't do.
SourceCheck = Callable[[list[Package]], tuple[dict[str, list[Advisory]], str]]


@dataclass
class Coverage:
    source: str
    asked: int
    advisories: dict[str, list[Advisory]] = field(default_factory=dict)
    note: str = ""


def _is_editable(dist: importlib.metadata.Distribution) -> bool:
    try:
        direct_url = json.loads(dist.read_text("direct_url.json") or "{}")
    except ValueError:
        return False
    return bool(direct_url.get("dir_info", {}).get("editable"))


def installed_packages() -> tuple[list[Package], list[str]]:
    """This environment's distributions, and the names of the editable ones left out."""
    paths = sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})
    found: dict[str, Package] = {}
    editable: set[str] = set()
    for dist in importlib.metadata.distributions(path=paths):
        if not dist.metadata["Name"]:
            continue
        name = canonicalize_name(dist.metadata["Name"])
        if name in found or name in editable:
            continue
        if _is_editable(dist):
            editable.add(name)
        else:
            found[name] = Package(name, dist.version)
    return sorted(found.values(), key=lambda package: package.name), sorted(editable)


def run_pip_audit(service: str) -> str:
    """pip-audit's JSON report from one service; RuntimeError saying why if it gave none."""
    command = [sys.executable, "-m", "pip_audit", "--skip-editable", "--format", "json"]
    command += ["--progress-spinner", "off", "--vulnerability-service", service]
    command += ["--timeout", str(TIMEOUT_SECONDS)]
    try:
        # Safe: this interpreter running pip-audit, with arguments of our own.
        result = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, check=False, timeout=PIP_AUDIT_SECONDS
        )
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(f"no report within {PIP_AUDIT_SECONDS} s") from error
    if not result.stdout.lstrip().startswith("{"):
        # Its traceback's last line names the error; urllib3's "(Caused by ...)" repeats it.
        last_line = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(last_line.split(" (Caused by ")[0][:200])
    return result.stdout


def covered_by_pip_audit(report: dict, packages: list[Package]) -> tuple[dict, str]:
    installed = {package.name: package.version for package in packages}
    advisories: dict[str, list[Advisory]] = {}
    skipped: Counter[str] = Counter()
    for dependency in report.get("dependencies", []):
        name = canonicalize_name(str(dependency.get("name", "")))
        if name not in installed:
            continue
        reason = dependency.get("skip_reason")
        if reason or not same_version(dependency.get("version"), installed[name]):
            # e.g. "Dependency not found on PyPI and could not be audited: asgiref (3.13.0)"
            skipped[str(reason or "another version").split(":")[0]] += 1
            continue
        advisories[name] = [
            Advisory(id=str(vuln["id"]), fixed_in=tuple(vuln.get("fix_versions") or ()))
            for vuln in dependency.get("vulns", [])
        ]
    note = "; ".join(f"{count} skipped: {reason}" for reason, count in skipped.most_common())
    return advisories, note


def pip_audit_check(service: str, run: Callable[[str], str] = run_pip_audit) -> SourceCheck:
    def check(packages: list[Package]) -> tuple[dict, str]:
        try:
            report = json.loads(run(service))
        except (RuntimeError, ValueError) as error:
            return {}, f"no report: {error}"
        return covered_by_pip_audit(report, packages)

    return check


def local_database_check(directory: str | None) -> SourceCheck:
    def check(packages: list[Package]) -> tuple[dict, str]:
        if not directory:
            return {}, "none: DEPENDENCY_ADVISORY_DB names no directory"
        try:
            database = AdvisoryDatabase.load(Path(directory).expanduser())
        except (OSError, ValueError) as error:
            return {}, f"not usable: {error}"
        advisories: dict[str, list[Advisory]] = {}
        unreadable = []
        for package in packages:
            try:
                advisories[package.name] = database.advisories_for(package.name, package.version)
            except UnreadableAdvisory as error:
                unreadable.append(f"{package.name} ({error})")
        note = f"{database.root}, newest record modified {database.newest_modified or '?'}"
        if unreadable:
            note += "; could not evaluate its records for " + ", ".join(unreadable)
        return advisories, note

    return check


def registry_check(registry: RegistryData) -> SourceCheck:
    def check(packages: list[Package]) -> tuple[dict, str]:
        if registry.unreachable:
            return {}, f"no answer: {registry.unreachable}"
        advisories: dict[str, list[Advisory]] = {}
        why_not: Counter[str] = Counter()
        for package in packages:
            if package.name not in registry.documents:
                why_not["no answer"] += 1
            elif (document := registry.documents[package.name]) is None:
                why_not["not on PyPI"] += 1
            elif (found := latest_release_advisories(document, package.version)) is None:
                why_not["not at the latest release"] += 1
            else:
                advisories[package.name] = found
        return advisories, "; ".join(f"{n} {reason}" for reason, n in why_not.most_common())

    return check


def audit(packages: list[Package], sources: list[tuple[str, SourceCheck]]) -> list[Coverage]:
    """Ask each source in turn about the packages that no earlier source covered."""
    remaining = list(packages)
    coverages = []
    for label, check in sources:
        if not remaining:
            coverages.append(Coverage(label, asked=0))
            continue
        advisories, note = check(remaining)
        asked = {package.name for package in remaining}
        covered = {name: found for name, found in advisories.items() if name in asked}
        coverages.append(Coverage(label, len(remaining), covered, note))
        remaining = [package for package in remaining if package.name not in covered]
    return coverages


def later_fixes(version: str, fixed_in: tuple[str, ...]) -> list[str]:
    """The fixed releases above the installed one (advisories list a fix per branch)."""
    try:
        installed = Version(version)
    except InvalidVersion:
        return list(fixed_in)
    later = []
    for fix in fixed_in:
        try:
            if Version(fix) > installed:
                later.append(fix)
        except InvalidVersion:
            later.append(fix)
    return later


def vulnerable_line(package: Package, source: str, advisories: list[Advisory]) -> str:
    described = []
    for advisory in advisories:
        fixes = later_fixes(package.version, advisory.fixed_in)
        described.append(
            f"{advisory.id} (fixed in {', '.join(fixes)})" if fixes else f"{advisory.id} (no fix)"
        )
    return f"VULNERABLE: {package.name} {package.version}: {'; '.join(described)} [{source}]"


def summary(
    total: int, unaudited: list[str], vulnerable: list[str], *, allow_unaudited: bool
) -> tuple[list[str], int]:
    """The closing lines, the last of them plain, and the exit status."""
    lines = []
    if unaudited:
        lines.append(
            f"NOT AUDITED: {len(unaudited)} of {total} packages ({', '.join(unaudited)}): "
            "no advisory data for their installed versions could be reached."
        )
    if vulnerable:
        lines.append(
            f"VULNERABLE: {len(vulnerable)} of {total} packages ({', '.join(vulnerable)}) "
            "have known vulnerabilities in their installed versions."
        )
        return lines, 1
    if unaudited and allow_unaudited:
        return ["AUDIT_ALLOW_UNAUDITED=1: packages not audited do not fail this run.", *lines], 0
    if unaudited:
        return lines, 2
    return [f"Audited all {total} packages: no known vulnerabilities."], 0


def coverage_line(coverage: Coverage) -> str:
    if not coverage.asked:
        return f"{coverage.source}: not needed, every package was already audited"
    counted = f"{coverage.source}: audited {len(coverage.advisories)} of {coverage.asked} packages"
    return f"{counted} ({coverage.note})" if coverage.note else counted


def report(
    packages: list[Package],
    coverages: list[Coverage],
    registry: RegistryData,
    *,
    editable: list[str],
    allow_unaudited: bool,
) -> tuple[list[str], int]:
    """What the audit found, one line per source and per finding, and the exit status."""
    counted = f"{len(packages)} installed packages"
    if editable:
        counted += f", not counting {', '.join(editable)} (editable, from source)"
    lines = [f"{counted}.", *(coverage_line(coverage) for coverage in coverages)]
    for package in packages:
        document = registry.documents.get(package.name)
        reason = yanked_reason(document, package.version) if document else None
        if reason:
            lines.append(f"YANKED: {package.name} {package.version}: {reason}")
    vulnerable, audited = [], set()
    for coverage in coverages:
        audited |= coverage.advisories.keys()
        for package in packages:
            if found := coverage.advisories.get(package.name):
                vulnerable.append(package.name)
                lines.append(vulnerable_line(package, coverage.source, found))
    unaudited = [package.name for package in packages if package.name not in audited]
    closing, status = summary(len(packages), unaudited, vulnerable, allow_unaudited=allow_unaudited)
    return lines + closing, status


def main() -> int:
    packages, editable = installed_packages()
    registry = fetch_projects([package.name for package in packages])
    sources = [
        ("pip-audit with PyPI's per-release JSON", pip_audit_check("pypi")),
        ("pip-audit with OSV's API", pip_audit_check("osv")),
        ("Local advisory database", local_database_check(os.environ.get("DEPENDENCY_ADVISORY_DB"))),
        ("PyPI's project JSON (latest releases only)", registry_check(registry)),
    ]
    lines, status = report(
        packages,
        audit(packages, sources),
        registry,
        editable=editable,
        allow_unaudited=os.environ.get("AUDIT_ALLOW_UNAUDITED") == "1",
    )
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
