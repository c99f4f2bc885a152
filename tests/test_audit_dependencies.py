"""`make audit`'s dependency audit (scripts/audit_dependencies.py): a package counts as
audited only when some source covered its installed version, and the last line and the
exit status say so plainly. No test here reaches the network: the registry and pip-audit
are handed in, served from this machine, or refused by a proxy that isn't there."""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from packaging.version import Version

from scripts.audit_dependencies import (
    Package,
    audit,
    installed_packages,
    local_database_check,
    pip_audit_check,
    registry_check,
    report,
)
from scripts.osv_advisories import Advisory, AdvisoryDatabase, affecting, in_range
from scripts.pypi_registry import (
    RegistryData,
    fetch_project,
    fetch_projects,
    latest_release_advisories,
    yanked_reason,
)

ROOT = Path(__file__).resolve().parents[1]

# Shaped as pypa/advisory-database writes them: YAML, unquoted versions where YAML keeps
# them strings, the ranges of two branches out of order, a GIT range beside them.
PYSEC_RECORD = """\
id: PYSEC-2099-17
modified: 2099-03-02T10:00:00.123456Z
published: 2099-03-01T09:00:00Z
aliases:
- CVE-2099-1234
details: Sample-Lib 1.4 before 1.4.3 and 2.0 before 2.0.2 allow a crafted header to ...
affected:
- package:
    ecosystem: PyPI
    name: sample-lib
    purl: pkg:pypi/sample-lib
  ranges:
  - type: GIT
    repo: https://example.org/sample-lib.git
    events:
    - introduced: '0'
    - fixed: 9f2c1e0d4b6a8c7e5f3a1b2c4d6e8f0a1b3c5d7e
  - type: ECOSYSTEM
    events:
    - introduced: "2.0"
    - fixed: 2.0.2
    - introduced: "1.4"
    - fixed: 1.4.3
  versions:
  - "1.4"
  - 1.4.1
  - 1.4.2
  - "2.0"
  - 2.0.1
  - 1.3.9
references:
- type: ADVISORY
  url: https://example.org/advisories/2099-17
"""

# Shaped as an OSV export's JSON: a GitHub advisory with last_affected (no fix yet).
GHSA_RECORD = {
    "schema_version": "1.6.0",
    "id": "GHSA-abcd-efgh-ijkl",
    "modified": "2099-04-05T06:07:08Z",
    "published": "2099-04-01T00:00:00Z",
    "aliases": ["CVE-2099-5678"],
    "summary": "Path traversal in other_pkg",
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "Other_Pkg", "purl": "pkg:pypi/other-pkg"},
            "ranges": [
                {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "3.1"}]}
            ],
            "database_specific": {"source": "https://example.org/ghsa"},
        },
        {
            "package": {"ecosystem": "npm", "name": "sample-lib"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}],
        },
    ],
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
}


def is_hit(version: str, events: list[dict]) -> bool:
    return in_range(Version(version), events)


def test_osv_range_introduced_is_inclusive_and_fixed_exclusive():
    events = [{"introduced": "1.4"}, {"fixed": "1.4.3"}]

    assert [is_hit(v, events) for v in ["1.3.9", "1.4", "1.4.2", "1.4.3", "1.5"]] == [
        False,
        True,
        True,
        False,
        False,
    ]


def test_osv_range_events_out_of_order_cover_each_branch():
    events = [{"introduced": "2.0"}, {"fixed": "2.0.2"}, {"introduced": "1.4"}, {"fixed": "1.4.3"}]

    hits = {v: is_hit(v, events) for v in ["1.4.2", "1.4.3", "1.9", "2.0.1", "2.0.2", "3.0"]}

    assert hits == {
        "1.4.2": True,
        "1.4.3": False,
        "1.9": False,
        "2.0.1": True,
        "2.0.2": False,
        "3.0": False,
    }


def test_osv_range_last_affected_is_inclusive():
    events = [{"introduced": "0"}, {"last_affected": "2.1.214"}]

    assert is_hit("0.1", events) and is_hit("2.1.214", events)
    assert not is_hit("2.1.215", events)


def test_osv_range_introduced_zero_comes_before_every_version():
    assert is_hit("0.dev0", [{"introduced": "0"}])
    assert is_hit("0.0.1a1", [{"introduced": "0"}, {"fixed": "0.0.1"}])


def test_osv_range_orders_prereleases_and_post_releases_as_pep_440():
    events = [{"introduced": "0"}, {"fixed": "2.0"}]

    assert is_hit("2.0rc1", events)
    assert not is_hit("2.0.post1", events)
    assert not is_hit("2.0.0", events)  # the same release as 2.0


def test_osv_range_limit_bounds_the_whole_range():
    assert is_hit("0.9", [{"introduced": "0"}, {"limit": "1.0"}])
    assert not is_hit("1.0", [{"introduced": "0"}, {"limit": "1.0"}])
    assert is_hit("7.0", [{"introduced": "0"}, {"limit": "*"}])


def test_osv_record_hits_a_version_in_any_range_or_in_its_versions_list():
    record = {
        "id": "PYSEC-2099-3",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "sample-lib"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"fixed": "1.1"}]},
                    {"type": "ECOSYSTEM", "events": [{"introduced": "3.0"}, {"fixed": "3.2"}]},
                    {"type": "GIT", "events": [{"introduced": "0"}, {"fixed": "abc123"}]},
                ],
                "versions": ["2.5"],
            }
        ],
    }

    hit = {v: affecting(record, "sample-lib", v) is not None for v in ["1.0", "2.0", "2.5", "3.1"]}

    assert hit == {"1.0": True, "2.0": False, "2.5": True, "3.1": True}
    assert affecting(record, "sample-lib", "3.1") == Advisory("PYSEC-2099-3", ("1.1", "3.2"))


def test_osv_record_ignores_other_ecosystems_and_withdrawn_records():
    assert affecting(GHSA_RECORD, "sample-lib", "1.0") is None  # only npm's sample-lib
    assert affecting(GHSA_RECORD, "other-pkg", "3.1") is not None  # "Other_Pkg", normalised
    assert (
        affecting({**GHSA_RECORD, "withdrawn": "2099-05-01T00:00:00Z"}, "other-pkg", "3.1") is None
    )


@pytest.fixture
def advisory_db(tmp_path):
    """Both layouts in one tree, with the files that aren't records that such trees hold."""
    (tmp_path / "vulns" / "sample-lib").mkdir(parents=True)
    (tmp_path / "vulns" / "sample-lib" / "PYSEC-2099-17.yaml").write_text(PYSEC_RECORD)
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "GHSA-abcd-efgh-ijkl.json").write_text(json.dumps(GHSA_RECORD))
    (tmp_path / "triage").mkdir()
    (tmp_path / "triage" / "false_positives.yaml").write_text("- id: PYSEC-2099-1\n")
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "automation.yaml").write_text("on: [push]\n{not: valid")
    return tmp_path


def test_local_database_reads_records_of_both_layouts(advisory_db):
    database = AdvisoryDatabase.load(advisory_db)

    assert sorted(database.records) == ["other-pkg", "sample-lib"]
    assert database.newest_modified == "2099-04-05"
    assert database.advisories_for("sample-lib", "2.0.1") == [
        Advisory("PYSEC-2099-17", ("2.0.2", "1.4.3"))
    ]
    assert database.advisories_for("sample-lib", "1.3.9") == [
        Advisory("PYSEC-2099-17", ("2.0.2", "1.4.3"))
    ]  # listed in its versions, though before the ranges
    assert database.advisories_for("sample-lib", "1.9") == []
    assert database.advisories_for("unlisted", "1.0") == []


def test_local_database_reads_unquoted_yaml_versions_as_written(tmp_path):
    (tmp_path / "PYSEC-2099-5.yaml").write_text(
        "id: PYSEC-2099-5\n"
        "affected:\n"
        "- package: {ecosystem: PyPI, name: sample-lib}\n"
        "  ranges:\n"
        "  - type: ECOSYSTEM\n"
        "    events: [{introduced: 1.2}, {fixed: 1.10}]\n"
    )

    database = AdvisoryDatabase.load(tmp_path)

    assert database.advisories_for("sample-lib", "1.9") == [Advisory("PYSEC-2099-5", ("1.10",))]
    assert database.advisories_for("sample-lib", "1.10") == []


def test_local_database_covers_every_package_it_can_evaluate(advisory_db):
    (advisory_db / "vulns" / "odd-pkg").mkdir()
    (advisory_db / "vulns" / "odd-pkg" / "PYSEC-2099-9.json").write_text(
        json.dumps(
            {
                "id": "PYSEC-2099-9",
                "affected": [
                    {
                        "package": {"ecosystem": "PyPI", "name": "odd-pkg"},
                        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "one"}]}],
                    }
                ],
            }
        )
    )
    packages = [Package("sample-lib", "2.0.1"), Package("odd-pkg", "1.0"), Package("clean", "4")]

    advisories, note = local_database_check(str(advisory_db))(packages)

    assert advisories == {
        "sample-lib": [Advisory("PYSEC-2099-17", ("2.0.2", "1.4.3"))],
        "clean": [],
    }
    assert "could not evaluate its records for odd-pkg ('one' is not a PEP 440 version)" in note


@pytest.mark.parametrize(
    ("directory", "says"),
    [(None, "none: DEPENDENCY_ADVISORY_DB"), ("{empty}", "holds no OSV records for PyPI")],
)
def test_local_database_without_records_covers_nothing(tmp_path, directory, says):
    directory = directory and directory.format(empty=tmp_path)

    advisories, note = local_database_check(directory)([Package("sample-lib", "2.0.1")])

    assert advisories == {}
    assert says in note


def test_local_database_with_an_unreadable_record_covers_nothing(advisory_db):
    (advisory_db / "vulns" / "sample-lib" / "PYSEC-2099-18.json").write_text('{"id": ')

    advisories, note = local_database_check(str(advisory_db))([Package("sample-lib", "2.0.1")])

    assert advisories == {}
    assert "PYSEC-2099-18.json: not a readable OSV record" in note


def project_json(latest: str, vulnerabilities=(), releases=None) -> dict:
    """The parts of PyPI's /pypi/<name>/json the audit reads, as Warehouse documents them."""
    files = [{"filename": f"sample_lib-{latest}.tar.gz", "yanked": False, "yanked_reason": None}]
    return {
        "info": {"name": "sample-lib", "version": latest, "yanked": False},
        "releases": releases if releases is not None else {latest: files},
        "urls": files,
        "vulnerabilities": list(vulnerabilities),
    }


PYPI_VULNERABILITY = {
    "aliases": ["CVE-2099-1234"],
    "details": "...",
    "fixed_in": ["2.0.2"],
    "id": "PYSEC-2099-17",
    "link": "https://osv.dev/vulnerability/PYSEC-2099-17",
    "source": "osv",
    "withdrawn": None,
}


def test_registry_speaks_only_for_the_latest_release():
    withdrawn = {**PYPI_VULNERABILITY, "id": "PYSEC-2099-2", "withdrawn": "2099-06-28T16:39:06Z"}
    document = project_json("2.0.1", [PYPI_VULNERABILITY, withdrawn])

    assert latest_release_advisories(document, "2.0.1") == [Advisory("PYSEC-2099-17", ("2.0.2",))]
    assert latest_release_advisories(document, "2.0.1.0") is not None  # the same release
    assert latest_release_advisories(document, "2.0") is None
    assert latest_release_advisories(project_json("3.0"), "3.0") == []


def test_registry_check_says_why_it_could_not_cover_a_package():
    registry = RegistryData(
        {"sample-lib": project_json("2.0.1"), "gone": None, "old": project_json("9")}
    )
    packages = [
        Package("sample-lib", "2.0.1"),
        Package("old", "8"),
        Package("gone", "1"),
        Package("silent", "1"),
    ]

    advisories, note = registry_check(registry)(packages)

    assert advisories == {"sample-lib": []}
    assert sorted(note.split("; ")) == [
        "1 no answer",
        "1 not at the latest release",
        "1 not on PyPI",
    ]


def test_registry_reports_a_yanked_release_with_its_reason():
    yanked = [{"filename": "sample_lib-1.1.tar.gz", "yanked": True, "yanked_reason": "Broke TLS"}]
    silent = [{"filename": "sample_lib-1.2.tar.gz", "yanked": True, "yanked_reason": None}]
    kept = [{"filename": "sample_lib-1.3.tar.gz", "yanked": False, "yanked_reason": None}]
    document = project_json("1.3", releases={"1.1": yanked, "1.2": silent, "1.3": kept, "1.4": []})

    reasons = {v: yanked_reason(document, v) for v in ["1.1", "1.2", "1.3", "1.4", "1.5"]}

    assert reasons == {
        "1.1": "Broke TLS",
        "1.2": "no reason given",
        "1.3": None,
        "1.4": None,
        "1.5": None,
    }


def test_fetch_projects_asks_once_when_the_registry_does_not_answer():
    asked = []

    def unreachable(name):
        asked.append(name)
        raise OSError("[Errno -2] Name or service not known")

    registry = fetch_projects(["a", "b", "c"], fetch=unreachable)

    assert asked == ["a"]
    assert registry.documents == {}
    assert "Name or service not known" in registry.unreachable


def test_fetch_projects_keeps_each_answer_and_skips_the_unanswered():
    def fetch(name):
        if name == "flaky":
            raise TimeoutError("timed out")
        return None if name == "gone" else project_json("1.0")

    registry = fetch_projects(["sample-lib", "gone", "flaky", "other"], fetch=fetch)

    assert sorted(registry.documents) == ["gone", "other", "sample-lib"]
    assert registry.documents["gone"] is None
    assert registry.unreachable == ""


@pytest.fixture
def local_registry():
    """A registry on this machine: sample-lib's project JSON, a 404 for anything else."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/pypi/sample-lib/json":
                body = json.dumps(project_json("2.0.1")).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(404 if self.path.startswith("/pypi/") else 500)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_project_reads_the_registry_and_its_404(local_registry):
    assert fetch_project("sample-lib", f"{local_registry}/pypi")["info"]["version"] == "2.0.1"
    assert fetch_project("no-such-project", f"{local_registry}/pypi") is None
    with pytest.raises(OSError):
        fetch_project("sample-lib", f"{local_registry}/broken")


def test_pip_audit_covers_only_the_packages_it_answered_for():
    pip_audit_json = {
        "dependencies": [
            {
                "name": "sample-lib",
                "version": "2.0.1",
                "vulns": [
                    {
                        "id": "PYSEC-2099-17",
                        "fix_versions": ["1.4.3", "2.0.2"],
                        "aliases": ["CVE-2099-1234"],
                        "description": "...",
                    }
                ],
            },
            {"name": "clean", "version": "4", "vulns": []},
            {
                "name": "asgiref",
                "skip_reason": (
                    "Dependency not found on PyPI and could not be audited: asgiref (3.13.0)"
                ),
            },
            {"name": "not-ours", "version": "1", "vulns": []},
        ],
        "fixes": [],
    }
    packages = [Package("sample-lib", "2.0.1"), Package("clean", "4"), Package("asgiref", "3.13.0")]

    advisories, note = pip_audit_check("pypi", run=lambda service: json.dumps(pip_audit_json))(
        packages
    )

    assert advisories == {
        "sample-lib": [Advisory("PYSEC-2099-17", ("1.4.3", "2.0.2"))],
        "clean": [],
    }
    assert note == "1 skipped: Dependency not found on PyPI and could not be audited"


def test_pip_audit_without_a_report_covers_nothing():
    def no_network(service):
        raise RuntimeError("requests.exceptions.ConnectionError: api.osv.dev")

    advisories, note = pip_audit_check("osv", run=no_network)([Package("sample-lib", "2.0.1")])

    assert advisories == {}
    assert note == "no report: requests.exceptions.ConnectionError: api.osv.dev"


def source(covers: dict[str, list[Advisory]], note: str = ""):
    """A source that answers for exactly these packages, noting what it was asked."""
    asked: list[list[str]] = []

    def check(packages):
        asked.append([package.name for package in packages])
        return covers, note

    check.asked = asked
    return check


def test_each_source_is_asked_only_about_packages_not_yet_audited():
    packages = [Package("a", "1"), Package("b", "1"), Package("c", "1")]
    first, second, third = source({"a": []}), source({"a": [Advisory("X-1")], "b": []}), source({})

    coverages = audit(packages, [("first", first), ("second", second), ("third", third)])

    assert first.asked == [["a", "b", "c"]]
    assert second.asked == [["b", "c"]]
    assert third.asked == [["c"]]
    assert [coverage.advisories for coverage in coverages] == [{"a": []}, {"b": []}, {}]


def run_report(packages, sources, registry=None, *, allow_unaudited=False):
    return report(
        packages,
        audit(packages, sources),
        registry or RegistryData({}),
        editable=["partnership-governance"],
        allow_unaudited=allow_unaudited,
    )


def test_all_packages_audited_and_clean_exits_0():
    packages = [Package("a", "1"), Package("b", "2")]

    lines, status = run_report(
        packages, [("pip-audit", source({"a": []}, "")), ("database", source({"b": []}, "db"))]
    )

    assert status == 0
    assert lines == [
        "2 installed packages, not counting partnership-governance (editable, from source).",
        "pip-audit: audited 1 of 2 packages",
        "database: audited 1 of 1 packages (db)",
        "Audited all 2 packages: no known vulnerabilities.",
    ]


def test_some_packages_not_audited_exits_2_and_names_them_last():
    packages = [Package("a", "1"), Package("b", "2"), Package("c", "3")]

    lines, status = run_report(packages, [("registry", source({"b": []}))])

    assert status == 2
    assert lines[-1] == (
        "NOT AUDITED: 2 of 3 packages (a, c): "
        "no advisory data for their installed versions could be reached."
    )


def test_allowing_unaudited_packages_exits_0_but_still_says_not_audited_last():
    packages = [Package("a", "1"), Package("b", "2")]

    lines, status = run_report(packages, [("registry", source({"b": []}))], allow_unaudited=True)

    assert status == 0
    assert lines[-1].startswith("NOT AUDITED: 1 of 2 packages (a): ")
    assert "Audited all" not in "\n".join(lines)


def test_a_vulnerable_package_exits_1_with_its_ids_and_later_fixes():
    packages = [Package("a", "1"), Package("sample-lib", "2.0.1")]
    found = [Advisory("PYSEC-2099-17", ("1.4.3", "2.0.2")), Advisory("GHSA-abcd-efgh-ijkl")]

    lines, status = run_report(
        packages, [("database", source({"sample-lib": found}))], allow_unaudited=True
    )

    assert status == 1
    assert (
        "VULNERABLE: sample-lib 2.0.1: PYSEC-2099-17 (fixed in 2.0.2); GHSA-abcd-efgh-ijkl (no fix)"
        " [database]"
    ) in lines
    assert lines[-2].startswith("NOT AUDITED: 1 of 2 packages (a): ")
    assert lines[-1] == (
        "VULNERABLE: 1 of 2 packages (sample-lib) have known vulnerabilities in their "
        "installed versions."
    )


def test_a_yanked_release_is_reported_without_failing_the_audit():
    yanked = [{"filename": "a-1.tar.gz", "yanked": True, "yanked_reason": "Wrong licence file"}]
    registry = RegistryData({"a": project_json("2", releases={"1": yanked})})

    lines, status = run_report([Package("a", "1")], [("database", source({"a": []}))], registry)

    assert "YANKED: a 1: Wrong licence file" in lines
    assert (status, lines[-1]) == (0, "Audited all 1 packages: no known vulnerabilities.")


def test_installed_packages_leave_out_the_editable_project():
    packages, editable = installed_packages()

    assert editable == ["partnership-governance"]
    assert {"django", "packaging", "pip-audit"} <= {package.name for package in packages}


def test_the_script_with_no_network_says_not_audited_and_fails(tmp_path):
    """Every request goes to a proxy on a port where nothing listens, as on a machine with
    no network; pip-audit's HTTP cache is empty, so nothing can answer from it."""
    nowhere = "http://127.0.0.1:9"
    env = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in {"no_proxy", "dependency_advisory_db", "audit_allow_unaudited"}
    }
    env |= {"HTTPS_PROXY": nowhere, "HTTP_PROXY": nowhere, "https_proxy": nowhere}
    env |= {"http_proxy": nowhere, "PIP_CACHE_DIR": str(tmp_path)}

    result = subprocess.run(  # noqa: S603 – this interpreter, running the script under test
        [sys.executable, str(ROOT / "scripts" / "audit_dependencies.py")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )

    last_line = result.stdout.strip().splitlines()[-1]
    total = len(installed_packages()[0])
    assert result.returncode == 2, result.stdout + result.stderr
    assert last_line.startswith(f"NOT AUDITED: {total} of {total} packages (")
    assert "PyPI's project JSON (latest releases only): audited 0 of" in result.stdout
