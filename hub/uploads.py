"""Checks for files people upload: the size, the type judged by content as well as by
name, a virus scan when clamd is configured, and a name for storage that says nothing
about the person or the original file; and the private storage they are kept in, with
deleting from it once a change commits.

`validate_document` is the one checker: every form or service that takes a file (CVs,
organisation logos, CSVs of sign-up sheets) calls it before keeping or reading the file."""

import logging
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from functools import partial

import filetype
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.functional import LazyObject
from PIL import Image

from hub import virus_scan

logger = logging.getLogger(__name__)


class _PrivateStorage(LazyObject):
    """STORAGES["private"], looked up on first use rather than when models load."""

    def _setup(self):
        self._wrapped = storages["private"]


_private_storage = _PrivateStorage()


def private_storage():
    """Storage for personal files (CVs, checks): outside MEDIA_ROOT, served only by views
    that check who is asking."""
    return _private_storage


def private_files_delete_after_commit(names: list[str]) -> None:
    """Delete these private files once the current transaction commits (at once outside
    one), so a rolled-back change never leaves a row pointing at a missing file."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(partial(_private_files_delete, names))


def _private_files_delete(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        storage.delete(name)


@dataclass(frozen=True)
class DocumentType:
    extension: str
    mimetype: str
    label: str
    # Other extensions people's programs give the same type.
    aliases: tuple[str, ...] = ()


PDF = DocumentType("pdf", "application/pdf", "PDF")
DOCX = DocumentType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (.docx)",
)
ODT = DocumentType("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text (.odt)")
PNG = DocumentType("png", "image/png", "PNG")
JPEG = DocumentType("jpg", "image/jpeg", "JPEG", aliases=("jpeg",))
CSV = DocumentType("csv", "text/csv", "CSV")
CV_TYPES = (PDF, DOCX, ODT)
IMAGE_TYPES = (PNG, JPEG)
CSV_TYPES = (CSV,)

# A CV unpacks to a few megabytes; more, or thousands of parts, is a zip bomb.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
# A logo is shown a few hundred pixels wide; a small file that unpacks to gigapixels is a
# decompression bomb for every browser that shows it.
MAX_IMAGE_SIDE = 4000
# How much of a file is read to judge its type.
HEAD_BYTES = 8192

VIRUS_FOUND = (
    "This file contains a virus, so it cannot be uploaded. Check your device with "
    "antivirus software, then upload a clean copy"
)
SCANNER_UNAVAILABLE = (
    "We cannot check files for viruses right now, so the file was not uploaded. Try again later"
)


def validate_document(upload, *, allowed=CV_TYPES, max_bytes: int) -> DocumentType:
    """Return the file's type, or raise ValidationError with a message for the form.

    In order, cheapest first: not empty, not over `max_bytes`, an extension of one of the
    `allowed` types, no virus (when clamd is configured; refused when it cannot answer),
    and content of the type the extension claims."""
    if upload.size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            f"The selected file must be smaller than {filesizeformat(max_bytes)}",
            code="too_big",
        )
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    declared = next(
        (kind for kind in allowed if extension in (kind.extension, *kind.aliases)), None
    )
    if declared is None:
        raise ValidationError(f"The selected file must be a {_either(allowed)}", code="extension")
    _scan_for_viruses(upload)
    _check_content(upload, declared, allowed)
    return declared


def _either(kinds) -> str:
    labels = [kind.label for kind in kinds]
    return " or ".join(labels) if len(labels) == 2 else ", ".join(labels)


def _scan_for_viruses(upload) -> None:
    address = virus_scan.configured_address()
    if address is None:
        return
    try:
        found = virus_scan.scan(upload.chunks(), address=address)
    except virus_scan.ScannerUnavailable as error:
        logger.error("An upload was refused because the virus scanner failed: %s", error)
        raise ValidationError(SCANNER_UNAVAILABLE, code="scanner_unavailable") from None
    finally:
        upload.seek(0)
    if found:
        logger.warning("An upload was refused: the virus scanner found %s", found)
        raise ValidationError(VIRUS_FOUND, code="virus")


def _check_content(upload, declared: DocumentType, allowed) -> None:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    sniffed = filetype.guess(head)
    if declared is CSV:
        if b"\0" in head or sniffed is not None:
            raise ValidationError(
                "The selected file is not a CSV file. Save the spreadsheet as CSV and "
                "upload it again",
                code="content",
            )
        return
    if sniffed is None or sniffed.extension != declared.extension:
        raise ValidationError(
            f"The selected file is not a real {declared.label} file. Save it again as a "
            f"{_either(allowed)} and upload that",
            code="content",
        )
    if declared in (DOCX, ODT) and not _zip_document_is_sound(upload):
        raise ValidationError(
            f"The selected file cannot be opened as a {declared.label} file", code="content"
        )
    if declared in IMAGE_TYPES:
        _check_image(upload, declared)


def _zip_document_is_sound(upload) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return False
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                return False
            # Unpacks every part to check it: a part larger than its header says fails
            # its checksum here, at most MAX_UNPACKED_BYTES in.
            return archive.testzip() is None
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return False
    finally:
        upload.seek(0)


def _check_image(upload, declared: DocumentType) -> None:
    try:
        with Image.open(upload) as image:
            width, height = image.size
            image.verify()
    except Exception:  # Pillow raises many kinds of error for a broken file.
        raise ValidationError(
            f"The selected file cannot be opened as a {declared.label} image", code="content"
        ) from None
    finally:
        upload.seek(0)
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
        raise ValidationError(
            f"The selected image must be at most {MAX_IMAGE_SIDE:,} pixels wide and "
            f"{MAX_IMAGE_SIDE:,} pixels high",
            code="too_big",
        )


def random_name(kind: DocumentType) -> str:
    """A file name that says nothing about the person or the original file."""
    return f"{uuid.uuid4().hex}.{kind.extension}"


def storage_name(prefix: str, kind: DocumentType) -> str:
    """A random name for storage: the original name is kept apart, sanitised."""
    return f"{prefix}/{random_name(kind)}"


def safe_filename(name: str, *, fallback: str = "document") -> str:
    """A name fit for a download header: no path, only plain letters, digits and . _ -"""
    name = os.path.basename(name.replace("\\", "/"))
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem, extension = os.path.splitext(name)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-.")[:80] or fallback
    extension = re.sub(r"[^A-Za-z0-9]", "", extension)[:8]
    return f"{stem}.{extension}" if extension else stem


def private_file_response(
    file, original_name: str = "", *, fallback: str = "document"
) -> FileResponse:
    """A stored private file as a download: an attachment under a sanitised name that
    always ends in the stored file's checked extension (so "cv.html" downloads as
    "cv-html.pdf"), typed by that extension, never cached and never sniffed. 404 when
    there is no file or it has gone missing."""
    if not file:
        raise Http404("No such file")
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("No such file") from None
    extension = os.path.splitext(file.name)[1].lower()
    name = original_name or fallback
    if os.path.splitext(name)[1].lower() != extension:
        name += extension
    mimetypes = {f".{kind.extension}": kind.mimetype for kind in CV_TYPES}
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(name, fallback=fallback),
        content_type=mimetypes.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
