"""Scanning uploads with ClamAV's daemon, clamd, when settings.CLAMD_ADDRESS names one.

The client speaks clamd's INSTREAM command itself: the protocol is a few lines, and the
PyPI `clamd` package that wraps it is unmaintained (its last release, 1.0.2, is from 2014).
A file is sent as "zINSTREAM\\0", then chunks each led by its length as a 4-byte
big-endian number, then a zero length; clamd answers "stream: OK" or
"stream: <signature> FOUND", ended by a NUL byte.
"""

import socket
import struct
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# Long enough for clamd to scan a 5 MB CV on a busy machine, short enough that a person
# waiting on the form is told to try later rather than left hanging.
TIMEOUT_SECONDS = 30.0
CHUNK_BYTES = 64 * 1024
MAX_REPLY_BYTES = 4096


class ScannerUnavailable(Exception):
    """clamd did not answer, or answered with something other than a verdict."""


@dataclass(frozen=True)
class Address:
    family: int
    target: str | tuple[str, int]

    def __str__(self) -> str:
        if self.family == socket.AF_UNIX:
            return f"unix://{self.target}"
        host, port = self.target
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def parse_address(value: str) -> Address:
    """ "unix:///run/clamav/clamd.ctl", "127.0.0.1:3310", "tcp://clamav:3310" or "[::1]:3310"."""
    if value.startswith("unix://"):
        path = value.removeprefix("unix://")
        if not path.startswith("/"):
            raise ImproperlyConfigured(f"CLAMD_ADDRESS={value!r}: a unix socket needs a full path")
        return Address(socket.AF_UNIX, path)
    host, _, port = value.removeprefix("tcp://").rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(
            f"CLAMD_ADDRESS={value!r} is not host:port or unix:///path/to/clamd.ctl"
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return Address(family, (host, int(port)))


def configured_address() -> Address | None:
    """Where clamd listens, or None when uploads are not scanned."""
    value = settings.CLAMD_ADDRESS.strip()
    return parse_address(value) if value else None


def scan(chunks, *, address: Address) -> str | None:
    """Stream the file's chunks (bytes) to clamd: the name of what it found, or None when
    the file is clean. ScannerUnavailable when clamd cannot give a verdict."""
    try:
        with socket.socket(address.family, socket.SOCK_STREAM) as connection:
            connection.settimeout(TIMEOUT_SECONDS)
            connection.connect(address.target)
            try:
                connection.sendall(b"zINSTREAM\0")
                for chunk in chunks:
                    for start in range(0, len(chunk), CHUNK_BYTES):
                        part = chunk[start : start + CHUNK_BYTES]
                        connection.sendall(struct.pack("!L", len(part)) + part)
                connection.sendall(struct.pack("!L", 0))
            except (BrokenPipeError, ConnectionResetError):
                # clamd hangs up when a stream passes its StreamMaxLength, after saying so.
                pass
            reply = _read_reply(connection)
    except OSError as error:
        raise ScannerUnavailable(f"clamd at {address}: {error or type(error).__name__}") from error
    return _verdict(reply, address)


def _read_reply(connection: socket.socket) -> bytes:
    reply = b""
    while b"\0" not in reply and len(reply) < MAX_REPLY_BYTES:
        try:
            received = connection.recv(MAX_REPLY_BYTES)
        except ConnectionResetError:
            break
        if not received:
            break
        reply += received
    return reply.split(b"\0", 1)[0].strip()


def _verdict(reply: bytes, address: Address) -> str | None:
    text = reply.decode("utf-8", "replace")
    if text == "stream: OK":
        return None
    if text.startswith("stream: ") and text.endswith(" FOUND"):
        return text.removeprefix("stream: ").removesuffix(" FOUND").strip() or "unnamed"
    raise ScannerUnavailable(f"clamd at {address} answered {text[:200]!r}")


@checks.register(checks.Tags.security)
def check_clamd_address(app_configs=None, **kwargs):
    """A mistyped CLAMD_ADDRESS fails `manage.py check` (run by `make run` and the deploy)
    rather than the first upload."""
    try:
        configured_address()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="hub.E101")]
    return []
