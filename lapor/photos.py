"""Complaint photos: never stored as sent. Each is decoded, turned upright, stripped of every
piece of metadata and re-encoded; the cleaned image is kept by its hash, with a display size
and a thumbnail beside it."""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from PIL import Image, ImageCms, ImageOps

from lapor import i18n
from lapor.errors import PayloadTooLarge, ValidationFailed

log = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 5
# Checked from the header, before a pixel is decoded: a small file can declare a huge image
# (a decompression bomb). 40 MP is more than a phone's camera gives at full resolution.
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85
WEBP_QUALITY = 85
# The longest side of the smaller copies; never enlarged. Always JPEG: a display copy and a
# thumbnail are for looking at, and every browser shows a JPEG.
SIZES = {"display": 1600, "thumb": 320}
ORIGINAL = "original"
VARIANT_MEDIA_TYPE = "image/jpeg"

EXTENSION = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
_PIL_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))

# Decoding holds the whole image in memory (up to MAX_PIXELS x 4 bytes, and a copy or two while
# turning and converting it): two at a time bounds that, and keeps the work off the event loop
# without taking the threads that asyncio.to_thread shares with everything else.
_DECODERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="photo")


class UnreadablePhoto(ValidationFailed):
    """Bytes that begin like a JPEG, PNG or WebP but do not decode as one."""


class TooManyPixels(PayloadTooLarge):
    """An image whose declared size is over MAX_PIXELS, whatever its size in bytes."""


def sniff_media_type(data: bytes) -> str | None:
    """The image type from the file's own bytes; the name and the declared type are not trusted."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True)
class Photo:
    """A cleaned photo: ``data`` is what is stored and served, ``sha256`` its hash. ``variants``
    holds the smaller JPEG copies by size name when the photo was just cleaned (empty when it
    was read back from the store, where they already are)."""

    data: bytes
    media_type: str
    sha256: str
    variants: Mapping[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    @property
    def size(self) -> int:
        return len(self.data)


async def accept_photo(data: bytes, *, field: str = "photos") -> Photo:
    """An uploaded photo, cleaned (see `clean_photo`) on a decoder thread."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_DECODERS, partial(clean_photo, data, field=field))


def clean_photo(data: bytes, *, field: str = "photos") -> Photo:
    """Refuse what is not a JPEG, PNG or WebP we can decode within the limits; otherwise
    re-encode it upright in the same format, without EXIF (GPS, camera serial), XMP, comments,
    text chunks or colour profile (other profiles are converted to sRGB first), and only the
    first frame of an animation. Raises ValidationFailed / PayloadTooLarge naming ``field``."""
    if len(data) > MAX_PHOTO_BYTES:
        raise PayloadTooLarge.on(field, "Setiap foto paling besar 5 MB.")
    if not data:
        raise ValidationFailed.on(field, i18n.t("problem.photo_empty"))
    media_type = sniff_media_type(data)
    if media_type is None:
        raise ValidationFailed.on(field, i18n.t("problem.photo_format"))
    image = _in_srgb(_upright(_decode(data, media_type, field)))
    variants = make_variants_of(image)
    cleaned = _encode_within_limit(_for_format(image, media_type), media_type)
    return Photo(cleaned, media_type, hashlib.sha256(cleaned).hexdigest(), variants)


def _unreadable(field: str) -> UnreadablePhoto:
    return UnreadablePhoto.on(field, i18n.t("problem.photo_unreadable"))


def _too_many_pixels(field: str) -> TooManyPixels:
    limit = MAX_PIXELS // 1_000_000
    return TooManyPixels.on(
        field, f"Ukuran gambar terlalu besar: paling banyak {limit} megapiksel."
    )


def _decode(data: bytes, media_type: str, field: str) -> Image.Image:
    try:
        # Only the decoder the bytes claim: a PNG is never handed to another format's parser.
        image = Image.open(io.BytesIO(data), formats=[_PIL_FORMAT[media_type]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own, higher limit (its warning is an error where warnings are errors).
        raise _too_many_pixels(field) from None
    except Exception:  # noqa: BLE001 - any failure to parse untrusted bytes is "unreadable"
        raise _unreadable(field) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(field)
    try:
        image.load()  # the first frame only: an animation is not played through
    except Exception:  # noqa: BLE001 - truncated data, a broken stream, a decoder's complaint
        raise _unreadable(field) from None
    return image


def _upright(image: Image.Image) -> Image.Image:
    """The pixels as the camera meant them to be seen (EXIF Orientation applied), carrying
    from the file only what the next steps need: the colour profile and the transparency."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:  # noqa: BLE001 - a broken EXIF block: keep the pixels as they are
        log.info("photo orientation unreadable; kept as stored")
    image.info = {
        key: image.info[key] for key in ("icc_profile", "transparency") if key in image.info
    }
    return image


def _in_srgb(image: Image.Image) -> Image.Image:
    """The colours in sRGB, so that dropping the profile changes nothing a viewer sees."""
    icc = image.info.pop("icc_profile", None)
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image  # no profile: already sRGB by convention; grey and palettes: kept as they are
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if image.mode != "CMYK" and ImageCms.getProfileDescription(profile).startswith("sRGB"):
            return image
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, profile, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        log.info("photo colour profile unreadable; dropped")
        return image
    converted.info = {}
    return converted


_MODES = {
    "image/jpeg": ("L", "RGB"),
    "image/png": ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"),
    "image/webp": ("RGB", "RGBA"),
}


def _for_format(image: Image.Image, media_type: str) -> Image.Image:
    """The image in a mode its format stores, carrying nothing but its pixels (and, in a PNG,
    which colour is transparent)."""
    if image.mode not in _MODES[media_type]:  # e.g. a CMYK JPEG, a grey WebP
        alpha = _has_alpha(image) and media_type != "image/jpeg"
        image = image.convert("RGBA" if alpha else "RGB")
    keep = "transparency" if media_type == "image/png" else None
    image.info = {key: value for key, value in image.info.items() if key == keep}
    return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or image.info.get("transparency") is not None


def _encode(image: Image.Image, media_type: str) -> bytes:
    out = io.BytesIO()
    # Every saver is told explicitly that there is nothing to write besides the pixels.
    if media_type == "image/jpeg":
        image.save(out, "JPEG", quality=JPEG_QUALITY, exif=b"", comment=b"")
    elif media_type == "image/png":
        image.save(out, "PNG", icc_profile=None, exif=None)
    else:
        image.save(out, "WEBP", quality=WEBP_QUALITY, exif=b"", xmp=b"", icc_profile=None)
    return out.getvalue()


def _encode_within_limit(image: Image.Image, media_type: str) -> bytes:
    """Encoded, and no larger than an upload may be (a PNG packed tighter by another encoder
    can grow when re-encoded): scaled down by steps until it fits, which real photos never need."""
    data = _encode(image, media_type)
    while len(data) > MAX_PHOTO_BYTES:
        width, height = image.size
        image = image.resize(
            (max(1, width * 3 // 4), max(1, height * 3 // 4)), Image.Resampling.LANCZOS
        )
        data = _encode(image, media_type)
    return data


def make_variants_of(image: Image.Image) -> dict[str, bytes]:
    """The smaller JPEG copies of an upright image, by size name; transparency on white."""
    if _has_alpha(image):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode not in ("L", "RGB"):
        flat = image.convert("RGB")
    else:
        flat = image  # only read: each copy below is a new image
    variants = {}
    for name, longest in sorted(SIZES.items(), key=lambda item: -item[1]):
        width, height = flat.size
        if max(width, height) > longest:
            scale = longest / max(width, height)
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            flat = flat.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        out = io.BytesIO()
        flat.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, exif=b"", comment=b"")
        variants[name] = out.getvalue()
    return variants


def check_photo_count(count: int, *, field: str = "photos") -> None:
    if count > MAX_PHOTOS:
        raise ValidationFailed.on(field, i18n.t("problem.too_many_photos", maximum=MAX_PHOTOS))


def check_size(size: str | None) -> str:
    """The size a photo is asked for (``?size=``): the original unless display or thumb."""
    if size is None or size == ORIGINAL:
        return ORIGINAL
    if size not in SIZES:
        raise ValidationFailed.on("size", i18n.t("problem.photo_size"))
    return size


async def variants_of_stored(data: bytes, media_type: str) -> dict[str, bytes]:
    """The smaller copies of a stored original (one kept before copies existed), made on a
    decoder thread. Raises ValidationFailed when the original does not decode."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_DECODERS, _variants_of_stored, data, media_type)


def _variants_of_stored(data: bytes, media_type: str) -> dict[str, bytes]:
    return make_variants_of(_in_srgb(_upright(_decode(data, media_type, "photo"))))
