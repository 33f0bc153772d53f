"""Checks for files people upload: the type judged by content as well as by name, the
size, and a name for storage that says nothing about the person or the original file;
and the private storage they are kept in, with deleting from it once a change commits."""

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


PDF = DocumentType("pdf", "application/pdf", "PDF")
DOCX = DocumentType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (.docx)",
)
ODT = DocumentType("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text (.odt)")
CV_TYPES = (PDF, DOCX, ODT)

# A CV unpacks to a few megabytes; more, or thousands of parts, is a zip bomb.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000


def _zip_document_is_sound(upload) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return False
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                return False
            return archive.testzip() is None
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return False
    finally:
        upload.seek(0)


def validate_document(upload, *, allowed=CV_TYPES, max_bytes: int) -> DocumentType:
    """Return the document's type, or raise ValidationError with a message for the form.

    The extension must be one of `allowed`, and the content must be that type: a PDF's
    magic number, or a zip holding a Word or OpenDocument text document."""
    names = ", ".join(kind.label for kind in allowed)
    if upload.size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            f"The selected file must be smaller than {filesizeformat(max_bytes)}",
            code="too_big",
        )
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    declared = next((kind for kind in allowed if kind.extension == extension), None)
    if declared is None:
        raise ValidationError(f"The selected file must be a {names}", code="extension")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    sniffed = filetype.guess(head)
    if sniffed is None or sniffed.extension != declared.extension:
        raise ValidationError(
            f"The selected file is not a real {declared.label} file. Save it again as a "
            f"{names} and upload that",
            code="content",
        )
    if declared is not PDF and not _zip_document_is_sound(upload):
        raise ValidationError(
            f"The selected file cannot be opened as a {declared.label} file", code="content"
        )
    return declared


def safe_filename(name: str, *, fallback: str = "document") -> str:
    """A name fit for a download header: no path, only plain letters, digits and . _ -"""
    name = os.path.basename(name.replace("\\", "/"))
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem, extension = os.path.splitext(name)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-.")[:80] or fallback
    extension = re.sub(r"[^A-Za-z0-9]", "", extension)[:8]
    return f"{stem}.{extension}" if extension else stem


def storage_name(prefix: str, kind: DocumentType) -> str:
    """A random name for storage: the original name is kept apart, sanitised."""
    return f"{prefix}/{uuid.uuid4().hex}.{kind.extension}"


def private_file_response(
    file, original_name: str = "", *, fallback: str = "document"
) -> FileResponse:
    """A stored private file as a download: an attachment under a sanitised name (the
    stored extension added when the original had none), typed by its checked extension,
    never cached and never sniffed. 404 when there is no file or it has gone missing."""
    if not file:
        raise Http404("No such file")
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("No such file") from None
    extension = os.path.splitext(file.name)[1].lower()
    name = original_name or f"{fallback}{extension}"
    if not os.path.splitext(name)[1]:
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
