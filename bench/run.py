"""The benchmark in one command (`make bench`; see bench/README.md).

On its own database (DATABASE_URL's name with `_bench` added, created if missing, or
BENCH_DATABASE_URL): migrate, write the city-scale data if the database is empty, collect
static files, start gunicorn with the production settings (bench.settings), put each page
under load with locust, then print one table: latency, throughput, SQL queries, the ratio
to a bare one-query page, and for the job search the ratio of page time to its SQL alone.
It also times the campaign funnel selectors and the job alerts task in-process, and reads
the web workers' memory. Results are written to var/bench/results/.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import (  # noqa: E402 (importable once ROOT is on the path)
    ensure_database,
    set_production_environment,
    side_database_url,
)

VAR = ROOT / "var" / "bench"
RESULTS = VAR / "results"
VENV_BIN = Path(sys.executable).parent

SEARCH_PATH = "/jobs/?q=nurse&band=5&pattern=part_time"
# Pages for partner staff, requested signed in; the others as an anonymous visitor.
SIGNED_IN_PAGES = {"HR pipeline (2,000 applications)", "campaign funnel"}
OPEN_VACANCIES_VISITED = 20
ALONE_REPEATS = 10
ALONE_BUDGET_MS = 15_000  # slow pages are timed three times rather than ten
EXPLAIN_REPEATS = 5

# Gunicorn runs as behind a TLS-terminating proxy, which says the request came over HTTPS:
# the production settings (HTTPS on, SSL redirect, secure cookies) stay as they are.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

TARGETS = {
    "search_p95_ms": 100,
    "max_queries": 10,
    "search_page_to_sql": 3,
    "funnel_seconds": 1,
    "alerts_seconds": 120,
    "worker_rss_mb": 200,
}


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- Environment and database ------------------------------------------------------------------


def prepare(scale: float, seed: int) -> None:
    from django.core.management import call_command

    from bench import scale_data

    call_command("migrate", "--no-input", verbosity=0)
    if not scale_data.has_data():
        log(f"writing scale data (scale {scale:g}); a few minutes at scale 1")
        call_command("generate_scale_data", scale=scale, seed=seed)
    elif not scale_data.only_scale_data():
        sys.exit("The benchmark database holds data that is not scale data: refusing to run.")
    if not (VAR / "static" / "staticfiles.json").exists():
        log("collecting static files")
        call_command("collectstatic", "--no-input", verbosity=0)


# --- The pages ------------------------------------------------------------------------------------


def pages() -> dict[str, list[str]]:
    """{page: paths}. The signed-in pages are the benchmark HR user's organisation's."""
    from django.urls import reverse

    from bench import scale_data
    from talent.models import Vacancy

    membership = scale_data.bench_membership()
    org_slug = membership.organisation.slug
    vacancies = Vacancy.objects.published().order_by("pk")[:OPEN_VACANCIES_VISITED]
    return {
        "baseline": ["/bench/baseline/"],
        "job search": [SEARCH_PATH],
        "vacancy page": [vacancy.get_absolute_url() for vacancy in vacancies],
        "HR pipeline (2,000 applications)": [
            reverse(
                "pipeline:vacancy_pipeline",
                kwargs={"org_slug": org_slug, "pk": scale_data.pipeline_vacancy().pk},
            )
        ],
        "campaign funnel": [
            reverse(
                "campaign_reports:funnel",
                kwargs={"org_slug": org_slug, "campaign_id": scale_data.largest_campaign().pk},
            )
        ],
    }


def signed_in_client():
    """A test client signed in as the benchmark's HR user. The user has two-factor set up
    (as partner staff must); the session is made directly, as after a two-factor sign-in."""
    from django.test import Client

    from bench import scale_data

    client = Client(headers=PROXY_HEADERS)
    client.force_login(scale_data.bench_user())
    return client


def measure_in_process(signed_in, paths: dict[str, list[str]]) -> dict[str, dict]:
    """Each page's SQL queries and its time with one client and no network (median of a
    few), checking every page answers 200."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous = Client(headers=PROXY_HEADERS)
    found = {}
    for page, page_paths in paths.items():
        client = signed_in if page in SIGNED_IN_PAGES else anonymous
        path = page_paths[0]
        response = client.get(path)  # warms caches and renews the session
        if response.status_code != 200:
            sys.exit(f"{page} ({path}) answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        # Read now: the log is cleared when the next request starts.
        statements = [query["sql"] for query in queries.captured_queries]
        times = []
        while len(times) < ALONE_REPEATS and (len(times) < 3 or sum(times) < ALONE_BUDGET_MS):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        found[page] = {
            "queries": len(statements),
            "sql": statements,
            "alone_median_ms": statistics.median(times),
        }
    return found


def explain_ms(statements: list[str]) -> tuple[float, list[tuple[float, str]]]:
    """The database's own time for the statements (EXPLAIN ANALYZE: planning plus
    execution, median of a few runs each): their total, and each one's."""
    from django.db import connection

    each = []
    with connection.cursor() as cursor:
        for sql in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            runs = []
            for _ in range(EXPLAIN_REPEATS):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                runs.append(plan[0]["Planning Time"] + plan[0]["Execution Time"])
            each.append((statistics.median(runs), sql))
    return sum(ms for ms, _ in each), each


# --- Gunicorn and locust --------------------------------------------------------------


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    log(f"starting gunicorn ({workers} workers) on 127.0.0.1:{port}")
    log_file = open(VAR / "gunicorn.log", "w")  # noqa: SIM115 (kept open for the process)
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--timeout=120",
        ],
        cwd=ROOT,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/bench/baseline/", headers=PROXY_HEADERS
            )
            urllib.request.urlopen(request, timeout=2)
            return process
        except OSError:
            if process.poll() is not None:
                sys.exit(f"gunicorn stopped: see {VAR / 'gunicorn.log'}")
            time.sleep(0.5)
    process.terminate()
    sys.exit("gunicorn did not answer within 60 seconds")


def warm_up(port: int, paths: dict[str, list[str]], cookie: str, workers: int) -> None:
    """Every path a few times per worker, so no measured request is a worker's first."""
    for page, page_paths in paths.items():
        headers = {"Cookie": cookie} if page in SIGNED_IN_PAGES else {}
        for path in page_paths[:3]:
            for _ in range(workers * 2):
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}{path}", headers={**headers, **PROXY_HEADERS}
                )
                urllib.request.urlopen(request, timeout=120).read()


def run_locust(page: str, paths: list[str], *, port, cookie, users, duration) -> dict:
    prefix = RESULTS / page.split(" ")[0].lower()
    log(f"locust: {page}, {users} clients for {duration}")
    subprocess.run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            f"--users={users}",
            f"--spawn-rate={users}",
            f"--run-time={duration}",
            f"--host=http://127.0.0.1:{port}",
            f"--csv={prefix}",
            "--only-summary",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "BENCH_PAGE": page,
            "BENCH_PATHS": " ".join(paths),
            "BENCH_COOKIE": cookie,
        },
        check=False,  # locust exits 1 when a request failed; the failures are reported
        stdout=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        row = next((r for r in csv.DictReader(stats) if r["Name"] == page), None)
    if row is None:  # not one answer within the run
        nothing = float("nan")
        return {"requests": 0, "failures": 0, "median_ms": nothing, "p95_ms": nothing, "rps": 0}
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "median_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "rps": float(row["Requests/s"]),
    }


def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (children of the master), in MB."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master_pid:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sorted(sizes)


# --- In-process timings -------------------------------------------------------------------------


def median_seconds(function, repeats: int = 3) -> float:
    function()  # warm
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def time_funnels() -> dict:
    from bench import scale_data
    from campaigns.models import Engagement
    from campaigns.reports import city_campaign_reach
    from campaigns.selectors import funnel

    campaign = scale_data.largest_campaign()

    def campaign_page_selectors():
        funnel.campaign_report(campaign)
        funnel.funnel_by_neighbourhood(campaign)
        funnel.funnel_by_decile(campaign)
        funnel.course_cohorts(campaign)

    return {
        "campaign_engagements": campaign.engagements.count(),
        "campaign_selectors_s": median_seconds(campaign_page_selectors),
        "campaign_report_s": median_seconds(lambda: funnel.campaign_report(campaign)),
        "city_engagements": Engagement.objects.count(),
        "city_reach_s": median_seconds(city_campaign_reach),
    }


def time_job_alerts(sample: int) -> dict:
    """Saved searches made due again (all of them, or a sample: the first `sample` by
    id, the others marked just sent), then the alerts task run in-process by one worker
    with Celery eager, so each email is also delivered (to the locmem backend). The time
    for every saved search is projected from the sample's."""
    from django.db import connection

    from config.celery_app import app as celery_app
    from hub.models import OutboundEmail
    from talent.models import SavedSearch
    from talent.services.alerts import job_alerts_send

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE talent_savedsearch SET last_sent_at = latest.at - CASE frequency
                WHEN 'weekly' THEN interval '7 days' ELSE interval '1 day' END
            FROM (SELECT max(published_at) AS at FROM talent_vacancy
                  WHERE status = 'published') latest
            """
        )
        if sample:
            cursor.execute(
                """
                UPDATE talent_savedsearch SET last_sent_at = now() WHERE id NOT IN (
                    SELECT id FROM talent_savedsearch ORDER BY id LIMIT %s)
                """,
                [sample],
            )
    celery_app.conf.task_always_eager = True
    total = SavedSearch.objects.filter(active=True).count()
    timed = min(sample, total) if sample else total
    started = time.perf_counter()
    sent = sum(job_alerts_send(frequency=frequency) for frequency in ("daily", "weekly"))
    seconds = time.perf_counter() - started
    OutboundEmail.objects.filter(kind="job_alert").delete()
    return {
        "saved_searches": total,
        "timed": timed,
        "emails": sent,
        "seconds": seconds,
        "projected_seconds": seconds * total / timed,
    }


# --- The report ---------------------------------------------------------------------------


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def report(results: dict) -> str:
    rows = results["pages"]
    baseline = rows["baseline"]["median_ms"] or 1
    lines = [
        f"{'page':<34} {'median':>8} {'p95':>8} {'req/s':>7} {'queries':>7} "
        f"{'x base':>7} {'alone':>8} {'page/SQL':>8}",
    ]
    for page, row in rows.items():
        ratio = row.get("page_to_sql")
        lines.append(
            f"{page:<34} {row['median_ms']:>6.0f}ms {row['p95_ms']:>6.0f}ms {row['rps']:>7.1f} "
            f"{row['queries']:>7} {row['median_ms'] / baseline:>7.1f} "
            f"{row['alone_median_ms']:>6.0f}ms {(f'{ratio:.1f}' if ratio else ''):>8}"
        )
    lines.append(
        f"(latency under {results['users']} clients for {results['duration']} each; 'alone' is one "
        "client in-process; page/SQL is 'alone' over the search's SQL by EXPLAIN ANALYZE, "
        f"{results['search_sql_ms']:.0f} ms)"
    )
    funnels = results["funnels"]
    lines.append(
        f"funnel selectors, campaign of {funnels['campaign_engagements']:,} journeys: "
        f"{funnels['campaign_selectors_s']:.2f} s "
        f"(its totals alone {funnels['campaign_report_s']:.2f} s)"
    )
    lines.append(
        f"campaign reach of the city, {funnels['city_engagements']:,} journeys: "
        f"{funnels['city_reach_s']:.2f} s"
    )
    alerts = results.get("alerts")
    if alerts:
        lines.append(
            f"job alerts: {alerts['timed']:,} saved searches due, {alerts['emails']:,} emails, "
            f"{alerts['seconds']:.0f} s; for all {alerts['saved_searches']:,}: "
            f"{alerts['projected_seconds']:.0f} s"
        )
    lines.append(
        f"gunicorn workers' memory (RSS): {', '.join(f'{mb:.0f} MB' for mb in results['rss_mb'])}"
    )
    search = rows["job search"]
    worst_queries = max(row["queries"] for row in rows.values())
    lines += [
        "",
        "targets:",
        f"  job search p95 < {TARGETS['search_p95_ms']} ms at {results['users']} clients: "
        f"{search['p95_ms']:.0f} ms {verdict(search['p95_ms'] < TARGETS['search_p95_ms'])}",
        f"  no page over {TARGETS['max_queries']} queries: worst {worst_queries} "
        f"{verdict(worst_queries <= TARGETS['max_queries'])}",
        f"  search page <= {TARGETS['search_page_to_sql']} x its SQL: "
        f"{search['page_to_sql']:.1f} "
        f"{verdict(search['page_to_sql'] <= TARGETS['search_page_to_sql'])}",
        f"  funnel over 1,000,000 journeys < {TARGETS['funnel_seconds']} s: "
        f"{funnels['city_reach_s']:.2f} s "
        f"{verdict(funnels['city_reach_s'] < TARGETS['funnel_seconds'])}",
    ]
    if alerts:
        lines.append(
            f"  job alerts within {TARGETS['alerts_seconds']} s: "
            f"{alerts['projected_seconds']:.0f} s "
            f"{verdict(alerts['projected_seconds'] <= TARGETS['alerts_seconds'])}"
        )
    worst_rss = max(results["rss_mb"], default=0)
    lines.append(
        f"  web worker memory < {TARGETS['worker_rss_mb']} MB: {worst_rss:.0f} MB "
        f"{verdict(worst_rss < TARGETS['worker_rss_mb'])}"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="for an empty database")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=8, help="concurrent clients")
    parser.add_argument("--duration", default="60s", help="per page, as locust's --run-time")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--skip-alerts", action="store_true", help="skip timing the job alerts")
    parser.add_argument(
        "--alerts-sample",
        type=int,
        default=2000,
        help="time this many saved searches and project to all (0: time them all)",
    )
    args = parser.parse_args()

    database_url = side_database_url("bench", "BENCH_DATABASE_URL", "bench")
    ensure_database(database_url, log)
    set_production_environment(database_url, settings_module="bench.settings", var_dir=VAR)
    RESULTS.mkdir(parents=True, exist_ok=True)
    log(f"database {urlsplit(database_url).path.lstrip('/')}")

    import django

    django.setup()
    prepare(args.scale, args.seed)
    from django.conf import settings

    paths = pages()
    client = signed_in_client()
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    log("counting queries and timing each page in-process")
    measured = measure_in_process(client, paths)
    search_sql_ms, search_statements = explain_ms(measured["job search"]["sql"])
    (RESULTS / "in_process.json").write_text(json.dumps(measured, indent=2))

    gunicorn = start_gunicorn(args.port, args.workers)
    try:
        warm_up(args.port, paths, cookie, args.workers)
        load = {
            page: run_locust(
                page,
                page_paths,
                port=args.port,
                cookie=cookie if page in SIGNED_IN_PAGES else "",
                users=args.users,
                duration=args.duration,
            )
            for page, page_paths in paths.items()
        }
        rss = worker_rss_mb(gunicorn.pid)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    rows = {}
    for page in paths:
        rows[page] = {**load[page], **{k: v for k, v in measured[page].items() if k != "sql"}}
    rows["job search"]["page_to_sql"] = rows["job search"]["alone_median_ms"] / search_sql_ms
    log("timing the funnel selectors")
    results = {
        "users": args.users,
        "duration": args.duration,
        "workers": args.workers,
        "pages": rows,
        "search_sql_ms": search_sql_ms,
        "search_statements": [
            {"ms": round(ms, 2), "sql": sql[:300]} for ms, sql in search_statements
        ],
        "funnels": time_funnels(),
        "rss_mb": rss,
    }
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2, default=str))
    if not args.skip_alerts:
        log("timing the job alerts")
        results["alerts"] = time_job_alerts(args.alerts_sample)
    text = report(results)
    print("\n" + text)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2, default=str))
    (RESULTS / "latest.txt").write_text(text + "\n")
    log(f"results in {RESULTS}")
    return 0 if all(row["failures"] == 0 for row in rows.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
