"""Small real documents for upload tests: a PDF, a Word document and an OpenDocument
text, each built the way the real programs lay them out."""

import io
import struct
import zipfile

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def docx_bytes(text: str = "Curriculum vitae") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
            "/></Types>",
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>")
    return buffer.getvalue()


def odt_bytes(text: str = "Curriculum vitae") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr(
            "content.xml", f"<office:document-content>{text}</office:document-content>"
        )
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    """A real PNG, one colour: even a huge one is a few kilobytes."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def csv_bytes(rows: int = 1) -> bytes:
    """A CSV of paper sign-up sheets with the columns the import needs."""
    lines = ["name,email,phone,postcode,engaged_on,how_engaged,consent"]
    lines += [f"Resident {n},,,,01/02/2025,online,no" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


# --- Files that must be refused -----------------------------------------------------------

# The EICAR anti-virus test file: harmless, and reported by every scanner as if it were a
# virus. Kept in two halves so this source file is not itself flagged on developers' machines.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>CV</title></head>"
    b"<body><script>fetch('/accounts/email/').then(r => r.text()).then(alert)</script>"
    b"</body></html>\n"
)

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.domain)</script><rect width="10" height="10"/></svg>\n'
)

PASSWD = b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"


def eicar_zip() -> bytes:
    """The EICAR file in a zip (stored, not deflated, so a scanner that only reads the raw
    stream finds it too), as sent when someone renames an archive .docx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("eicar.com", EICAR)
    return buffer.getvalue()


def docx_with_eicar() -> bytes:
    """A real Word document with the EICAR file embedded: its type is right, so only the
    virus scanner can refuse it."""
    buffer = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/embeddings/oleObject1.bin", EICAR)
    return buffer.getvalue()


def zip_bomb_docx(*, entries: int = 0, unpacked_bytes: int = 0) -> bytes:
    """A .docx that unpacks far beyond its size: `entries` extra empty parts and/or one
    part of `unpacked_bytes` zeros (deflate packs 60 MB of zeros into about 60 KB). It
    begins like a real Word document, so it passes the check of its first bytes."""
    buffer = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for number in range(entries):
            archive.writestr(f"word/media/{number}", b"")
        if unpacked_bytes:
            megabyte = bytes(1024 * 1024)
            with archive.open("word/zeros.xml", "w") as part:
                for _ in range(unpacked_bytes // len(megabyte)):
                    part.write(megabyte)
    return buffer.getvalue()


def zip_bomb_docx_with_lying_sizes(unpacked_bytes: int) -> bytes:
    """A zip bomb whose headers claim its big part unpacks to 1 KB, so adding up the
    sizes the headers declare does not catch it; only unpacking finds the truth."""
    content = bytearray(zip_bomb_docx(unpacked_bytes=unpacked_bytes))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        local_header = archive.getinfo("word/zeros.xml").header_offset
    lie = struct.pack("<I", 1024)
    # The unpacked size sits 22 bytes into the part's local header and 24 bytes into its
    # record in the central directory, the last record there.
    content[local_header + 22 : local_header + 26] = lie
    central_record = content.rindex(b"PK\x01\x02")
    content[central_record + 24 : central_record + 28] = lie
    return bytes(content)
