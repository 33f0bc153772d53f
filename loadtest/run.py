"""The load test in one command (`make loadtest`; docs/reliability.md, "Load").

On its own database (DATABASE_URL's name with `_loadtest` added, created if missing, or
LOADTEST_DATABASE_URL): migrate, load the demo data (seed_demo) and a few HR staff
accounts for the simulated staff, collect static files, start gunicorn with the production
settings (3 workers, as the Docker image runs it), then run locust headless with a mixed
public, candidate and staff workload (loadtest/locustfile.py): 50 simulated people, 5 more
a second, for 5 minutes. It prints and writes a summary per page to var/loadtest/results/
and exits 1 if any request failed or the web server logged an error.

    .venv/bin/python loadtest/run.py [--users 50] [--spawn-rate 5] [--duration 5m]
"""

import argparse
import base64
import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import (  # noqa: E402 (importable once ROOT is on the path)
    ensure_database,
    set_production_environment,
    side_database_url,
)

VAR = ROOT / "var" / "loadtest"
RESULTS = VAR / "results"
VENV_BIN = Path(sys.executable).parent
GUNICORN_WORKERS = 3  # as in the Dockerfile
STAFF_ACCOUNTS = 10  # more than the simulated staff: a TOTP code is accepted once per person
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def log(message: str) -> None:
    print(f"[loadtest] {message}", flush=True)


# --- Database and data -----------------------------------------------------------------


def staff_totp_secret(email: str) -> str:
    """A fixed secret per load-test account, so reruns reuse the accounts."""
    digest = hashlib.sha256(f"workforce-hub-loadtest:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def ensure_staff_accounts(organisation) -> list[dict]:
    """HR staff at the organisation, each with two-factor set up, as partner staff must."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    from hub import services
    from hub.demo import DEMO_PASSWORD
    from hub.models import Membership, User

    accounts = []
    for n in range(1, STAFF_ACCOUNTS + 1):
        email = f"loadtest.hr{n:02d}@example.org"
        secret = staff_totp_secret(email)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, name=f"Load Test HR {n}"
            )
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
            services.membership_create(
                organisation=organisation, user=user, role=Membership.Role.STAFF
            )
            TOTP.activate(user, secret)
        accounts.append({"email": email, "totp_secret": secret})
    return accounts


def links(client, path: str, pattern: str) -> list[str]:
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")
    return sorted(set(re.findall(pattern, response.content.decode())))


def prepare() -> dict:
    """Migrate, seed, collect static files; return the plan the locustfile reads."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from hub.demo import DEMO_PASSWORD, LTHT
    from hub.models import Organisation
    from talent.models import Vacancy

    call_command("migrate", "--no-input", verbosity=0)
    call_command("createcachetable", verbosity=0)
    log("loading the demo data (idempotent)")
    call_command("seed_demo", allow_production=True, verbosity=0)
    if not (VAR / "static" / "staticfiles.json").exists():
        log("collecting static files")
        call_command("collectstatic", "--no-input", verbosity=0)
    organisation = Organisation.objects.get(name=LTHT)
    staff = ensure_staff_accounts(organisation)
    cache.clear()  # earlier runs' rate-limit counters and used two-factor codes

    pipeline_vacancy = (
        Vacancy.objects.filter(organisation=organisation)
        .annotate(applicants=Count("applications"))
        .order_by("-applicants", "pk")
        .first()
    )
    slug = organisation.slug
    client = Client(headers=PROXY_HEADERS)
    return {
        "password": DEMO_PASSWORD,
        "candidate": "candidate@example.org",
        "staff": staff,
        "vacancies": [v.get_absolute_url() for v in Vacancy.objects.published().order_by("pk")],
        "events": links(client, "/events/", r'href="(/events/[0-9a-f-]{36}/)"'),
        "pathways": links(client, "/careers/", r'href="(/careers/[a-z0-9-]+/)"'),
        "staff_pages": {
            "dashboard": reverse("hub:organisation_dashboard", kwargs={"org_slug": slug}),
            "vacancy_list": reverse("vacancies:vacancy_list", kwargs={"org_slug": slug}),
            "pipeline": reverse(
                "pipeline:vacancy_pipeline", kwargs={"org_slug": slug, "pk": pipeline_vacancy.pk}
            ),
        },
    }


# --- Gunicorn and locust ---------------------------------------------------------------


def start_gunicorn(port: int) -> subprocess.Popen:
    log(f"starting gunicorn ({GUNICORN_WORKERS} workers) on 127.0.0.1:{port}")
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            f"--workers={GUNICORN_WORKERS}",
            f"--bind=127.0.0.1:{port}",
            "--no-control-socket",  # gunicorn 27's one socket per user would be shared
        ],
        cwd=ROOT,
        stdout=open(VAR / "gunicorn.log", "w"),  # noqa: SIM115 (kept open for the process)
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers=PROXY_HEADERS)
            urllib.request.urlopen(request, timeout=5).read()
            return process
        except OSError:
            if process.poll() is not None:
                sys.exit(f"gunicorn stopped: see {VAR / 'gunicorn.log'}")
            time.sleep(0.5)
    process.terminate()
    sys.exit("gunicorn did not answer within 60 seconds")


def run_locust(*, port: int, users: int, spawn_rate: float, duration: str) -> Path:
    prefix = RESULTS / "run"
    log(f"locust: {users} people, {spawn_rate:g} more a second, for {duration}")
    subprocess.run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "loadtest" / "locustfile.py"),
            "--headless",
            f"--users={users}",
            f"--spawn-rate={spawn_rate}",
            f"--run-time={duration}",
            f"--host=http://127.0.0.1:{port}",
            f"--csv={prefix}",
            f"--html={RESULTS / 'report.html'}",
            "--only-summary",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, "LOADTEST_PLAN": str(VAR / "plan.json")},
        check=False,  # locust exits 1 when a request failed; the failures are reported
    )
    return prefix


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return [
            {
                "page": row["Name"] if row["Name"] != "Aggregated" else "all requests",
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "max_ms": float(row["Max Response Time"]),
                "rps": float(row["Requests/s"]),
            }
            for row in csv.DictReader(stats)
        ]


def read_failures(prefix: Path) -> list[str]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as failures:
        return [
            f"{row['Occurrences']} x {row['Method']} {row['Name']}: {row['Error']}"
            for row in csv.DictReader(failures)
        ]


def server_errors() -> int:
    return (VAR / "gunicorn.log").read_text().count("Internal Server Error")


def report(results: dict) -> str:
    lines = [
        f"{results['users']} simulated people (spawn rate {results['spawn_rate']:g}/s) for "
        f"{results['duration']} against gunicorn ({GUNICORN_WORKERS} workers), "
        f"{results['started']}; load average before {results['load_before']}, "
        f"after {results['load_after']} ({os.cpu_count()} CPUs)",
        "",
        "| page | requests | failures | median ms | p95 ms | max ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["pages"]:
        page = f"{row['method']} {row['page']}" if row["method"] else f"**{row['page']}**"
        lines.append(
            f"| {page} | {row['requests']} | {row['failures']} | {row['median_ms']:.0f} | "
            f"{row['p95_ms']:.0f} | {row['max_ms']:.0f} | {row['rps']:.2f} |"
        )
    lines += ["", f"server errors in gunicorn's log: {results['server_errors']}"]
    lines += [f"failure: {failure}" for failure in results["failures"]]
    return "\n".join(lines)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", default="5m", help="as locust's --run-time")
    parser.add_argument("--port", type=int, default=8098)
    args = parser.parse_args()

    database_url = side_database_url("loadtest", "LOADTEST_DATABASE_URL", "loadtest")
    ensure_database(database_url, log)
    set_production_environment(
        database_url, settings_module="config.settings", var_dir=VAR, TRUSTED_PROXY_COUNT="1"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    log(f"database {urlsplit(database_url).path.lstrip('/')}")

    import django

    django.setup()
    plan = prepare()
    (VAR / "plan.json").write_text(json.dumps(plan, indent=2))

    gunicorn = start_gunicorn(args.port)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_before = load_average()
    try:
        prefix = run_locust(
            port=args.port, users=args.users, spawn_rate=args.spawn_rate, duration=args.duration
        )
    finally:
        load_after = load_average()
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    results = {
        "users": args.users,
        "spawn_rate": args.spawn_rate,
        "duration": args.duration,
        "started": started,
        "load_before": load_before,
        "load_after": load_after,
        "pages": read_stats(prefix),
        "failures": read_failures(prefix),
        "server_errors": server_errors(),
    }
    text = report(results)
    print("\n" + text)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
    (RESULTS / "latest.md").write_text(text + "\n")
    log(f"results in {RESULTS}")
    total = next(row for row in results["pages"] if row["page"] == "all requests")
    return 0 if total["failures"] == 0 and results["server_errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
