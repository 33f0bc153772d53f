"""The benchmark's load: simulated clients asking for one page as fast as they are
answered (no think time), so the figures are the portal's, not the clients' pace.

bench/run.py runs locust once per page and tells it, through the environment:
BENCH_PAGE (the name in the results), BENCH_PATHS (one or more paths, space-separated,
taken in turn) and BENCH_COOKIE (a session cookie for the signed-in pages)."""

import itertools
import os

from locust import FastHttpUser, constant, task

PAGE = os.environ.get("BENCH_PAGE", "baseline")
PATHS = os.environ.get("BENCH_PATHS", "/bench/baseline/").split()
COOKIE = os.environ.get("BENCH_COOKIE", "")


class PortalClient(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.paths = itertools.cycle(PATHS)
        # As a TLS-terminating proxy in front of gunicorn would say (see bench/README.md).
        self.headers = {"X-Forwarded-Proto": "https"}
        if COOKIE:
            self.headers["Cookie"] = COOKIE

    @task
    def page(self):
        with self.client.get(
            next(self.paths), name=PAGE, headers=self.headers, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
