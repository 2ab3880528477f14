"""Photos are re-encoded, never passed through: what the store keeps and the routes serve has
no metadata, stands upright, and exists only for bytes that decode within the limits."""

from __future__ import annotations

import hashlib
import io

import pytest
from helpers import VALID, form, row_counts
from photo_samples import (
    BLUE,
    RED,
    SCRIPT_AS_JPEG,
    carries_metadata,
    gradient_jpeg,
    jpeg_segments,
    jpeg_with_gps_and_serial,
    png_bomb,
    png_chunk_types,
    png_with_text_chunks,
    rotated_jpeg,
)
from PIL import ExifTags, Image, ImageCms

from lapor.errors import PayloadTooLarge
from lapor.photos import (
    MAX_PIXELS,
    Photo,
    TooManyPixels,
    UnreadablePhoto,
    clean_photo,
)

# -- through the API ---------------------------------------------------------------------------


@pytest.fixture
def client(immediate_client):
    """A city that publishes at intake: photos are served to anyone only once published, and
    these tests are about what is served, not when."""
    return immediate_client


async def upload(client, *photos: bytes, rahasia: bool = False):
    fields = {"text": VALID["text"], "category": "jalan", "rahasia": str(rahasia).lower()}
    named = [(f"foto{n}.jpg", data) for n, data in enumerate(photos, start=1)]
    return await client.post("/api/v1/complaints", data=form(fields, named))


async def served_photo(client, code: str, position: int = 1, size: str | None = None):
    query = f"?size={size}" if size else ""
    response = await client.get(f"/api/v1/complaints/{code}/photos/{position}{query}")
    assert response.status == 200, await response.text()
    return response, await response.read()


def stored_files(settings) -> list:
    root = settings.data_dir / "photos"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def photo_row(services, code: str):
    async with services.pool.acquire() as conn:
        return await conn.fetchrow(
            "SELECT p.sha256, p.media_type, p.size_bytes FROM complaint_photo p "
            "JOIN complaint c ON c.id = p.complaint_id WHERE c.tracking_code = $1",
            code,
        )


async def test_a_jpeg_is_served_without_its_gps_camera_serial_comment_or_xmp(
    client, services, settings
):
    sent = jpeg_with_gps_and_serial()
    assert {"GPS", "camera serial", "comment", "XMP"} <= set(carries_metadata(sent))

    response = await upload(client, sent)
    assert response.status == 201, await response.text()
    code = (await response.json())["tracking_code"]
    served, data = await served_photo(client, code)

    assert carries_metadata(data) == []
    assert jpeg_segments(data)[0] == "APP0"  # JFIF only; no APP1 (EXIF, XMP), no COM
    assert not {"APP1", "APP2", "COM"} & set(jpeg_segments(data))
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(data)).size == (64, 48)
    # The row's hash and size are the cleaned bytes', and the store holds exactly them.
    row = await photo_row(services, code)
    assert row["sha256"] == hashlib.sha256(data).hexdigest() != hashlib.sha256(sent).hexdigest()
    assert (row["media_type"], row["size_bytes"]) == ("image/jpeg", len(data))
    files = {p.name.removeprefix(row["sha256"]): p.read_bytes() for p in stored_files(settings)}
    assert sorted(files) == [".display.jpg", ".jpg", ".thumb.jpg"]
    assert files[".jpg"] == data


async def test_a_png_is_served_without_its_text_or_exif_chunks(client):
    sent = png_with_text_chunks()
    assert {"tEXt", "zTXt", "iTXt", "eXIf"} <= set(png_chunk_types(sent))

    response = await upload(client, sent)
    code = (await response.json())["tracking_code"]
    served, data = await served_photo(client, code)

    assert served.headers["Content-Type"] == "image/png"
    assert set(png_chunk_types(data)) <= {"IHDR", "IDAT", "IEND"}
    assert carries_metadata(data) == []
    assert Image.open(io.BytesIO(data)).getpixel((5, 5)) == (90, 160, 60)


async def test_an_exif_rotated_jpeg_is_stored_upright(client):
    response = await upload(client, rotated_jpeg())
    code = (await response.json())["tracking_code"]
    _, data = await served_photo(client, code)

    image = Image.open(io.BytesIO(data))
    assert image.size == (40, 60)
    assert "exif" not in image.info and not image.getexif()  # no Orientation left to apply twice
    assert near(image.getpixel((20, 10)), RED) and near(image.getpixel((20, 50)), BLUE)


def near(pixel: tuple[int, ...], colour: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


@pytest.mark.parametrize(
    ("sent", "status", "says"),
    [
        (lambda: SCRIPT_AS_JPEG, 422, "tidak dapat dibaca"),
        (lambda: png_bomb(20_000, 20_000), 422, "40 megapiksel"),  # past Pillow's limit too
        (lambda: png_bomb(8_000, 6_000), 422, "40 megapiksel"),  # 48 MP: lapor's limit only
    ],
    ids=["jpeg-prefixed-script", "bomb-400-mp", "bomb-48-mp"],
)
async def test_a_refused_photo_is_named_in_a_problem_and_leaves_no_file_and_no_row(
    client, services, settings, sent, status, says
):
    response = await upload(client, jpeg_with_gps_and_serial(), sent())

    assert response.status == status
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = await response.json()
    assert [e["field"] for e in problem["errors"]] == ["photos"]
    assert says in problem["errors"][0]["message"]
    # Not even the good photo beside it: the complaint was not filed.
    assert set((await row_counts(services)).values()) == {0}
    assert stored_files(settings) == []


async def test_a_refused_proof_photo_is_named_photo_and_the_complaint_stays_open(
    client, services, settings, accounts
):
    code = (await (await client.post("/api/v1/complaints", json=VALID)).json())["tracking_code"]
    proof = form({"action": "resolve", "note": "Sudah ditambal."})
    proof.add_field("photo", SCRIPT_AS_JPEG, filename="bukti.jpg", content_type="image/jpeg")

    response = await client.post(
        f"/api/v1/complaints/{code}/actions", data=proof, headers=accounts["dpupr"].headers
    )

    assert response.status == 422
    assert [e["field"] for e in (await response.json())["errors"]] == ["photo"]
    view = await (await client.get(f"/api/v1/complaints/{code}")).json()
    assert (view["status"], view["photos"]) == ("assigned", [])
    assert stored_files(settings) == []


async def test_a_photo_comes_in_a_display_size_and_a_thumbnail_as_jpeg(client):
    response = await upload(client, gradient_jpeg(2000, 1500))
    code = (await response.json())["tracking_code"]
    view = await (await client.get(f"/api/v1/complaints/{code}")).json()
    (link,) = view["photos"]
    assert link["thumb_url"] == f"/api/v1/complaints/{code}/photos/1?size=thumb"

    sizes = {}
    for size in ("original", "display", "thumb"):
        served, data = await served_photo(client, code, size=size)
        assert served.headers["Content-Type"] == "image/jpeg"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert carries_metadata(data) == []
        sizes[size] = Image.open(io.BytesIO(data)).size
    assert sizes == {"original": (2000, 1500), "display": (1600, 1200), "thumb": (320, 240)}


async def test_a_small_png_keeps_its_size_and_its_copies_are_jpeg(client):
    response = await upload(client, png_with_text_chunks())  # 40x30: nothing to shrink
    code = (await response.json())["tracking_code"]
    served, data = await served_photo(client, code, size="thumb")
    assert served.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(data)).size == (40, 30)


async def test_an_unknown_size_is_refused_naming_the_parameter(client):
    code = (await (await upload(client, rotated_jpeg())).json())["tracking_code"]
    response = await client.get(f"/api/v1/complaints/{code}/photos/1?size=poster")
    assert response.status == 422
    assert (await response.json())["errors"][0]["field"] == "size"


async def test_a_photo_stored_before_photos_were_cleaned_is_still_served(
    client, services, settings
):
    """Rows and files from before: served as they are, their copies made on first request."""
    code = (await (await client.post("/api/v1/complaints", json=VALID)).json())["tracking_code"]
    old = jpeg_with_gps_and_serial(800, 600)
    never_decoded = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40  # sniffed, never decoded
    async with services.pool.acquire() as conn:
        complaint_id = await conn.fetchval(
            "SELECT id FROM complaint WHERE tracking_code = $1", code
        )
        for position, data in enumerate((old, never_decoded), start=1):
            digest = hashlib.sha256(data).hexdigest()
            await services.photos.put(Photo(data, "image/jpeg", digest))
            await conn.execute(
                "INSERT INTO complaint_photo (complaint_id, position, sha256, media_type,"
                " size_bytes) VALUES ($1, $2, $3, 'image/jpeg', $4)",
                complaint_id,
                position,
                digest,
                len(data),
            )

    assert (await served_photo(client, code, 1))[1] == old
    _, thumb = await served_photo(client, code, 1, size="thumb")
    assert Image.open(io.BytesIO(thumb)).size == (320, 240)
    assert carries_metadata(thumb) == []
    assert any(p.name.endswith(".thumb.jpg") for p in stored_files(settings))  # kept
    assert (await served_photo(client, code, 2, size="thumb"))[1] == never_decoded


# -- the cleaning itself -------------------------------------------------------------------------


def test_the_pixel_limit_is_checked_before_decoding():
    bomb = png_bomb(8_000, 6_000)
    assert MAX_PIXELS < 8_000 * 6_000 and len(bomb) < 100_000
    with pytest.raises(TooManyPixels) as refused:
        clean_photo(bomb, field="photo")
    assert isinstance(refused.value, PayloadTooLarge)
    assert refused.value.errors[0].field == "photo"


def test_a_truncated_jpeg_is_unreadable():
    whole = gradient_jpeg(200, 100)
    with pytest.raises(UnreadablePhoto):
        clean_photo(whole[: len(whole) // 2])


def test_a_webp_stays_webp_without_exif_or_xmp():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KameraKu"
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 200, 10)).save(
        out, "WEBP", exif=exif, xmp=b"<x:xmpmeta>GPS</x:xmpmeta>"
    )
    sent = out.getvalue()
    assert b"KameraKu" in sent and b"xmpmeta" in sent

    photo = clean_photo(sent)

    assert photo.media_type == "image/webp" and photo.data.startswith(b"RIFF")
    assert b"EXIF" not in photo.data and b"XMP " not in photo.data
    assert carries_metadata(photo.data) == []


def test_an_animation_keeps_only_its_first_frame():
    frames = [Image.new("RGB", (16, 16), colour) for colour in (RED, BLUE, BLUE)]
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert "acTL" in png_chunk_types(out.getvalue())

    photo = clean_photo(out.getvalue())

    assert set(png_chunk_types(photo.data)) <= {"IHDR", "IDAT", "IEND"}
    assert near(Image.open(io.BytesIO(photo.data)).getpixel((8, 8)), RED, tolerance=0)


def test_a_colour_profile_is_dropped_after_converting_to_srgb():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 100, 50)).save(out, "JPEG", icc_profile=srgb)
    assert "APP2" in jpeg_segments(out.getvalue())

    photo = clean_photo(out.getvalue())

    assert "APP2" not in jpeg_segments(photo.data)
    assert "icc_profile" not in Image.open(io.BytesIO(photo.data)).info


def test_a_transparent_png_keeps_its_transparency_and_its_copies_are_on_white():
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (255, 0, 0, 0)).save(out, "PNG")

    photo = clean_photo(out.getvalue())

    assert Image.open(io.BytesIO(photo.data)).getpixel((5, 5))[3] == 0
    thumb = Image.open(io.BytesIO(photo.variants["thumb"]))
    assert thumb.format == "JPEG" and near(thumb.getpixel((5, 5)), (255, 255, 255), 3)


def test_the_same_photo_cleans_to_the_same_bytes():
    assert clean_photo(rotated_jpeg()) == clean_photo(rotated_jpeg())
