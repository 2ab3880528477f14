"""Photos in S3-compatible object storage (AWS S3, MinIO, Ceph, Garage, R2...) through
aiobotocore: the same `PhotoStore` as the filesystem, the same keys under ``photos/``.

The bucket stays private: photos are only ever served through lapor's own photo route, which
applies the complaint's visibility rules (a `rahasia` complaint's photos reach only its
reporter and officers). No public or presigned URL is handed out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError

from lapor import i18n
from lapor.errors import StorageUnavailable
from lapor.photo_store import photo_key
from lapor.photos import ORIGINAL, VARIANT_MEDIA_TYPE, Photo

if TYPE_CHECKING:
    from lapor.settings import Settings

log = logging.getLogger(__name__)

PREFIX = "photos/"
# What S3 answers for a key that is not there (GetObject: NoSuchKey; HeadObject: a bare 404).
_MISSING = {"NoSuchKey", "404", "NotFound"}
# Everything that means "the store did not do it": refused, unreachable, timed out.
_FAILURES = (BotoCoreError, ClientError, OSError, asyncio.TimeoutError)


class S3PhotoStore:
    """One aiobotocore client per process, opened at start-up (`open`) and closed at shutdown.
    Objects are content-addressed, so a put of a photo already there writes nothing and says
    so (False), exactly as the file store does; a failed put removes what it wrote."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        max_attempts: int = 3,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
    ) -> None:
        self.bucket = bucket
        self._client_options: dict[str, Any] = {
            "region_name": region,
            "endpoint_url": endpoint_url or None,
            # None: botocore's own chain (instance role, profile) finds the credentials.
            "aws_access_key_id": access_key_id or None,
            "aws_secret_access_key": secret_access_key or None,
            "config": AioConfig(
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                retries={"total_max_attempts": max_attempts, "mode": "standard"},
                # MinIO and the like are reached by path (no wildcard DNS for the bucket).
                s3={"addressing_style": "path" if endpoint_url else "auto"},
            ),
        }
        self._stack: contextlib.AsyncExitStack | None = None
        self._s3: Any = None

    @classmethod
    def from_settings(cls, settings: Settings) -> S3PhotoStore:
        return cls(
            settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
            max_attempts=settings.s3_max_attempts,
        )

    async def open(self) -> None:
        """Create the client; say in the log (not by refusing to start) when the bucket does
        not answer, as the photo routes will until it does."""
        if self._stack is not None:
            return
        stack = contextlib.AsyncExitStack()
        self._s3 = await stack.enter_async_context(
            get_session().create_client("s3", **self._client_options)
        )
        self._stack = stack
        try:
            await self._s3.head_bucket(Bucket=self.bucket)
        except _FAILURES as error:
            log.warning("photo bucket not reachable bucket=%s error=%s", self.bucket, _name(error))
        else:
            log.info("photo store ready bucket=%s", self.bucket)

    async def close(self) -> None:
        stack, self._stack, self._s3 = self._stack, None, None
        if stack is not None:
            await stack.aclose()

    @property
    def _client(self) -> Any:
        if self._s3 is None:
            raise RuntimeError("S3PhotoStore used before open() or after close()")
        return self._s3

    @staticmethod
    def key(sha256: str, media_type: str, size: str = ORIGINAL) -> str:
        return PREFIX + photo_key(sha256, media_type, size)

    async def put(self, photo: Photo) -> bool:
        """Store a photo and its copies; False when it was stored already."""
        original = self.key(photo.sha256, photo.media_type)
        if await self._exists(original):
            return False
        objects = {original: (photo.data, photo.media_type)}
        for size, data in photo.variants.items():
            objects[self.key(photo.sha256, VARIANT_MEDIA_TYPE, size)] = (data, VARIANT_MEDIA_TYPE)
        await self._put_all(objects)
        return True

    async def put_variants(self, sha256: str, variants: Mapping[str, bytes]) -> None:
        await self._put_all(
            {
                self.key(sha256, VARIANT_MEDIA_TYPE, size): (data, VARIANT_MEDIA_TYPE)
                for size, data in variants.items()
            }
        )

    async def discard(self, photo: Photo) -> None:
        keys = [self.key(photo.sha256, photo.media_type)]
        keys += [self.key(photo.sha256, VARIANT_MEDIA_TYPE, size) for size in photo.variants]
        failures = [f for f in await self._delete(keys) if f is not None]
        if failures:
            raise failures[0]

    async def get(self, sha256: str, media_type: str, size: str = ORIGINAL) -> bytes:
        key = self.key(sha256, media_type, size)
        try:
            response = await self._client.get_object(Bucket=self.bucket, Key=key)
            async with response["Body"] as body:
                return await body.read()
        except ClientError as error:
            if _code(error) in _MISSING:
                raise FileNotFoundError(key) from None
            raise _unavailable("get", error) from error
        except _FAILURES as error:
            raise _unavailable("get", error) from error

    async def _exists(self, key: str) -> bool:
        try:
            await self._client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _code(error) in _MISSING:
                return False
            raise _unavailable("head", error) from error
        except _FAILURES as error:
            raise _unavailable("head", error) from error
        return True

    async def _put_all(self, objects: Mapping[str, tuple[bytes, str]]) -> None:
        """Every object or none: when one fails, those written beside it are removed."""
        results = await asyncio.gather(
            *(self._put_one(key, data, media_type) for key, (data, media_type) in objects.items()),
            return_exceptions=True,
        )
        failed = [result for result in results if isinstance(result, BaseException)]
        if failed:
            written = [key for key, result in zip(objects, results, strict=True) if result is None]
            await self._delete(written)
            raise failed[0]

    async def _put_one(self, key: str, data: bytes, media_type: str) -> None:
        try:
            await self._client.put_object(
                Bucket=self.bucket, Key=key, Body=data, ContentType=media_type
            )
        except _FAILURES as error:
            raise _unavailable("put", error) from error

    async def _delete(self, keys: list[str]) -> list[StorageUnavailable | None]:
        """Delete each key (one gone already is no error); the failures, by key's place."""

        async def one(key: str) -> StorageUnavailable | None:
            try:
                await self._client.delete_object(Bucket=self.bucket, Key=key)
            except _FAILURES as error:
                return _unavailable("delete", error)
            return None

        return list(await asyncio.gather(*(one(key) for key in keys)))


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _name(error: BaseException) -> str:
    return _code(error) if isinstance(error, ClientError) else type(error).__name__


def _unavailable(operation: str, error: BaseException) -> StorageUnavailable:
    # The key and bucket stay out of the message a client reads; the log has the cause.
    log.warning("photo store %s failed error=%s", operation, _name(error))
    return StorageUnavailable(i18n.t("problem.photo_store_unavailable"))
