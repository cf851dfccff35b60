"""Logo validation (pure) and branding in the rendered report."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from common.errors import InputError
from reports.branding import clean_logo

MAX = 512 * 1024


def image_bytes(fmt: str, size=(40, 20), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def png(name="logo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


@pytest.mark.parametrize(("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg")])
def test_a_png_or_jpeg_is_accepted_and_re_encoded(fmt, extension):
    data = image_bytes(fmt) + b"<script>trailing payload</script>"
    clean = clean_logo(data, max_bytes=MAX)
    assert (clean.format, clean.extension, clean.width, clean.height) == (fmt, extension, 40, 20)
    assert b"trailing payload" not in clean.content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (image_bytes("GIF"), "PNG or JPEG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"not really a png", "could not be read"),
        (b"\xff\xd8\xff" + b"\x00" * 50, "could not be read"),
        (image_bytes("PNG", size=(2001, 10)), "at most 2000"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX + 1), "larger than 512 KB"),
    ],
)
def test_anything_else_is_refused(data, message):
    with pytest.raises(InputError, match=message):
        clean_logo(data, max_bytes=MAX)


def test_a_png_named_jpg_is_judged_by_its_content():
    assert clean_logo(image_bytes("PNG"), max_bytes=MAX).format == "PNG"


@pytest.mark.django_db
def test_the_report_carries_the_firm_name_colour_and_logo(answered, alice, caplog):
    import logging

    from pypdf import PdfReader

    from reports import rendering, services
    from reports.models import ReportKind

    from .conftest import chromium_or_skip, pdf_text

    chromium_or_skip()
    services.branding_save(
        organization=answered.organization, user=alice, firm_name="Northstar Advisory",
        color="#aa3300", logo=png(),
    )  # fmt: skip

    with caplog.at_level(logging.DEBUG, logger="reports.fetcher"):
        rendered = rendering.render_report(
            answered, ReportKind.EXECUTIVE_SUMMARY, answered.created_at.date()
        )

    first = PdfReader(io.BytesIO(rendered.content)).pages[0]
    assert "Prepared by Northstar Advisory" in pdf_text(rendered.content)
    assert len(first.images) == 1  # the logo, read from the media folder
    assert "https://report.invalid/media/branding/" in caplog.text
    assert "refused" not in caplog.text


def _truncated(fmt: str) -> list[bytes]:
    whole = image_bytes(fmt, size=(120, 80))
    return [whole[:60], whole[: len(whole) // 2], whole[:-14]]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_truncated_logo_is_refused_even_after_weasyprint_is_imported(fmt):
    import weasyprint  # noqa: F401  (its import sets LOAD_TRUNCATED_IMAGES = True)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    for data in _truncated(fmt):
        with pytest.raises(InputError, match="could not be read"):
            clean_logo(data, max_bytes=MAX)
    # WeasyPrint keeps its setting; a whole logo still passes.
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    assert clean_logo(image_bytes(fmt), max_bytes=MAX).format == fmt


def test_a_png_with_a_damaged_chunk_is_refused():
    data = bytearray(image_bytes("PNG", size=(120, 80)))
    data[60] ^= 0xFF  # inside the image data: its CRC no longer matches
    with pytest.raises(InputError, match="incomplete or damaged"):
        clean_logo(bytes(data), max_bytes=MAX)
