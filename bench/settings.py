"""The portal's production settings, with the benchmark's URLconf (its baseline page).

Everything else comes from the environment exactly as in production: DEBUG off, a
SECRET_KEY, ALLOWED_HOSTS, secure cookies. bench/run.py sets those for a local run; it
serves plain HTTP, which production settings allow (no SSL redirect unless asked for),
and hands load clients a session cookie rather than relying on the browser's rules for
secure cookies."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
