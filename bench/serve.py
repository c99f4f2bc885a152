"""The dashboard served by gunicorn with production settings, under a bounded load from a
second process (bench/load.py) signed in as a national user."""

import json
import os
import secrets
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from databases import PYTHON, ROOT, database_url, environment, manage

PORT = "8765"
STATIC = ROOT / "staticfiles"  # collected for the server, removed after


def session_cookie(url: str, username: str, env: dict) -> str:
    """A signed-in session made with the server's own settings (its secret key signs the
    session and the user's session hash)."""
    code = (
        "from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, "
        "HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        f"user = get_user_model().objects.get(username={username!r})\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(user.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "s.set_expiry(3600)\n"
        "s.create()\n"
        "print('KEY=' + s.session_key)\n"
    )
    output = manage(url, "shell", "-c", code, env=env)
    return "sessionid=" + output.split("KEY=")[1].strip()


def load_run(engine: str, scale: str, paths: list[str]) -> dict:
    """The dashboard under gunicorn (production settings, two workers) with a bounded load
    from a second process."""
    url = database_url(engine, scale)
    server_env = environment(
        url,
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env,
        check=True,
    )
    cookie = session_cookie(url, "national.jmg", server_env)
    server = start_server(server_env)
    try:
        wait_until_serving()
        return bounded_load(cookie, paths)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(STATIC, ignore_errors=True)


def start_server(server_env: dict) -> subprocess.Popen:
    """gunicorn in a session of its own, so that stopping it stops its workers too."""
    return subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_env,
        start_new_session=True,
    )


def wait_until_serving() -> None:
    """Up to 30 seconds for the sign-in page to answer: the load starts once it does."""
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/sign-in/", timeout=2)
            break
        except OSError:
            time.sleep(0.5)


def bounded_load(cookie: str, paths: list[str]) -> dict:
    """bench/load.py's four clients for BENCH_LOAD_SECONDS, as JSON."""
    done = subprocess.run(
        [
            PYTHON,
            "bench/load.py",
            "--base",
            f"http://127.0.0.1:{PORT}",
            "--cookie",
            cookie,
            "--seconds",
            os.environ.get("BENCH_LOAD_SECONDS", "20"),
            "--clients",
            "4",
            *paths,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)
