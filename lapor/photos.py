"""Complaint photos: recognised by their bytes, limited in size and number, stored by hash."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from lapor.errors import PayloadTooLarge, ValidationFailed

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 5
_EXTENSION = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


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
    data: bytes
    media_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def accept_photo(data: bytes, *, field: str = "photos") -> Photo:
    if len(data) > MAX_PHOTO_BYTES:
        raise PayloadTooLarge.on(field, "Setiap foto paling besar 5 MB.")
    if not data:
        raise ValidationFailed.on(field, "Foto kosong.")
    media_type = sniff_media_type(data)
    if media_type is None:
        raise ValidationFailed.on(field, "Foto harus berformat JPEG, PNG, atau WebP.")
    return Photo(data, media_type, hashlib.sha256(data).hexdigest())


def check_photo_count(count: int, *, field: str = "photos") -> None:
    if count > MAX_PHOTOS:
        raise ValidationFailed.on(field, f"Paling banyak {MAX_PHOTOS} foto per laporan.")


class PhotoStore(Protocol):
    def put(self, photo: Photo) -> None: ...
    def get(self, sha256: str, media_type: str) -> bytes: ...


class FilePhotoStore:
    """Photos under ``root/ab/cd/<sha256>.<ext>``; identical photos are stored once.

    Files are written before the database commits; a failed transaction leaves at worst an
    unreferenced file, never a row pointing at nothing.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str, media_type: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.{_EXTENSION[media_type]}"

    def put(self, photo: Photo) -> None:
        path = self._path(photo.sha256, photo.media_type)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(photo.data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, sha256: str, media_type: str) -> bytes:
        return self._path(sha256, media_type).read_bytes()
