"""Every upload form refuses the files of issue 9 (a virus, HTML or SVG with script under a
document's name, zip bombs, a path for a name, empty, oversized) with an error on the form,
storing nothing; clamd, when configured, is asked about every file and a silent clamd
refuses uploads; a stored file is named at random; downloads are attachments under a
sanitised name that browsers never sniff.

Who may download is covered where the downloads are: another organisation gets 404 in
tests/talent/test_hr_applications.py::test_an_application_to_another_organisations_vacancy_is_404
and tests/hub/test_exports.py::test_another_organisation_cannot_see_or_download_an_export,
another candidate in tests/talent/test_candidate_area.py::
test_another_candidate_gets_404_for_an_application_that_is_not_theirs."""

import logging
import re
import socket
import socketserver
import struct
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import model_to_dict
from django.urls import reverse

from campaigns.models import ResidentImport
from hub import virus_scan
from hub.forms import MAX_LOGO_BYTES, OrganisationAdminForm
from hub.models import Membership, Organisation
from hub.uploads import (
    SCANNER_UNAVAILABLE,
    VIRUS_FOUND,
    private_file_response,
    private_storage,
    validate_document,
)
from talent.models import Application
from tests.campaigns.builders import make_campaign
from tests.documents import (
    EICAR,
    HTML_PAGE,
    PASSWD,
    PDF_BYTES,
    SVG_WITH_SCRIPT,
    csv_bytes,
    docx_with_eicar,
    eicar_zip,
    png_bytes,
    zip_bomb_docx,
    zip_bomb_docx_with_lying_sizes,
)
from tests.factories import ApplicationFactory, MembershipFactory, UserFactory, VacancyFactory

MB = 1024 * 1024
CV_MAX_BYTES = 5 * MB
CSV_MAX_BYTES = 2 * MB


@pytest.fixture(autouse=True)
def _no_clamd(settings):
    """Without clamd unless a test starts the fake one: the type checks stand alone."""
    settings.CLAMD_ADDRESS = ""
    settings.CV_MAX_BYTES = CV_MAX_BYTES


# --- A fake clamd, speaking INSTREAM over a real socket -------------------------------------


class _ClamdHandler(socketserver.StreamRequestHandler):
    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            byte = self.rfile.read(1)
            if not byte:
                return
            command += byte
        if command != b"zINSTREAM\0":
            self.wfile.write(b"UNKNOWN COMMAND\0")
            return
        data, chunk_sizes = bytearray(), []
        while length := struct.unpack("!L", self.rfile.read(4))[0]:
            chunk_sizes.append(length)
            data += self.rfile.read(length)
        self.server.scans.append((bytes(data), chunk_sizes))
        if self.server.reply is None:  # hangs, like a clamd that has stopped answering
            self.rfile.read(1)
            return
        reply = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else self.server.reply
        self.wfile.write(reply)


class _TCPClamd(socketserver.ThreadingTCPServer):
    daemon_threads = True
    reply = b"stream: OK\0"  # to anything but EICAR; None to hang


class _UnixClamd(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True
    reply = b"stream: OK\0"


@contextmanager
def _fake_clamd(unix_path: Path | None = None):
    """A fake clamd serving on a thread; `.address` as CLAMD_ADDRESS takes it, `.scans`
    holds each stream it was sent with its chunk sizes. It reports the EICAR string as found
    anywhere in a stream (a real clamd also looks inside archives and documents)."""
    if unix_path:
        server = _UnixClamd(str(unix_path), _ClamdHandler)
        server.address = f"unix://{unix_path}"
    else:
        server = _TCPClamd(("127.0.0.1", 0), _ClamdHandler)
        server.address = f"127.0.0.1:{server.server_address[1]}"
    server.scans = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def clamd(settings):
    """The fake clamd on a local port, set as CLAMD_ADDRESS."""
    with _fake_clamd() as server:
        settings.CLAMD_ADDRESS = server.address
        yield server


@pytest.fixture
def clamd_down(settings):
    """CLAMD_ADDRESS names a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CLAMD_ADDRESS = f"127.0.0.1:{port}"


def test_a_clean_file_is_streamed_whole_in_length_prefixed_chunks(clamd):
    content = bytes(range(256)) * 1000  # 256 KB: several chunks
    address = virus_scan.parse_address(clamd.address)
    assert virus_scan.scan([content], address=address) is None
    (scanned, chunk_sizes), *_ = clamd.scans
    assert scanned == content
    assert len(chunk_sizes) > 1 and max(chunk_sizes) <= virus_scan.CHUNK_BYTES


def test_clamd_names_what_it_found(clamd):
    address = virus_scan.parse_address(clamd.address)
    assert virus_scan.scan([b"cv " + EICAR], address=address) == "Eicar-Test-Signature"


def test_clamd_on_a_unix_socket_is_asked_the_same_way(tmp_path):
    with _fake_clamd(unix_path=tmp_path / "clamd.ctl") as server:
        address = virus_scan.parse_address(server.address)
        assert virus_scan.scan([EICAR], address=address) == "Eicar-Test-Signature"
        assert virus_scan.scan([PDF_BYTES], address=address) is None


def test_a_clamd_that_does_not_answer_in_time_is_unavailable(clamd, monkeypatch):
    monkeypatch.setattr(virus_scan, "TIMEOUT_SECONDS", 0.3)
    clamd.reply = None
    with pytest.raises(virus_scan.ScannerUnavailable):
        virus_scan.scan([PDF_BYTES], address=virus_scan.parse_address(clamd.address))


def test_an_error_from_clamd_is_not_taken_as_clean(clamd):
    clamd.reply = b"INSTREAM size limit exceeded. ERROR\0"
    with pytest.raises(virus_scan.ScannerUnavailable, match="size limit exceeded"):
        virus_scan.scan([PDF_BYTES], address=virus_scan.parse_address(clamd.address))


def test_nothing_listening_is_unavailable(clamd_down):
    with pytest.raises(virus_scan.ScannerUnavailable):
        virus_scan.scan([PDF_BYTES], address=virus_scan.configured_address())


@pytest.mark.parametrize(
    "value, family, target",
    [
        ("127.0.0.1:3310", socket.AF_INET, ("127.0.0.1", 3310)),
        ("tcp://clamav:3310", socket.AF_INET, ("clamav", 3310)),
        ("[::1]:3310", socket.AF_INET6, ("::1", 3310)),
        ("unix:///run/clamav/clamd.ctl", socket.AF_UNIX, "/run/clamav/clamd.ctl"),
    ],
)
def test_clamd_addresses_are_read_in_each_form(value, family, target):
    assert virus_scan.parse_address(value) == virus_scan.Address(family, target)


@pytest.mark.parametrize("value", ["clamav", "clamav:port", "127.0.0.1:70000", "unix://clamd.ctl"])
def test_a_mistyped_clamd_address_fails_the_system_check(settings, value):
    settings.CLAMD_ADDRESS = value
    with pytest.raises(ImproperlyConfigured):
        virus_scan.configured_address()
    (error,) = virus_scan.check_clamd_address()
    assert error.id == "hub.E101"


def test_type_checks_alone_let_a_real_document_carrying_a_virus_through():
    """Why production sets CLAMD_ADDRESS: a Word document with something nasty embedded is
    a real Word document."""
    upload = SimpleUploadedFile("cv.docx", docx_with_eicar())
    assert validate_document(upload, max_bytes=CV_MAX_BYTES).extension == "docx"


# --- The forms people upload through --------------------------------------------------------


def _multipart(data: dict, field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    """A form post with the file named exactly as given, path and all, as a hostile client
    can send it (the test client would strip the path first)."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in data.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@dataclass
class UploadForm:
    key: str
    field: str
    extension: str  # of the files the form takes, which the hostile files pretend to be
    valid: bytes
    max_bytes: int
    url: str
    data: dict
    client: object
    kept: object  # () -> the stored file's name (the file's name for the CSV), or None

    def post(self, filename: str, content: bytes):
        body, content_type = _multipart(self.data, self.field, filename, content)
        return self.client.post(self.url, body, content_type=content_type)


def _application_form(request):
    candidate = request.getfixturevalue("candidate")
    vacancy = VacancyFactory(organisation=request.getfixturevalue("org_a"))
    data = {
        "action": "submit",
        "full_name": "Amira Patel",
        "phone": "07700 900982",
        "address": "1 Town Street",
        "postcode": "LS12 3AB",
        "right_to_work": "yes",
        "supporting_statement": "I cared for my grandmother for three years.",
        "source": "job_search",
    }
    return UploadForm(
        key="cv",
        field="cv",
        extension="pdf",
        valid=PDF_BYTES,
        max_bytes=CV_MAX_BYTES,
        url=reverse("candidate:apply", kwargs={"pk": vacancy.pk}),
        data=data,
        client=request.getfixturevalue("client_as")(candidate),
        kept=lambda: (
            Application.objects.filter(candidate=candidate).values_list("cv", flat=True).first()
        ),
    )


def _logo_form(request):
    organisation = request.getfixturevalue("org_a")
    admin = request.getfixturevalue("admin_a")

    def kept():
        organisation.refresh_from_db()
        return organisation.logo.name or None

    return UploadForm(
        key="logo",
        field="logo",
        extension="png",
        valid=png_bytes(),
        max_bytes=MAX_LOGO_BYTES,
        url=reverse("hub:organisation_profile", kwargs={"org_slug": organisation.slug}),
        data={"name": organisation.name, "kind": organisation.kind},
        client=request.getfixturevalue("client_as")(admin),
        kept=kept,
    )


def _import_form(request):
    organisation = request.getfixturevalue("org_a")
    campaign = make_campaign(organisation)
    return UploadForm(
        key="csv",
        field="file",
        extension="csv",
        valid=csv_bytes(),
        max_bytes=CSV_MAX_BYTES,
        url=reverse(
            "campaigns:import_upload",
            kwargs={"org_slug": organisation.slug, "campaign_id": campaign.pk},
        ),
        data={"consent_wording": "We may contact you about jobs in health and care."},
        client=request.getfixturevalue("client_as")(request.getfixturevalue("staff_a")),
        kept=lambda: ResidentImport.objects.values_list("filename", flat=True).first(),
    )


FORMS = {"cv": _application_form, "logo": _logo_form, "csv": _import_form}


@pytest.fixture(params=list(FORMS))
def upload_form(request, db):
    """Asks for `db` by name, so the database baseline (staff groups) is in place before
    the form's own fixtures are fetched."""
    return FORMS[request.param](request)


def _stored_files() -> set[Path]:
    """Every file in private storage and in public media (where logos go)."""
    roots = [Path(private_storage().location), Path(default_storage.location)]
    return {path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()}


def _errors(response) -> list[str]:
    summary = re.search(r'<div class="nhsuk-error-summary".*?</ul>', response.text, re.S)
    assert summary, "no error summary on the page"
    return [" ".join(text.split()) for text in re.findall(r"<a [^>]*>(.*?)</a>", summary[0], re.S)]


NOT_AN_IMAGE = "Upload a valid image"
NOT_SIGN_UPS = "The file is missing the columns"
NOT_A_CV = "The selected file must be a PDF, Word (.docx), OpenDocument text (.odt)"
NOT_A_CSV = "The selected file must be a CSV"
BOMB = "cannot be opened as a Word (.docx) file"

# (file name, content, what each form says). "{ext}" is the type the form takes: the
# hostile file pretends to be one. The CSV import reads text files as sign-up sheets, so
# text that is not sheets is refused for its missing columns.
HOSTILE_FILES = {
    "EICAR as cv.pdf": (
        "cv.{ext}",
        EICAR,
        {"cv": "not a real PDF file", "logo": NOT_AN_IMAGE, "csv": NOT_SIGN_UPS},
    ),
    "EICAR in a zip as cv.docx": (
        "cv.docx",
        eicar_zip(),
        {"cv": "not a real Word (.docx) file", "logo": NOT_AN_IMAGE, "csv": NOT_A_CSV},
    ),
    "HTML renamed": (
        "cv.{ext}",
        HTML_PAGE,
        {"cv": "not a real PDF file", "logo": NOT_AN_IMAGE, "csv": NOT_SIGN_UPS},
    ),
    "SVG with script renamed": (
        "logo.{ext}",
        SVG_WITH_SCRIPT,
        {"cv": "not a real PDF file", "logo": NOT_AN_IMAGE, "csv": NOT_SIGN_UPS},
    ),
    "SVG with script": (
        "logo.svg",
        SVG_WITH_SCRIPT,
        {"cv": NOT_A_CV, "logo": NOT_AN_IMAGE, "csv": NOT_A_CSV},
    ),
    "zip bomb: 60 MB unpacked": (
        "cv.docx",
        zip_bomb_docx(unpacked_bytes=60 * MB),
        {"cv": BOMB, "logo": NOT_AN_IMAGE, "csv": NOT_A_CSV},
    ),
    "zip bomb: 2,001 parts": (
        "cv.docx",
        zip_bomb_docx(entries=2001),
        {"cv": BOMB, "logo": NOT_AN_IMAGE, "csv": NOT_A_CSV},
    ),
    "zip bomb: headers lying about sizes": (
        "cv.docx",
        zip_bomb_docx_with_lying_sizes(60 * MB),
        {"cv": BOMB, "logo": NOT_AN_IMAGE, "csv": NOT_A_CSV},
    ),
    "pixel bomb: 5,000 pixels square": (
        "image.{ext}",
        png_bytes(5000, 5000),
        {
            "cv": "not a real PDF file",
            "logo": "must be at most 4,000 pixels wide",
            "csv": "not a CSV file",
        },
    ),
    "../../etc/passwd": (
        "../../etc/passwd",
        PASSWD,
        {"cv": NOT_A_CV, "logo": NOT_AN_IMAGE, "csv": NOT_A_CSV},
    ),
    "empty": (
        "empty.{ext}",
        b"",
        {
            "cv": "The selected file is empty",
            "logo": "The submitted file is empty",
            "csv": "The file is empty",
        },
    ),
    "oversized": (
        "big.{ext}",
        None,
        {
            "cv": "The selected file must be smaller than 5.0 MB",
            "logo": "The selected file must be smaller than 1.0 MB",
            "csv": "The selected file must be smaller than 2.0 MB",
        },
    ),
}


def _padded(form: UploadForm) -> bytes:
    """The form's valid file, one byte over its limit (PNG and PDF readers ignore bytes
    after the end; blank lines end a CSV)."""
    padding = b"\n" if form.extension == "csv" else b"\0"
    return form.valid + padding * (form.max_bytes + 1 - len(form.valid))


@pytest.mark.parametrize("case", list(HOSTILE_FILES))
def test_every_upload_form_refuses_hostile_files_on_the_form_and_keeps_nothing(upload_form, case):
    name, content, expected = HOSTILE_FILES[case]
    content = _padded(upload_form) if content is None else content
    before = _stored_files()
    response = upload_form.post(name.format(ext=upload_form.extension), content)
    assert response.status_code == 200
    errors = _errors(response)
    assert len(errors) == 1 and expected[upload_form.key] in errors[0], errors
    assert f'href="#id_{upload_form.field}"' in response.text
    assert not upload_form.kept()
    assert _stored_files() == before


STORED_NAMES = {
    "cv": r"cvs/[0-9a-f]{32}\.pdf",
    "logo": r"logos/[0-9a-f]{32}\.png",
    "csv": r"passwd\.csv",  # the sheets are read, not stored: only the bare name is kept
}


@pytest.mark.parametrize("path", ["../../etc/passwd", "..\\..\\Windows\\passwd", "/etc/passwd"])
def test_a_file_named_with_a_path_is_kept_under_a_random_name_only(upload_form, path):
    before = _stored_files()
    response = upload_form.post(f"{path}.{upload_form.extension}", upload_form.valid)
    assert response.status_code == 302
    assert re.fullmatch(STORED_NAMES[upload_form.key], upload_form.kept())
    new = [str(path) for path in _stored_files() - before]
    assert len(new) == (0 if upload_form.key == "csv" else 1)
    assert not any("passwd" in name or ".." in name for name in new)
    if upload_form.key == "cv":
        assert Application.objects.get().cv_filename == "passwd.pdf"


# --- With clamd -----------------------------------------------------------------------------

INFECTED = {
    "cv": [
        ("cv.pdf", EICAR),
        ("cv.docx", eicar_zip()),
        ("cv.docx", docx_with_eicar()),
    ],
    "logo": [("logo.png", png_bytes() + EICAR)],
    "csv": [("sheets.csv", csv_bytes() + EICAR)],
}


def test_with_clamd_every_upload_form_refuses_a_virus_and_keeps_nothing(upload_form, clamd):
    for name, content in INFECTED[upload_form.key]:
        before = _stored_files()
        response = upload_form.post(name, content)
        assert response.status_code == 200
        assert _errors(response) == [VIRUS_FOUND], name
        assert clamd.scans[-1][0] == content
        assert not upload_form.kept()
        assert _stored_files() == before


def test_with_clamd_a_clean_file_is_scanned_and_accepted(upload_form, clamd):
    response = upload_form.post(f"mine.{upload_form.extension}", upload_form.valid)
    assert response.status_code == 302
    assert upload_form.kept()
    assert clamd.scans and all(scanned == upload_form.valid for scanned, _ in clamd.scans)


def test_when_clamd_does_not_answer_uploads_are_refused_and_logged(upload_form, clamd_down, caplog):
    before = _stored_files()
    with caplog.at_level(logging.ERROR, logger="hub.uploads"):
        response = upload_form.post(f"mine.{upload_form.extension}", upload_form.valid)
    assert response.status_code == 200
    assert _errors(response) == [SCANNER_UNAVAILABLE]
    assert not upload_form.kept()
    assert _stored_files() == before
    assert "virus scanner failed" in caplog.text


def test_the_django_admin_checks_a_logo_like_the_profile_page(org_a, rf):
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    admin_form = admin.site._registry[Organisation].get_form(request, org_a)
    assert issubclass(admin_form, OrganisationAdminForm)
    data = {name: value for name, value in model_to_dict(org_a).items() if value}

    pixel_bomb = SimpleUploadedFile("logo.png", png_bytes(5000, 5000))
    form = admin_form(data, {"logo": pixel_bomb}, instance=org_a)
    assert form.errors == {
        "logo": ["The selected image must be at most 4,000 pixels wide and 4,000 pixels high"]
    }
    good = admin_form(data, {"logo": SimpleUploadedFile("../x.png", png_bytes())}, instance=org_a)
    assert good.is_valid(), good.errors
    assert re.fullmatch(r"[0-9a-f]{32}\.png", good.cleaned_data["logo"].name)


# --- Downloads ------------------------------------------------------------------------------

HOSTILE_NAMES = [
    ('my "best" cv.pdf', "my-best-cv.pdf"),
    ("cv\r\nSet-Cookie: session=stolen.pdf", "cv-Set-Cookie-session-stolen.pdf"),
    ("Zoë Ólafsdóttir – CV.pdf", "Zoe-Olafsdottir-CV.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\amira\\cv.pdf", "cv.pdf"),
    ("cv.html", "cv-html.pdf"),
    ("", "cv.pdf"),
]


@pytest.fixture
def application_with_cv(org_a, candidate):
    application = ApplicationFactory(
        vacancy=VacancyFactory(organisation=org_a), candidate=candidate
    )
    application.cv.save(f"cvs/{uuid.uuid4().hex}.pdf", ContentFile(PDF_BYTES), save=True)
    return application


def _download(who, application, request):
    client = request.getfixturevalue("client_as")(request.getfixturevalue(who))
    if who == "candidate":
        return client.get(reverse("candidate:application_cv", args=[application.pk]))
    return client.get(
        reverse(
            "vacancies:application_cv",
            kwargs={
                "org_slug": application.vacancy.organisation.slug,
                "application_id": application.pk,
            },
        )
    )


@pytest.mark.parametrize("original, sent", HOSTILE_NAMES)
@pytest.mark.parametrize("who", ["candidate", "staff_a"])
def test_a_cv_downloads_as_an_attachment_under_a_sanitised_name_that_is_never_sniffed(
    application_with_cv, request, who, original, sent
):
    application_with_cv.cv_filename = original
    application_with_cv.save()
    response = _download(who, application_with_cv, request)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{sent}"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not any("\r" in value or "\n" in value for value in response.headers.values())
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_only_recruiters_of_the_organisation_download_a_cv(
    application_with_cv, client_as, org_a, member_b
):
    outreach = MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user
    url = reverse(
        "vacancies:application_cv",
        kwargs={"org_slug": org_a.slug, "application_id": application_with_cv.pk},
    )
    assert client_as(outreach).get(url).status_code == 403
    assert client_as(member_b).get(url).status_code == 404


@pytest.mark.parametrize("stored", ["exports/report.csv", "exports/report.xlsx"])
def test_any_private_file_downloads_under_its_stored_extension(stored):
    name = private_storage().save(stored, ContentFile(b"a,b\n"))
    try:
        file = Application(cv=name).cv
        response = private_file_response(file, "report.html", fallback="reports")
        extension = name.rsplit(".", 1)[1]
        assert response["Content-Disposition"] == f'attachment; filename="report-html.{extension}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        response.file_to_stream.close()
    finally:
        private_storage().delete(name)
