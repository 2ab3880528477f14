"""Photos built for the tests with Pillow: ones carrying what must be stripped, and bytes that
must be refused. Each sample is checked to carry what it claims (`carries`), so a test that
finds nothing in lapor's output has proved something."""

from __future__ import annotations

import functools
import io
import struct
import zlib

from PIL import ExifTags, Image, PngImagePlugin

SERIAL = "SN-4471-KAMERA-PELAPOR"
COMMENT = b"rumah pelapor: Jl. Melati 7"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="6,14.3S"/></rdf:RDF></x:xmpmeta>'
)
SCRIPT_AS_JPEG = b"\xff\xd8\xff" + b"<script>fetch('/petugas?c='+document.cookie)</script>"
RED, BLUE = (220, 20, 20), (20, 20, 220)


def _exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KameraKu"
    exif[ExifTags.Base.Model] = "KK-9 Pro"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (6.0, 14.0, 17.9)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (106.0, 58.0, 32.2)
    return exif


def _with_xmp(jpeg: bytes) -> bytes:
    """An XMP packet in its APP1 segment right after SOI, as cameras and editors write it."""
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + XMP
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def jpeg_with_gps_and_serial(width: int = 64, height: int = 48) -> bytes:
    """A JPEG with EXIF (camera make, model, body serial, GPS position), a comment and XMP."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(
        out, "JPEG", exif=_exif(), comment=COMMENT
    )
    return _with_xmp(out.getvalue())


def png_with_text_chunks() -> bytes:
    """A PNG with tEXt, zTXt and iTXt chunks and an eXIf chunk with GPS."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Budi Santoso")
    info.add_text("Comment", COMMENT.decode(), zip=True)
    info.add_itxt("Description", "diambil di depan rumah", lang="id")
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 160, 60)).save(out, "PNG", pnginfo=info, exif=_exif())
    return out.getvalue()


def rotated_jpeg() -> bytes:
    """Stored 60x40, red left and blue right, with EXIF Orientation 6: seen upright it is
    40x60, red on top and blue below."""
    image = Image.new("RGB", (60, 40), BLUE)
    image.paste(RED, (0, 0, 30, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", exif=_exif(orientation=6), quality=95)
    return out.getvalue()


def gradient_jpeg(width: int, height: int) -> bytes:
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", exif=_exif())
    return out.getvalue()


@functools.cache
def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A 1-bit black PNG of ``width`` x ``height``: tens of kilobytes on the wire, hundreds of
    megabytes once decoded. Written row by row without Pillow, which would have to allocate it."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_chunk_types(data: bytes) -> list[str]:
    """The chunk types of a PNG, in order."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    types, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        types.append(data[at + 4 : at + 8].decode("ascii"))
        at += 12 + length
    return types


def jpeg_segments(data: bytes) -> list[str]:
    """The marker segments of a JPEG before its image data, as "APP0", "APP1", "COM", "DQT"..."""
    names = {0xFE: "COM", 0xDB: "DQT", 0xC4: "DHT", 0xDD: "DRI"}
    names.update({0xE0 + n: f"APP{n}" for n in range(16)})
    names.update({0xC0 + n: f"SOF{n}" for n in (0, 1, 2)})
    assert data.startswith(b"\xff\xd8")
    segments, at = [], 2
    while at < len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the pixels follow
            break
        segments.append(names.get(marker, hex(marker)))
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
    return segments


def carries_metadata(data: bytes) -> list[str]:
    """What of the samples' identifying metadata ``data`` still holds (empty: none)."""
    found = []
    for label, needle in (
        ("camera serial", SERIAL.encode()),
        ("camera make", b"KameraKu"),
        ("comment", COMMENT),
        ("author", b"Budi Santoso"),
        ("XMP", b"http://ns.adobe.com/xap/1.0/"),
        ("XMP", b"x:xmpmeta"),
        ("EXIF", b"Exif\x00\x00"),
    ):
        if needle in data:
            found.append(label)
    image = Image.open(io.BytesIO(data))
    if image.getexif():
        found.append("EXIF tags")
    if image.getexif().get_ifd(ExifTags.IFD.GPSInfo):
        found.append("GPS")
    found += [
        f"info {key}" for key in image.info if key in ("exif", "xmp", "comment", "icc_profile")
    ]
    if image.format == "PNG":
        found += [f"{kind} chunk" for kind in png_chunk_types(data) if kind not in PNG_PIXELS]
    return found


PNG_PIXELS = {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}
