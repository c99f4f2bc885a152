"""The benchmark's databases: where each lives, the environment a process is given to use
one, manage.py and bench/measure.py run against it, and building it afresh."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DATA = ROOT / "bench" / ".data"
PG = "postgres://postgres@127.0.0.1:5432"
SEED = "1"


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


def database_url(engine: str, scale: str) -> str:
    name = f"bench_{scale.replace('.', '_')}"
    if engine == "sqlite":
        return f"sqlite:///{DATA / (name + '.sqlite3')}"
    return f"{PG}/{name}"


def environment(url: str, **extra) -> dict:
    return (
        os.environ
        | {
            "DATABASE_URL": url,
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
            "PYTHONUNBUFFERED": "1",
        }
        | extra
    )


def manage(url: str, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env or environment(url),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def measure(url: str, *args: str) -> object:
    done = subprocess.run(
        [PYTHON, "bench/measure.py", *args],
        cwd=ROOT,
        env=environment(url),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"measure.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def prepare(engine: str, scale: str) -> float | None:
    """A fresh database with the demo and the national data set, and the seconds that
    generate_national took (with BENCH_KEEP=1, the time recorded when it was built)."""
    url = database_url(engine, scale)
    marker = DATA / f"{engine}-{scale}.ready"
    if os.environ.get("BENCH_KEEP") == "1" and marker.exists():
        say(f"{engine} scale {scale}: keeping the database built earlier")
        recorded = marker.read_text().strip()
        return float(recorded) if recorded else None  # the time it took then
    marker.unlink(missing_ok=True)
    if engine == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        name = url.rsplit("/", 1)[1]
        for command in (["dropdb", "--if-exists", name], ["createdb", name]):
            subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres"], check=True)
    say(f"{engine} scale {scale}: migrating and loading the demo")
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "load_demo", "--no-passwords", "-v0")
    say(f"{engine} scale {scale}: generate_national")
    started = time.perf_counter()
    manage(url, "generate_national", "--scale", scale, "--seed", SEED)
    seconds = time.perf_counter() - started
    if engine == "postgres":
        manage(
            url,
            "shell",
            "-c",
            # As after any bulk load: statistics for the planner, and the visibility map
            # written now rather than by autovacuum in the middle of the measurements.
            "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
        )
    marker.write_text(f"{seconds:.1f}")
    return round(seconds, 1)


def postgres_available() -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False
        ).returncode
        == 0
    )
