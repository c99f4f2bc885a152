"""Run pip-audit over the installed dependencies and say plainly what it could not check.

pip-audit reports "No known vulnerabilities found" even when it could reach no
vulnerability data for a package. This script fails on any known vulnerability, and lists
the packages that were not audited, so "not checked" is never mistaken for "clean". With
REQUIRE_DEPENDENCY_AUDIT=1 an unaudited package fails the run too.
"""

import json
import os
import subprocess
import sys


def main() -> int:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--skip-editable",
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout + result.stderr)
        print("pip-audit did not produce a report.")
        return 1
    dependencies = report.get("dependencies", [])
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    unaudited = [dep for dep in dependencies if dep.get("skip_reason")]
    audited = len(dependencies) - len(unaudited)

    for dep in vulnerable:
        ids = ", ".join(vuln["id"] for vuln in dep["vulns"])
        print(f"VULNERABLE: {dep['name']} {dep['version']}: {ids}")
    total = len(dependencies)
    print(f"pip-audit: {audited} of {total} packages audited, {len(vulnerable)} vulnerable.")
    if unaudited:
        names = ", ".join(dep["name"] for dep in unaudited)
        print(f"NOT AUDITED (no vulnerability data reachable from this machine): {names}")
    if vulnerable:
        return 1
    if unaudited and os.environ.get("REQUIRE_DEPENDENCY_AUDIT") == "1":
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
