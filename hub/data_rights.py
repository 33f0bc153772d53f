"""Data rights: a person downloads everything the portal holds about them (UK GDPR right
of access, article 15, and portability, article 20) and erases their account (right to
erasure, article 17).

Each app says what it holds about a person and how it erases it, by registering
functions from its AppConfig.ready() (hub/personal_data.py, talent/personal_data.py,
portability/personal_data.py, campaigns/personal_data.py), so the hub never imports the
apps built on it:

    @personal_data("applications")
    def applications(user) -> Section: ...            # a key of data.json, and files

    @personal_data_eraser("applications")
    def erase_applications(*, user, now) -> list[str]: ...   # what it did, for the email

    @erasure_refusal
    def works_for_a_partner(user) -> str | None: ...  # why the account cannot be erased

`personal_data_zip` writes data.json and the files into a zip; `account_erase` runs every
eraser and deletes the account in one transaction, then emails the person. The download
and erasure pages are talent's (talent/views/data_rights.py), under /me/ with the rest of
the person's own pages. docs/security.md ("Data rights") says what is in each and why.
"""

import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from hub import emails
from hub.models import AuditEvent, OutboundEmail, User
from hub.services import audit_record
from hub.uploads import private_storage, safe_filename

logger = logging.getLogger(__name__)

EXPORTED_ACTION = "account.data_exported"
ERASED_ACTION = "account.erased"
# The zip is built in memory up to this size, in a temporary file beyond it.
SPOOL_MAX_BYTES = 8 * 1024 * 1024
ABOUT = (
    "Everything Workforce Hub holds about you, as of generated_at. Each key is one part of "
    "the portal; files/ holds the documents you uploaded, named in the data where they "
    "belong. Left out: the names of the staff who did things (you see their "
    "organisation), your password and two-factor secrets, and records partner "
    "organisations keep in their own systems."
)


@dataclass(frozen=True)
class PersonalFile:
    """A stored private file to put in the zip at `path` (under files/)."""

    path: str
    storage_name: str


@dataclass(frozen=True)
class Section:
    """One key of data.json: JSON-ready `data` (dates and UUIDs are fine) and its files."""

    data: object
    files: list[PersonalFile] = field(default_factory=list)


SECTIONS: dict[str, Callable[[User], Section]] = {}
ERASERS: dict[str, Callable[..., list[str]]] = {}
REFUSALS: list[Callable[[User], str | None]] = []


def personal_data(key: str):
    """Register `build(user) -> Section` as the key `key` of the person's data.json."""

    def decorator(build: Callable[[User], Section]) -> Callable[[User], Section]:
        if key in SECTIONS:
            raise ValueError(f"Personal data {key!r} is registered twice")
        SECTIONS[key] = build
        return build

    return decorator


def personal_data_eraser(key: str):
    """Register `erase(*, user, now) -> list[str]`, run inside the erasure's transaction
    before the account is deleted; it returns sentences saying what it did, for the email
    that confirms the erasure. File deletes wait for the commit
    (hub.uploads.private_files_delete_after_commit)."""

    def decorator(erase: Callable[..., list[str]]) -> Callable[..., list[str]]:
        if key in ERASERS:
            raise ValueError(f"Personal data eraser {key!r} is registered twice")
        ERASERS[key] = erase
        return erase

    return decorator


def erasure_refusal(check: Callable[[User], str | None]) -> Callable[[User], str | None]:
    """Register `check(user)`: a sentence saying why this account cannot be erased by its
    owner (they work for a partner, say), or None."""
    REFUSALS.append(check)
    return check


def confirmed_emails(user: User) -> list[str]:
    """The addresses the person has proved are theirs, in lower case: records elsewhere
    under one of them (a campaign's resident, a portability offer) are theirs too."""
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    )
    return sorted({address.lower() for address in addresses})


def account_emails(user: User) -> list[str]:
    """Every address of the account, confirmed or not, in lower case: the ones the portal
    may have emailed the person at."""
    addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    return sorted({user.email.lower(), *(address.lower() for address in addresses)})


# --- Download ----------------------------------------------------------------------------------


def _collect(user: User) -> tuple[dict, list[PersonalFile]]:
    """Every app's section of data.json, in registration order, and every file."""
    data, files = {}, []
    for key, build in SECTIONS.items():
        section = build(user)
        data[key] = section.data
        files += section.files
    return data, files


def personal_data_zip(*, user: User) -> tuple[IO[bytes], str]:
    """The person's data as a zip (data.json and files/) in a temporary file, positioned at
    its start, and the name to download it as. The download is audited."""
    now = timezone.now()
    sections, files = _collect(user)
    # Returned open: the response that streams it closes it.
    archive_file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115
    missing = []
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        storage = private_storage()
        for personal_file in files:
            try:
                with (
                    storage.open(personal_file.storage_name, "rb") as source,
                    archive.open(personal_file.path, "w") as target,
                ):
                    for chunk in source.chunks():
                        target.write(chunk)
            except FileNotFoundError:
                logger.warning("A file of a data download is missing from storage")
                missing.append(personal_file.path)
        document = {"generated_at": now, "about": ABOUT, **sections}
        if missing:
            document["files_missing"] = missing
        archive.writestr(
            "data.json", json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
    archive_file.seek(0)
    audit_record(
        actor=user,
        action=EXPORTED_ACTION,
        obj=user,
        summary="Downloaded their personal data",
        data={"sections": list(sections), "files": len(files) - len(missing)},
    )
    return archive_file, f"workforce-hub-data-{timezone.localdate(now):%Y-%m-%d}.zip"


def personal_file(folder: str, name: str, storage_name: str) -> PersonalFile:
    """A stored file for the zip, at files/<folder>/<its original name, made safe>,
    ending in the stored file's checked extension whatever the original name said."""
    stem = os.path.splitext(safe_filename(name, fallback="document"))[0]
    extension = os.path.splitext(storage_name)[1].lower()
    return PersonalFile(path=f"files/{folder}/{stem}{extension}", storage_name=storage_name)


def seen_by_organisations(model, ids, *, action: str) -> dict[str, list[dict]]:
    """Which organisations' staff opened these records, and when, from the audit log
    (staff names are left out): {record id as text: [{"organisation", "at"}]}."""
    events = (
        AuditEvent.objects.filter(
            object_type=model._meta.label_lower,
            object_id__in=[str(pk) for pk in ids],
            action=action,
        )
        .select_related("organisation")
        .order_by("created_at")
    )
    seen: dict[str, list[dict]] = {}
    for event in events:
        seen.setdefault(event.object_id, []).append(
            {
                "organisation": event.organisation.name if event.organisation else None,
                "at": event.created_at,
            }
        )
    return seen


def counted(number: int, singular: str, plural: str = "") -> str:
    """Say "1 application" or "3 applications", for the sentences erasers return."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


# --- Erasure -----------------------------------------------------------------------------------


def erasure_refusals(user: User) -> list[str]:
    """Why the person cannot erase their account themselves; empty when they can."""
    return [reason for check in REFUSALS if (reason := check(user))]


@transaction.atomic
def account_erase(*, user: User) -> list[str]:
    """Erase the person's account: every app's eraser, then the emails sent to them, then
    the account itself (its email addresses and two-factor methods with it; audit events
    keep the action, their actor set to nobody). One audit event without personal data
    records it, and an email to the account's address confirms it once committed.
    Returns what was done, as the email says it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    refusals = erasure_refusals(user)
    if refusals:
        raise ValidationError(refusals, code="refused")
    now = timezone.now()
    done = []
    for erase in ERASERS.values():
        done += erase(user=user, now=now)
    # Sent or not, emails to the person are their data; any an eraser wrote just now
    # go too, so the confirmation is all they receive.
    OutboundEmail.objects.alias(to_lower=Lower("to")).filter(
        to_lower__in=account_emails(user)
    ).delete()
    audit_record(
        actor=None,
        action=ERASED_ACTION,
        obj=user,
        summary="An account was erased at its owner's request",
        data={"user": user.pk},
    )
    emails.email_account_erased(email=user.email, done=done)
    user.delete()
    return done
