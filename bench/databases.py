"""What the benchmark (bench/run.py) and the load test (loadtest/run.py) share: a
database of their own beside the portal's, so neither ever writes to the portal's, and
the production settings they run gunicorn with."""

import os
import secrets
import sys
from urllib.parse import urlsplit, urlunsplit


def side_database_url(suffix: str, override: str, make_target: str) -> str:
    """The URL in the environment variable `override`, or DATABASE_URL with `_<suffix>`
    added to the database name."""
    if os.environ.get(override):
        return os.environ[override]
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit(f"Set DATABASE_URL or {override} (make {make_target} sets one for you).")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    if not name.endswith(f"_{suffix}"):
        name += f"_{suffix}"
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(url: str, log) -> None:
    """Create the database of `url` on its server when it does not exist yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def set_production_environment(
    database_url: str, *, settings_module: str, var_dir, **extra: str
) -> None:
    """Production settings, as a deployment sets them, for a local plain-HTTP run: DEBUG
    off, a random SECRET_KEY, the local host names, mail kept in memory; no page run
    publishes a task, but the settings still want a broker address."""
    os.environ |= {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "VAR_DIR": str(var_dir),
        "EMAIL_BACKEND": "locmem",
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:1/0")
