"""Where cleaned photos are kept: the `PhotoStore` port, the filesystem store (the default),
and writing a request's photos so that a failed request leaves none behind. Object storage:
`lapor.photo_s3`."""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from lapor.errors import ValidationFailed
from lapor.photos import EXTENSION, ORIGINAL, VARIANT_MEDIA_TYPE, Photo, variants_of_stored

log = logging.getLogger(__name__)


class PhotoStore(Protocol):
    """Where cleaned photos are kept, by their hash (`photo_key`): the filesystem
    (`FilePhotoStore`, the default) or S3-compatible object storage (`photo_s3.S3PhotoStore`).
    A photo that is not there raises FileNotFoundError; a store that cannot be reached,
    StorageUnavailable. Opened once at start-up, closed at shutdown."""

    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def put(self, photo: Photo) -> bool: ...
    async def discard(self, photo: Photo) -> None: ...
    async def get(self, sha256: str, media_type: str, size: str = ORIGINAL) -> bytes: ...
    async def put_variants(self, sha256: str, variants: Mapping[str, bytes]) -> None: ...


def photo_key(sha256: str, media_type: str, size: str = ORIGINAL) -> str:
    """Where a photo (or one of its copies) lives in any store: ``ab/cd/<sha256>.<ext>``,
    ``ab/cd/<sha256>.display.jpg``, ``ab/cd/<sha256>.thumb.jpg``."""
    name = f"{sha256}.{EXTENSION[media_type]}" if size == ORIGINAL else f"{sha256}.{size}.jpg"
    return f"{sha256[:2]}/{sha256[2:4]}/{name}"


async def read_photo(
    store: PhotoStore, sha256: str, media_type: str, size: str = ORIGINAL
) -> tuple[bytes, str]:
    """A stored photo at ``size``, with its media type. A photo stored before the smaller copies
    existed gets them made from its original now, and kept; one whose original does not decode
    (stored before photos were cleaned) is served as it is, as it always was."""
    if size == ORIGINAL:
        return await store.get(sha256, media_type), media_type
    try:
        return await store.get(sha256, media_type, size), VARIANT_MEDIA_TYPE
    except FileNotFoundError:
        pass
    original = await store.get(sha256, media_type)
    try:
        variants = await variants_of_stored(original, media_type)
    except ValidationFailed:
        log.info("photo without smaller copies served whole sha256=%s", sha256)
        return original, media_type
    await store.put_variants(sha256, variants)
    return variants[size], VARIANT_MEDIA_TYPE


class FilePhotoStore:
    """Photos under ``root/ab/cd/<sha256>.<ext>``, their smaller copies beside them as
    ``<sha256>.display.jpg`` and ``<sha256>.thumb.jpg``; identical photos are stored once.
    The file I/O runs in a thread, off the event loop.

    Files are written inside the transaction, after its rows and just before it commits
    (`store_photos`); if it fails, the files that request wrote are removed again
    (`discard_photos`): a refused request leaves no file, and no row points at nothing.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    def _path(self, sha256: str, media_type: str, size: str = ORIGINAL) -> Path:
        return self.root / photo_key(sha256, media_type, size)

    async def put(self, photo: Photo) -> bool:
        """Store a photo; False when it was stored already (identical photos are one file)."""
        return await asyncio.to_thread(self._put, photo)

    async def discard(self, photo: Photo) -> None:
        await asyncio.to_thread(self._discard, photo)

    async def put_variants(self, sha256: str, variants: Mapping[str, bytes]) -> None:
        await asyncio.to_thread(self._put_variants, sha256, variants)

    async def get(self, sha256: str, media_type: str, size: str = ORIGINAL) -> bytes:
        return await asyncio.to_thread(self._path(sha256, media_type, size).read_bytes)

    def _put(self, photo: Photo) -> bool:
        new = self._write(self._path(photo.sha256, photo.media_type), photo.data)
        self._put_variants(photo.sha256, photo.variants)
        return new

    def _discard(self, photo: Photo) -> None:
        self._path(photo.sha256, photo.media_type).unlink(missing_ok=True)
        for size in photo.variants:
            self._path(photo.sha256, VARIANT_MEDIA_TYPE, size).unlink(missing_ok=True)

    def _put_variants(self, sha256: str, variants: Mapping[str, bytes]) -> None:
        for size, data in variants.items():
            self._write(self._path(sha256, VARIANT_MEDIA_TYPE, size), data)

    def _write(self, path: Path, data: bytes) -> bool:
        if path.exists():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True


async def store_photos(store: PhotoStore, photos: Sequence[Photo]) -> list[Photo]:
    """Write photos whose rows are about to commit; the ones this call wrote, to discard if
    the commit fails after all. If one cannot be written, those written before it are
    discarded here and the error raised: the caller has nothing to undo."""
    written: list[Photo] = []
    try:
        for photo in photos:
            # Shielded: a request cancelled mid-upload still learns whether the photo was
            # written, so that it is removed with the rest below.
            put = asyncio.ensure_future(store.put(photo))
            try:
                new = await asyncio.shield(put)
            except asyncio.CancelledError:
                if not put.cancelled() and await _settled(put):
                    written.append(photo)
                raise
            if new:
                written.append(photo)
    except BaseException:
        await discard_photos(store, written)
        raise
    return written


async def _settled(put: asyncio.Future[bool]) -> bool:
    """Whether a shielded put that outlived its caller wrote the photo (False if it failed)."""
    try:
        return await put
    except Exception:  # noqa: BLE001 - it failed: nothing to remove
        return False


async def discard_photos(store: PhotoStore, written: Sequence[Photo]) -> None:
    """Remove photos a failed request wrote. Never raises: the request's own error is the one
    to report (a store that is down is logged, by hash only, and the object stays)."""
    for photo in written:
        try:
            await asyncio.shield(store.discard(photo))
        except Exception:  # noqa: BLE001 - see above
            log.warning("photo not discarded sha256=%s", photo.sha256, exc_info=True)
