"""Logo validation for report branding. Pure: bytes in, clean bytes out.

A logo must be a PNG or a JPEG (checked by its signature and by decoding it, never by
its name), within the size and dimension limits. It is re-encoded, so what is stored
is only the pixels: no metadata, no trailing payload, no second format hiding inside.

A truncated or corrupt file is refused whatever Pillow's process-wide
`ImageFile.LOAD_TRUNCATED_IMAGES` says (WeasyPrint sets it to True when it is imported,
and Pillow then decodes half a file into a padded image without complaint): the file's
own structure is checked first (`_complete`: every PNG chunk's CRC up to IEND, a JPEG's
end-of-image marker after its scan), and the decode runs with the flag off.
"""

from __future__ import annotations

import io
import struct
import threading
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

from common.errors import InputError

SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
EXTENSIONS = {"PNG": "png", "JPEG": "jpg"}
MAX_SIDE = 2000
MAX_PIXELS = MAX_SIDE * MAX_SIDE


def _logo_error(message: str) -> InputError:
    return InputError("logo", "invalid", message)


@dataclass(frozen=True)
class CleanLogo:
    content: bytes
    format: str  # "PNG" or "JPEG"
    width: int
    height: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def sniff(data: bytes) -> str | None:
    return next((fmt for sig, fmt in SIGNATURES.items() if data.startswith(sig)), None)


def clean_logo(data: bytes, *, max_bytes: int) -> CleanLogo:
    """1. Size and signature. 2. Decode fully (dimensions checked first, so a
    decompression bomb is refused before it is decoded). 3. Re-encode."""
    if not data:
        raise _logo_error(_("The logo file is empty."))
    if len(data) > max_bytes:
        raise _logo_error(_("The logo is larger than %(size)s KB.") % {"size": max_bytes // 1024})
    declared = sniff(data)
    if declared is None:
        raise _logo_error(_("The logo must be a PNG or JPEG image."))
    if not _complete(data, declared):
        raise _logo_error(
            _("The logo could not be read as a PNG or JPEG image: it is incomplete or damaged.")
        )
    try:
        with _strict_decoding(), Image.open(io.BytesIO(data), formats=[declared]) as image:
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise _logo_error(
                    _("The logo must be at most %(side)s × %(side)s pixels.") % {"side": MAX_SIDE}
                )
            image.load()
            return CleanLogo(_encode(image, declared), declared, width, height)
    except InputError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise _logo_error(_("The logo could not be read as a PNG or JPEG image.")) from exc


def _complete(data: bytes, fmt: str) -> bool:
    """The file is whole: a PNG's chunks all check out up to IEND; a JPEG's last scan is
    followed by its end-of-image marker. Read from the bytes, not by Pillow."""
    if fmt == "JPEG":
        scan = data.rfind(b"\xff\xda")
        return scan != -1 and data.find(b"\xff\xd9", scan) != -1
    offset = 8  # the signature
    while offset + 12 <= len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body_end = offset + 8 + length
        if body_end + 4 > len(data):
            return False
        (crc,) = struct.unpack(">I", data[body_end : body_end + 4])
        if zlib.crc32(data[offset + 4 : body_end]) != crc:
            return False
        if kind == b"IEND":
            return True
        offset = body_end + 4
    return False


_FLAG = threading.Lock()


@contextmanager
def _strict_decoding():
    """Pillow's truncated-image tolerance off while a logo decodes, restored after."""
    with _FLAG:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=90)
    else:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
        image.convert(mode).save(out, format="PNG", optimize=True)
    return out.getvalue()
