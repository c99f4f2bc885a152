"""What PyPI's project JSON (https://pypi.org/pypi/<name>/json) says about an installed release.

Warehouse's JSON API documentation: the `vulnerabilities` array of this endpoint lists
the known vulnerabilities of the project's most recent release (the one in `info`), and
an entry whose `withdrawn` is set has been retracted. So the list audits an installed
package only when the installed version is that latest release; for any other version
it says nothing. `releases` has every release's files, each with `yanked` and
`yanked_reason`.

Requests: one per package, eight at a time, with a short time-out and no retries. The
first goes alone, so a registry that can't be reached costs one time-out, not eighty.
"""

import json
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.error import HTTPError
from urllib.parse import quote

from packaging.version import InvalidVersion, Version

from scripts.osv_advisories import Advisory

REGISTRY = "https://pypi.org/pypi"
TIMEOUT_SECONDS = 5
WORKERS = 8

ProjectFetch = Callable[[str], dict | None]


@dataclass
class RegistryData:
    """Project JSON by package name, None where PyPI has no such project; a package missing
    from `documents` got no answer. `unreachable` says why, when no request was answered."""

    documents: dict[str, dict | None]
    unreachable: str = ""


def same_version(listed: object, installed: str) -> bool:
    try:
        return Version(str(listed)) == Version(installed)
    except InvalidVersion:
        return str(listed) == installed


def fetch_project(name: str, registry: str = REGISTRY) -> dict | None:
    """The project JSON, or None if PyPI has no such project; OSError if no answer."""
    url = f"{registry}/{quote(name)}/json"
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"{url} is not an HTTP URL")
    try:
        # Safe: the URL is checked above to be HTTP(S), so no file: or custom scheme.
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310
            return json.load(response)
    except HTTPError as error:
        if error.code == 404:
            return None
        raise


def fetch_projects(names: list[str], fetch: ProjectFetch = fetch_project) -> RegistryData:
    """Each project's JSON; the first asked alone, so that no network costs one time-out."""
    if not names:
        return RegistryData({})
    try:
        documents = {names[0]: fetch(names[0])}
    except (OSError, ValueError) as error:
        return RegistryData({}, unreachable=str(error))

    def one(name: str) -> tuple[str, dict | None, bool]:
        try:
            return name, fetch(name), True
        except (OSError, ValueError):
            return name, None, False

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for name, document, answered in pool.map(one, names[1:]):
            if answered:
                documents[name] = document
    return RegistryData(documents)


def latest_release_advisories(document: dict, version: str) -> list[Advisory] | None:
    """The project's listed vulnerabilities if `version` is its latest release, else None."""
    if not same_version((document.get("info") or {}).get("version"), version):
        return None
    return [
        Advisory(id=str(vuln["id"]), fixed_in=tuple(vuln.get("fixed_in") or ()))
        for vuln in document.get("vulnerabilities") or []
        if not vuln.get("withdrawn")
    ]


def yanked_reason(document: dict, version: str) -> str | None:
    """Why the release at `version` was yanked, or None if it wasn't (or has no files)."""
    for release, files in (document.get("releases") or {}).items():
        if same_version(release, version) and files and all(f.get("yanked") for f in files):
            reasons = [f["yanked_reason"] for f in files if f.get("yanked_reason")]
            return reasons[0] if reasons else "no reason given"
    return None
