"""Importing residents from a CSV of paper sign-up sheets, in two steps.

Checking a file writes nothing but a `ResidentImport`: the rows that can be imported
(tidied, and without email or phone for people who did not consent) and the rows refused,
as line numbers and reasons only, so the report never holds personal data. A file that is
not a CSV of sign-ups at all is refused whole, and no import is kept. Confirming imports
every accepted row in one transaction: if any row fails then, nothing is imported. Rows
are then cleared from the import, which keeps only its counts.
"""

import csv
import datetime
import io
import os
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from campaigns.models import Campaign, ContactConsent, Engagement, ResidentImport
from campaigns.services.residents import clean_contact, resident_engage
from hub.models import Organisation, User
from hub.services import audit_record

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
REQUIRED_COLUMNS = ("name", "engaged_on", "how_engaged", "consent")
OPTIONAL_COLUMNS = ("email", "phone", "postcode")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
DATE_SHAPE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2}")
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})

NOT_CSV = "The file is not a CSV file. Save the spreadsheet as CSV and upload it again."
# How files people upload by mistake begin: PDF, Excel (xlsx, then xls), PNG, JPEG, GIF.
FILE_SIGNATURES = (
    b"%PDF-",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
)


def _words(value: str) -> str:
    """Lower case, single spaces, no hyphens or underscores: "Face-to-face" and
    "face_to_face" both read "face to face"."""
    return " ".join(value.replace("_", " ").replace("-", " ").lower().split())


# how_engaged as written on sheets: the codes, the portal's labels and the short labels
# of quick capture.
CHANNELS = {
    _words(text): value for value, label in Engagement.Channel.choices for text in (value, label)
} | {
    "face to face": Engagement.Channel.FACE_TO_FACE,
    "at a school": Engagement.Channel.SCHOOL,
    "referred": Engagement.Channel.REFERRAL,
}


def _column(name: str) -> str:
    return "_".join(name.strip().lstrip("\ufeff").lower().replace("-", " ").split())


def read_sheet(content: bytes) -> list[tuple[int, dict]]:
    """The data rows of a CSV, each with the line it starts on, as {column: text}; a
    ValidationError on the file field when it is not a CSV of sign-ups: binary, not
    UTF-8, empty, too long, or without the columns needed."""
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": "The file must be smaller than 2 MB"})
    if not content.strip():
        raise ValidationError({"file": "The file is empty"})
    if b"\x00" in content or content.startswith(FILE_SIGNATURES):
        raise ValidationError({"file": NOT_CSV})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            {
                "file": "The file must be saved as UTF-8. In your spreadsheet, save it as "
                "“CSV UTF-8 (Comma delimited)” and upload it again."
            }
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        header = [_column(name) for name in next(reader, [])]
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise ValidationError(
                {
                    "file": f"The file is missing the column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)}. Its first row must name the columns: "
                    f"{', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}."
                }
            )
        line = reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(rows) == MAX_ROWS:
                raise ValidationError(
                    {
                        "file": f"The file has more than {MAX_ROWS:,} rows. "
                        "Split it and upload each part."
                    }
                )
            rows.append((start, dict(zip(header, values, strict=False))))
    except csv.Error:
        raise ValidationError({"file": NOT_CSV}) from None
    if not rows:
        raise ValidationError({"file": "The file has no rows of residents under its column names"})
    return rows


def _date(value: str) -> datetime.date | None:
    """A date written DD/MM/YYYY or YYYY-MM-DD, with the year in full (strptime would
    read "01/02/25" as the year 25)."""
    value = value.strip()
    if not DATE_SHAPE.fullmatch(value):
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    return None


def check_row(values: dict) -> tuple[dict | None, list[str]]:
    """One sheet row as it would be imported, or the reasons it cannot be. Reasons name
    the column and never repeat what was written, so they hold no personal data."""
    reasons = []
    consent_text = (values.get("consent") or "").strip().lower()
    consent = consent_text in YES
    if consent_text not in YES | NO:
        reasons.append("consent: enter yes or no")
    channel = CHANNELS.get(_words(values.get("how_engaged") or ""))
    if channel is None:
        reasons.append("how_engaged: enter face_to_face, school, online or referral")
    engaged_text = (values.get("engaged_on") or "").strip()
    engaged_on = _date(engaged_text)
    if not engaged_text:
        reasons.append("engaged_on: enter the date, like 27/03/2026 or 2026-03-27")
    elif engaged_on is None:
        reasons.append("engaged_on: not a real date, like 27/03/2026 or 2026-03-27")
    elif engaged_on > timezone.localdate():
        reasons.append("engaged_on: the date is in the future")
    try:
        contact = clean_contact(
            name=values.get("name") or "",
            # Without consent they are not kept, so they cannot make a row wrong.
            email=(values.get("email") or "") if consent else "",
            phone=(values.get("phone") or "") if consent else "",
            postcode=values.get("postcode") or "",
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            reasons.extend(f"{field}: {message[0].lower()}{message[1:]}" for message in messages)
    if reasons:
        return None, reasons
    row = contact | {"engaged_on": engaged_on.isoformat(), "channel": channel, "consent": consent}
    return row, []


@transaction.atomic
def resident_import_check(
    *,
    campaign: Campaign,
    organisation: Organisation,
    actor: User,
    file,
    consent_wording: str,
) -> ResidentImport:
    """Read an uploaded CSV and keep what would be imported and what is refused, for the
    uploader to confirm. Two rows with one email address, or an address already recorded
    in this campaign, are refused: the same person would be recorded twice."""
    consent_wording = " ".join((consent_wording or "").split())
    if not consent_wording:
        raise ValidationError({"consent_wording": "Enter the consent words printed on the sheets"})
    if file.size > MAX_BYTES:
        raise ValidationError({"file": "The file must be smaller than 2 MB"})
    rows = read_sheet(file.read(MAX_BYTES + 1))
    accepted, refused, first_line = [], [], {}
    for line, values in rows:
        row, reasons = check_row(values)
        if row is not None and row["email"]:
            if row["email"] in first_line:
                reasons = [f"email: the same address is on line {first_line[row['email']]}"]
            else:
                first_line[row["email"]] = line
        if reasons:
            refused.append({"line": line, "reasons": reasons})
        else:
            accepted.append(row | {"line": line})
    recorded = set(
        Engagement.objects.filter(campaign=campaign)
        .annotate(address=Lower("resident__email"))
        .filter(address__in=list(first_line))
        .values_list("address", flat=True)
    )
    if recorded:
        refused.extend(
            {"line": row["line"], "reasons": ["email: already recorded in this campaign"]}
            for row in accepted
            if row["email"] in recorded
        )
        accepted = [row for row in accepted if row["email"] not in recorded]
        refused.sort(key=lambda row: row["line"])
    resident_import = ResidentImport.objects.create(
        campaign=campaign,
        organisation=organisation,
        uploaded_by=actor,
        filename=os.path.basename(file.name or "sheets.csv")[:120],
        consent_wording=consent_wording,
        accepted_rows=accepted,
        refused_rows=refused,
        accepted_count=len(accepted),
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=resident_import,
        action="resident_import.checked",
        summary=f"Checked {resident_import.filename} for {campaign.name}: "
        f"{len(accepted)} rows to import, {len(refused)} refused",
        data={"accepted": len(accepted), "refused": len(refused)},
    )
    return resident_import


@transaction.atomic
def resident_import_confirm(
    *, resident_import: ResidentImport, actor: User, organisation: Organisation
) -> int:
    """Import every accepted row, all or nothing, and clear the held rows. Returns how
    many were imported: 0 when the import was already confirmed or discarded, so sending
    the form twice imports nobody twice."""
    resident_import = (
        ResidentImport.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .get(pk=resident_import.pk)
    )
    if resident_import.status != ResidentImport.Status.CHECKED:
        return 0
    campaign = resident_import.campaign
    for row in resident_import.accepted_rows:
        try:
            engaged_on = datetime.date.fromisoformat(row["engaged_on"])
            resident_engage(
                campaign=campaign,
                name=row["name"],
                email=row["email"],
                phone=row["phone"],
                postcode=row["postcode"],
                channel=row["channel"],
                consent=row["consent"],
                consent_wording=resident_import.consent_wording,
                captured_by=ContactConsent.CapturedBy.PAPER_SHEET,
                engaged_on=engaged_on,
                consent_given_at=timezone.make_aware(
                    datetime.datetime.combine(engaged_on, datetime.time())
                ),
                actor=actor,
                organisation=organisation,
            )
        except ValidationError as error:
            raise ValidationError(
                f"Line {row['line']} could not be imported ({'; '.join(error.messages)}), "
                "so nothing was imported. Correct the file and upload it again."
            ) from None
    imported = len(resident_import.accepted_rows)
    resident_import.accepted_rows = []
    resident_import.status = ResidentImport.Status.IMPORTED
    resident_import.imported_at = timezone.now()
    resident_import.save(update_fields=["accepted_rows", "status", "imported_at", "updated_at"])
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=resident_import,
        action="resident_import.imported",
        summary=f"Imported {imported} residents from {resident_import.filename} "
        f"into {campaign.name}",
        data={"imported": imported},
    )
    return imported


@transaction.atomic
def resident_import_discard(
    *, resident_import: ResidentImport, actor: User, organisation: Organisation
) -> bool:
    """Throw away a checked import's rows without importing them. False when it was
    already confirmed or discarded."""
    resident_import = ResidentImport.objects.select_for_update().get(pk=resident_import.pk)
    if resident_import.status != ResidentImport.Status.CHECKED:
        return False
    resident_import.accepted_rows = []
    resident_import.status = ResidentImport.Status.DISCARDED
    resident_import.save(update_fields=["accepted_rows", "status", "updated_at"])
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=resident_import,
        action="resident_import.discarded",
        summary=f"Discarded {resident_import.filename} without importing it",
        data={"accepted": resident_import.accepted_count},
    )
    return True
