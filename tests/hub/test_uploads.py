import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hub.uploads import DOCX, ODT, PDF, safe_filename, validate_document
from tests.documents import PDF_BYTES, docx_bytes, odt_bytes

MB = 1024 * 1024


@pytest.mark.parametrize(
    "name, content, kind",
    [("cv.pdf", PDF_BYTES, PDF), ("CV.DOCX", docx_bytes(), DOCX), ("cv.odt", odt_bytes(), ODT)],
)
def test_real_documents_are_accepted(name, content, kind):
    assert validate_document(SimpleUploadedFile(name, content), max_bytes=MB) is kind


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (60 * MB))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("cv.pdf", b"", "The selected file is empty"),
        ("cv.pdf", PDF_BYTES + b"x" * MB, "must be smaller than 1.0"),
        ("cv.pdf", b"<html><script>alert(1)</script></html>", "not a real PDF"),
        ("cv.pdf", docx_bytes(), "not a real PDF"),
        ("cv.docx", PDF_BYTES, "not a real Word"),
        ("cv.exe", PDF_BYTES, "must be a PDF, Word (.docx), OpenDocument text (.odt)"),
        ("cv.docx", _zip_bomb(), "cannot be opened"),
    ],
)
def test_wrong_empty_oversized_and_bomb_files_are_refused(name, content, message):
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile(name, content), max_bytes=MB)
    assert message in error.value.messages[0]


@pytest.mark.parametrize(
    "name, safe",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\Zoë\\My CV (final).pdf", "My-CV-final.pdf"),
        ('cv".pdf', "cv.pdf"),
        ("....pdf", "pdf"),
        ("***", "document"),
    ],
)
def test_download_names_are_sanitised(name, safe):
    assert safe_filename(name) == safe
