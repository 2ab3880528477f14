"""Photos in S3-compatible object storage: the S3 store against moto in server mode on
loopback, the API filing and serving through it, rahasia photos kept private, and an outage
that leaves neither a complaint nor an object behind."""

from __future__ import annotations

import socket
import uuid
from dataclasses import replace

import aiohttp
import boto3
import pytest
from aiohttp import web
from helpers import VALID, cleaned, form, png_bytes, row_counts
from moto.server import ThreadedMotoServer
from test_bots_engine import DESCRIPTION, Citizen, RecordingMedia, conversation, id_text
from test_bots_engine import replies as bot_replies

from bots.engine import Engine
from lapor.errors import StorageUnavailable
from lapor.photo_s3 import S3PhotoStore
from lapor.photo_store import discard_photos, store_photos
from lapor.photos import accept_photo
from lapor.settings import SettingsError, settings_from_env
from lapor.web.app import create_app

KEYS = {"s3_access_key_id": "testing", "s3_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def moto_url():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
def outside(moto_url):
    """A plain boto3 client on the moto server, to look at the bucket from outside lapor."""
    client = boto3.client(
        "s3",
        endpoint_url=moto_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    yield client
    client.close()


@pytest.fixture
def bucket(outside) -> str:
    """A new, empty, private bucket (moto keeps every bucket in this process: names differ)."""
    name = f"lapor-{uuid.uuid4().hex[:12]}"
    outside.create_bucket(Bucket=name)
    return name


@pytest.fixture
def objects(outside, bucket):
    """The keys in the test's bucket, now."""

    def keys() -> list[str]:
        listed = outside.list_objects_v2(Bucket=bucket).get("Contents", [])
        return sorted(item["Key"] for item in listed)

    return keys


@pytest.fixture
async def store(moto_url, bucket):
    photos = S3PhotoStore(bucket, endpoint_url=moto_url, max_attempts=1, **_keys())
    await photos.open()
    yield photos
    await photos.close()


def _keys() -> dict[str, str]:
    return {"access_key_id": "testing", "secret_access_key": "testing"}


class FlakyS3:
    """A proxy in front of moto that refuses what `refuse(request)` picks with a 503, as S3
    does when it is down or throttling."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.refuse = lambda request: False
        self.refused: list[str] = []

    async def handle(self, request: web.Request) -> web.Response:
        if self.refuse(request):
            self.refused.append(f"{request.method} {request.path}")
            return web.Response(status=503, text="<Error><Code>ServiceUnavailable</Code></Error>")
        skip = {"host", "content-length", "transfer-encoding", "expect", "connection"}
        headers = {k: v for k, v in request.headers.items() if k.lower() not in skip}
        async with (
            aiohttp.ClientSession(auto_decompress=False) as session,
            session.request(
                request.method,
                self.upstream + request.raw_path,
                headers=headers,
                data=await request.read(),
            ) as answer,
        ):
            body = await answer.read()
            drop = skip | {"content-encoding", "date", "server"}
            kept = {k: v for k, v in answer.headers.items() if k.lower() not in drop}
            return web.Response(status=answer.status, body=body, headers=kept)


@pytest.fixture
async def flaky(moto_url, aiohttp_server) -> tuple[FlakyS3, str]:
    proxy = FlakyS3(moto_url)
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", proxy.handle)
    server = await aiohttp_server(app)
    return proxy, str(server.make_url("")).rstrip("/")


async def s3_client(aiohttp_client, settings, clock, city, bucket: str, endpoint: str):
    s3_settings = replace(
        settings,
        photo_store="s3",
        s3_bucket=bucket,
        s3_endpoint_url=endpoint,
        s3_max_attempts=1,  # no back-off in a test; an outage is an outage
        **KEYS,
    )
    return await aiohttp_client(create_app(s3_settings, clock=clock, city=city))


async def file_with_photo(client, image: bytes, *, rahasia: bool = False):
    fields = {"text": VALID["text"], "category": "jalan", "rahasia": str(rahasia).lower()}
    return await client.post("/api/v1/complaints", data=form(fields, [("a.png", image)]))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# ------------------------------------------------------------------------------- the store


async def test_a_photo_is_stored_once_read_back_with_its_copies_and_discarded(store, objects):
    photo = await accept_photo(png_bytes(seed=11))

    assert await store.put(photo) is True
    assert await store.put(photo) is False  # content-addressed: the second put writes nothing
    assert await store.get(photo.sha256, photo.media_type) == photo.data
    assert await store.get(photo.sha256, photo.media_type, "thumb") == photo.variants["thumb"]
    prefix = f"photos/{photo.sha256[:2]}/{photo.sha256[2:4]}/{photo.sha256}"
    assert objects() == sorted(f"{prefix}{end}" for end in (".png", ".display.jpg", ".thumb.jpg"))

    await store.discard(photo)
    assert objects() == []
    with pytest.raises(FileNotFoundError):  # what the file store raises for a missing file
        await store.get(photo.sha256, photo.media_type)


async def test_a_photo_that_fails_halfway_leaves_no_object(bucket, flaky, objects):
    """One photo's copies are written, its original refused: the copies are removed again. Of
    two photos, the first written and the second refused: the first is removed too."""
    proxy, endpoint = flaky
    store = S3PhotoStore(bucket, endpoint_url=endpoint, max_attempts=1, **_keys())
    await store.open()
    try:
        first, second = [await accept_photo(png_bytes(seed=seed)) for seed in (12, 13)]
        proxy.refuse = lambda r: r.method == "PUT" and r.path.endswith(f"{second.sha256}.png")
        with pytest.raises(StorageUnavailable) as refused:
            await store_photos(store, [first, second])
        assert refused.value.status == 503
        assert objects() == []
        assert len(proxy.refused) == 1  # LAPOR_S3_MAX_ATTEMPTS=1: the first try, no retry
    finally:
        await store.close()


async def test_discarding_while_the_store_is_down_keeps_the_requests_own_error(bucket, flaky):
    proxy, endpoint = flaky
    photo = await accept_photo(png_bytes(seed=14))
    down = S3PhotoStore(bucket, endpoint_url=endpoint, max_attempts=1, **_keys())
    await down.open()
    try:
        proxy.refuse = lambda request: True
        await discard_photos(down, [photo])  # logged, not raised over the request's own error
    finally:
        await down.close()


# ------------------------------------------------------------------------------- the API


async def test_a_photo_filed_over_the_api_is_kept_in_the_bucket_and_served_by_lapor(
    aiohttp_client, settings, clock, city, moto_url, bucket, objects
):
    client = await s3_client(aiohttp_client, settings, clock, city, bucket, moto_url)
    response = await file_with_photo(client, png_bytes(seed=21))
    assert response.status == 201, await response.text()
    filed = await response.json()

    url = f"/api/v1/complaints/{filed['tracking_code']}/photos/1"
    served = await client.get(url, headers=bearer(filed["access_token"]))
    assert (served.status, await served.read()) == (200, cleaned(png_bytes(seed=21)))
    assert served.headers["Content-Type"] == "image/png"
    thumb = await client.get(f"{url}?size=thumb", headers=bearer(filed["access_token"]))
    assert (thumb.status, thumb.headers["Content-Type"]) == (200, "image/jpeg")
    assert len(objects()) == 3  # original, display, thumb
    assert not (settings.data_dir / "photos").exists()  # nothing on the local disk


async def test_a_rahasia_photo_in_the_bucket_is_refused_to_the_public_as_the_file_stores_is(
    aiohttp_client, client, accounts, settings, clock, city, moto_url, bucket, objects, outside
):
    on_s3 = await s3_client(aiohttp_client, settings, clock, city, bucket, moto_url)
    answers = []
    for app in (on_s3, client):  # the S3 store, then the file store
        filed = await (await file_with_photo(app, png_bytes(seed=22), rahasia=True)).json()
        url = f"/api/v1/complaints/{filed['tracking_code']}/photos/1"
        public = await app.get(url)
        answers.append((public.status, public.headers["Content-Type"], await public.json()))
        officer = await app.get(url, headers=accounts["dpupr"].headers)
        assert (officer.status, await officer.read()) == (200, cleaned(png_bytes(seed=22)))
        reporter = await app.get(url, headers=bearer(filed["access_token"]))
        assert reporter.status == 200

    assert answers[0] == answers[1]
    status, content_type, _ = answers[0]
    assert (status, content_type.split(";")[0]) == (404, "application/problem+json")
    # Nothing in the bucket is readable by anyone but its owner: lapor writes no public ACL.
    for key in objects():
        grants = outside.get_object_acl(Bucket=bucket, Key=key)["Grants"]
        assert [g["Grantee"].get("URI") for g in grants if "URI" in g["Grantee"]] == []


async def test_an_outage_during_filing_answers_503_and_leaves_no_complaint_and_no_object(
    aiohttp_client, settings, clock, city, bucket, flaky, objects
):
    proxy, endpoint = flaky
    client = await s3_client(aiohttp_client, settings, clock, city, bucket, endpoint)
    proxy.refuse = lambda request: request.method == "PUT"  # up for reads, down for writes

    response = await file_with_photo(client, png_bytes(seed=23))

    assert response.status == 503
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.headers["Retry-After"] == "30"  # as any error carrying retry_after
    problem = await response.json()
    assert problem["type"] == "/problems/storage-unavailable"
    assert problem["retry_after"] == 30
    assert "photo storage" in problem["detail"] or "Penyimpanan foto" in problem["detail"]
    from lapor.web.keys import SERVICES

    services = client.app[SERVICES]
    assert (await row_counts(services))["complaint"] == 0
    assert (await row_counts(services))["complaint_photo"] == 0
    assert objects() == []


async def test_a_store_on_a_closed_port_answers_503_and_files_nothing(
    aiohttp_client, settings, clock, city, bucket
):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    client = await s3_client(aiohttp_client, settings, clock, city, bucket, closed)

    response = await file_with_photo(client, png_bytes(seed=24))

    assert response.status == 503
    from lapor.web.keys import SERVICES

    assert (await row_counts(client.app[SERVICES]))["complaint"] == 0


async def test_a_chat_photo_while_the_bucket_is_down_is_asked_for_again(
    services, bucket, flaky, objects
):
    proxy, endpoint = flaky
    down = S3PhotoStore(bucket, endpoint_url=endpoint, max_attempts=1, **_keys())
    await down.open()
    try:
        proxy.refuse = lambda request: True
        media = RecordingMedia({"photo-1": png_bytes(seed=25)})
        citizen = Citizen(Engine(replace(services, photos=down), {"telegram": media}))
        await citizen.says(DESCRIPTION)
        await citizen.sends_photo("photo-1")
    finally:
        await down.close()

    assert (await bot_replies(services))[1]["text"].startswith(id_text("photo_fetch_failed"))
    assert (await conversation(services))["draft"]["photos"] == []
    assert objects() == []


# ------------------------------------------------------------------------------- settings


def env(**variables: str) -> dict[str, str]:
    return {"LAPOR_SECRET_KEY": "s3-test-secret-0123456789", **variables}


def test_the_s3_store_takes_the_standard_aws_keys_and_keeps_the_secret_out_of_repr():
    settings = settings_from_env(
        env(
            LAPOR_PHOTO_STORE="s3",
            LAPOR_S3_BUCKET="lapor-photos",
            LAPOR_S3_ENDPOINT_URL="http://127.0.0.1:9000/",
            AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
            AWS_SECRET_ACCESS_KEY="very-secret-value",
        )
    )
    assert (settings.photo_store, settings.s3_bucket) == ("s3", "lapor-photos")
    assert settings.s3_endpoint_url == "http://127.0.0.1:9000"
    assert settings.s3_access_key_id == "AKIAEXAMPLE"
    assert "very-secret-value" not in repr(settings)


def test_lapors_own_s3_keys_win_over_the_aws_ones_as_a_pair():
    settings = settings_from_env(
        env(
            LAPOR_PHOTO_STORE="s3",
            LAPOR_S3_BUCKET="lapor-photos",
            LAPOR_S3_ACCESS_KEY_ID="own-id",
            LAPOR_S3_SECRET_ACCESS_KEY="own-secret",
            AWS_ACCESS_KEY_ID="aws-id",
            AWS_SECRET_ACCESS_KEY="aws-secret",
        )
    )
    assert (settings.s3_access_key_id, settings.s3_secret_access_key) == ("own-id", "own-secret")


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"LAPOR_PHOTO_STORE": "s3"}, "LAPOR_S3_BUCKET must be set"),
        ({"LAPOR_S3_BUCKET": "lapor-photos"}, "LAPOR_PHOTO_STORE is file"),
        ({"LAPOR_PHOTO_STORE": "disk"}, "LAPOR_PHOTO_STORE must be file or s3"),
        ({"LAPOR_PHOTO_STORE": "s3", "LAPOR_S3_BUCKET": "Lapor_Photos"}, "LAPOR_S3_BUCKET must"),
        (
            {"LAPOR_PHOTO_STORE": "s3", "LAPOR_S3_BUCKET": "b12", "LAPOR_S3_ENDPOINT_URL": "minio"},
            "LAPOR_S3_ENDPOINT_URL",
        ),
        (
            {"LAPOR_PHOTO_STORE": "s3", "LAPOR_S3_BUCKET": "b12", "LAPOR_S3_ACCESS_KEY_ID": "id"},
            "secret access key",
        ),
        (
            {"LAPOR_PHOTO_STORE": "s3", "LAPOR_S3_BUCKET": "b12", "AWS_SECRET_ACCESS_KEY": "s"},
            "secret access key",
        ),
    ],
)
def test_a_photo_store_that_could_not_work_is_refused_at_startup_naming_the_variable(
    variables, named
):
    with pytest.raises(SettingsError, match=named):
        settings_from_env(env(**variables))
