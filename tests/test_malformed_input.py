"""Every malformed input is a 4xx problem+json naming the field, and writes nothing: no
complaint or photo row, no file under the data directory. (Each of these once answered 500,
and one left its photo on disk with no row.)"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from helpers import VALID, jpeg_bytes, row_counts

from lapor.web.keys import SETTINGS

TEXT = VALID["text"]
QUOTED = json.dumps(TEXT)
BIG = "9" * 5000  # past Python's 4300-digit limit on int()
BEYOND_INT64 = str(2**64)


def cursor(payload: str) -> str:
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def multipart(
    fields: list[tuple[str, bytes]], photo: bool = False, name: str = "photos"
) -> aiohttp.FormData:
    data = aiohttp.FormData()
    for key, raw in fields:
        data.add_field(key, io.BytesIO(raw), content_type="text/plain")
    if photo:
        data.add_field(name, io.BytesIO(jpeg_bytes()), filename="a.jpg", content_type="image/jpeg")
    return data


@dataclass
class Bad:
    name: str
    method: str
    path: str
    field: str
    json: Any = None
    body: bytes | None = None
    form: Any = None  # a callable giving aiohttp.FormData (one use each)
    headers: dict[str, str] = field(default_factory=dict)
    officer: bool = False

    def __str__(self) -> str:
        return self.name


POST = "/api/v1/complaints"
ACTIONS = "/api/v1/complaints/{code}/actions"
COPY = "/api/v1/complaints/{code}/public-copy"
RAW_JSON = {"Content-Type": "application/json"}

CASES = [
    # -- strings no column can hold
    Bad("nul in text", "post", POST, "text", json={**VALID, "text": TEXT + "\x00"}),
    Bad(
        "nul in a nested field",
        "post",
        POST,
        "location.address",
        json={**VALID, "location": {**VALID["location"], "address": "Jl. A\x00"}},
    ),
    Bad("nul in a key", "post", POST, "body", json={**VALID, "te\x00xt": "x"}),
    Bad(
        "lone surrogate in text",
        "post",
        POST,
        "text",
        body=b'{"text": "Jalan rusak parah sekali \\ud800 di sini"}',
        headers=RAW_JSON,
    ),
    Bad(
        "lone surrogate in reporter name",
        "post",
        POST,
        "reporter.name",
        body=('{"text": ' + QUOTED + ', "reporter": {"name": "\\udfff"}}').encode(),
        headers=RAW_JSON,
    ),
    Bad(
        "nul in an action note",
        "post",
        ACTIONS,
        "note",
        json={"action": "verify", "note": "a\x00b"},
        officer=True,
    ),
    Bad(
        "surrogate in an internal note",
        "post",
        ACTIONS,
        "internal_note",
        body=b'{"action": "verify", "internal_note": "\\ud83d"}',
        headers=RAW_JSON,
        officer=True,
    ),
    Bad(
        "nul in a public copy",
        "put",
        COPY,
        "text",
        json={"text": "a\x00", "reason": "r"},
        officer=True,
    ),
    # -- JSON that is not a document the service can read
    Bad(
        "json nested 100000 deep",
        "post",
        POST,
        "body",
        body=b"[" * 100_000 + b"]" * 100_000,
        headers=RAW_JSON,
    ),
    Bad(
        "action json nested 100000 deep",
        "post",
        ACTIONS,
        "body",
        body=b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        headers=RAW_JSON,
        officer=True,
    ),
    Bad(
        "integer of 5000 digits",
        "post",
        POST,
        "body",
        body=('{"text": ' + QUOTED + ', "location": {"lat": ' + BIG + ', "lon": 1}}').encode(),
        headers=RAW_JSON,
    ),
    Bad(
        "1e400 as a latitude",
        "post",
        POST,
        "location.lat",
        body=('{"text": ' + QUOTED + ', "location": {"lat": 1e400, "lon": 106.9}}').encode(),
        headers=RAW_JSON,
    ),
    Bad(
        "NaN as a longitude",
        "post",
        POST,
        "location.lon",
        body=('{"text": ' + QUOTED + ', "location": {"lat": -6.2, "lon": NaN}}').encode(),
        headers=RAW_JSON,
    ),
    Bad(
        "latitude beyond int64",
        "post",
        POST,
        "location.lat",
        json={**VALID, "location": {"lat": 2**70, "lon": 106.9}},
    ),
    Bad("invalid utf-8 json", "post", POST, "body", body=b'{"text": "\xff\xfe"}', headers=RAW_JSON),
    Bad("an action that is a list", "post", ACTIONS, "body", json=[1], officer=True),
    Bad("an action of 1e400", "post", ACTIONS, "action", json={"action": 1e400}, officer=True),
    # -- multipart
    Bad(
        "multipart without a boundary",
        "post",
        POST,
        "body",
        body=b"text=abc",
        headers={"Content-Type": "multipart/form-data"},
    ),
    Bad(
        "multipart cut short",
        "post",
        POST,
        "body",
        body=b'--XYZ\r\nContent-Disposition: form-data; name="text"\r\n\r\nJalan rusak',
        headers={"Content-Type": "multipart/form-data; boundary=XYZ"},
    ),
    Bad(
        "multipart garbage",
        "post",
        POST,
        "body",
        body=b"\x00\x01garbage\r\n\r\n--",
        headers={"Content-Type": "multipart/form-data; boundary=XYZ"},
    ),
    Bad(
        "multipart part header with a control character",
        "post",
        ACTIONS,
        "body",
        body=b'--XYZ\r\nContent-Disposition: form-data; name="a\x15"\r\n\r\nx\r\n--XYZ--\r\n',
        headers={"Content-Type": "multipart/form-data; boundary=XYZ"},
        officer=True,
    ),
    Bad(
        "invalid utf-8 in a form field",
        "post",
        POST,
        "text",
        form=lambda: multipart([("text", b"Jalan rusak parah \xff\xfe sekali")]),
    ),
    Bad(
        "invalid utf-8 in a form field, with a photo",
        "post",
        POST,
        "reporter_name",
        form=lambda: multipart(
            [("text", TEXT.encode()), ("reporter_name", b"Siti \xc3")], photo=True
        ),
    ),
    Bad(
        "nul in a form field, with a photo",
        "post",
        POST,
        "text",
        form=lambda: multipart([("text", TEXT.encode() + b"\x00")], photo=True),
    ),
    Bad(
        "nul in a form address, with a photo",
        "post",
        POST,
        "location.address",
        form=lambda: multipart([("text", TEXT.encode()), ("address", b"Jl.\x00")], photo=True),
    ),
    Bad(
        "NaN latitude in a form, with a photo",
        "post",
        POST,
        "location.lat",
        form=lambda: multipart(
            [("text", TEXT.encode()), ("lat", b"nan"), ("lon", b"106.9")], photo=True
        ),
    ),
    Bad(
        "nul in a proof photo's note",
        "post",
        ACTIONS,
        "note",
        form=lambda: multipart([("action", b"resolve"), ("note", b"\x00")], True, "photo"),
        officer=True,
    ),
    Bad(
        "invalid utf-8 in an action form",
        "post",
        ACTIONS,
        "action",
        form=lambda: multipart([("action", b"\xffresolve")], True, "photo"),
        officer=True,
    ),
    # -- numbers and ids in the query and the path
    Bad("limit of 1e400", "get", "/api/v1/queue?limit=1e400", "limit", officer=True),
    Bad("limit beyond int64", "get", f"/api/v1/queue?limit={BEYOND_INT64}", "limit", officer=True),
    Bad("limit of 5000 digits", "get", f"/api/v1/queue?limit={BIG}", "limit", officer=True),
    Bad(
        "cursor id of 1e400",
        "get",
        "/api/v1/queue?cursor=" + cursor('[null, "2026-11-23T02:00:00+00:00", 1e400]'),
        "cursor",
        officer=True,
    ),
    Bad(
        "cursor id beyond int64",
        "get",
        "/api/v1/queue?cursor=" + cursor(f'[null, "2026-11-23T02:00:00+00:00", {2**64}]'),
        "cursor",
        officer=True,
    ),
    Bad(
        "cursor id of 5000 digits",
        "get",
        "/api/v1/queue?cursor=" + cursor(f'[null, "2026-11-23T02:00:00+00:00", {"9" * 140}]'),
        "cursor",
        officer=True,
    ),
    Bad(
        "cursor with a nul date",
        "get",
        "/api/v1/queue?cursor=" + cursor('["\\u0000", "2026-11-23T02:00:00+00:00", 1]'),
        "cursor",
        officer=True,
    ),
    Bad("agency with a nul", "get", "/api/v1/queue?agency=%00", "agency", officer=True),
    Bad("category with a nul", "get", "/api/v1/queue?category=a%00", "category", officer=True),
    Bad(
        "before beyond int64",
        "get",
        f"/api/v1/moderation?before={BEYOND_INT64}",
        "before",
        officer=True,
    ),
    Bad("before of 1e400", "get", "/api/v1/moderation?before=1e400", "before", officer=True),
    Bad("before of 5000 digits", "get", f"/api/v1/moderation?before={BIG}", "before", officer=True),
    Bad(
        "limit of 1e400 in the log", "get", "/api/v1/moderation?limit=1e400", "limit", officer=True
    ),
    Bad(
        "photo position of 5000 digits",
        "get",
        "/api/v1/complaints/{code}/photos/" + BIG,
        "position",
    ),
    Bad(
        "photo position beyond int64",
        "get",
        "/api/v1/complaints/{code}/photos/" + BEYOND_INT64,
        "position",
    ),
    Bad("code with a nul", "get", "/api/v1/complaints/AB%00CD", "code"),
    Bad("report file with a nul", "get", "/api/v1/reports/2026-10/a%00b.pdf", "file", officer=True),
    Bad("report month of digits", "get", f"/api/v1/reports/{BIG}/a.pdf", "month", officer=True),
]


@pytest.fixture
async def filed_code(client) -> str:
    response = await client.post(POST, json=VALID)
    assert response.status == 201
    return (await response.json())["tracking_code"]


def files_under(directory) -> set[str]:
    return {str(p) for p in directory.rglob("*") if p.is_file()} if directory.exists() else set()


@pytest.mark.parametrize("case", CASES, ids=str)
async def test_malformed_input_is_a_problem_naming_the_field_and_writes_nothing(
    client, services, accounts, filed_code, case: Bad
):
    data_dir = client.app[SETTINGS].data_dir
    rows, files = await row_counts(services), files_under(data_dir)
    headers = dict(case.headers)
    if case.officer:
        headers.update(accounts["admin"].headers)
    kwargs: dict[str, Any] = {"headers": headers}
    if case.json is not None:
        kwargs["data"] = json.dumps(case.json)
        headers.setdefault("Content-Type", "application/json")
    elif case.body is not None:
        kwargs["data"] = case.body
    elif case.form is not None:
        kwargs["data"] = case.form()
    path = case.path.replace("{code}", filed_code)

    response = await client.request(case.method.upper(), path, **kwargs)

    body = await response.text()
    assert 400 <= response.status < 500, (response.status, body[:300])
    assert response.content_type == "application/problem+json", body[:300]
    problem = json.loads(body)
    assert case.field in [e["field"] for e in problem.get("errors", [])], problem
    assert await row_counts(services) == rows
    assert files_under(data_dir) == files


async def test_a_refused_proof_photo_leaves_no_file(client, services, accounts, filed_code):
    """A resolution with its photo, by an officer of another agency: refused (403) after the
    photo was read; the photo's file must not stay behind."""
    data_dir = client.app[SETTINGS].data_dir
    files = files_under(data_dir)
    sent = multipart([("action", b"resolve"), ("note", b"Sudah diperbaiki")], True, "photo")
    response = await client.post(
        ACTIONS.replace("{code}", filed_code), data=sent, headers=accounts["dlh"].headers
    )
    assert response.status in (403, 409)
    assert files_under(data_dir) == files


async def test_a_token_that_is_not_ascii_is_unauthorized_not_an_error(client, filed_code):
    response = await client.get(
        f"/api/v1/complaints/{filed_code}", headers={"Authorization": "Bearer lpo_\u00e9\u00e9"}
    )
    assert response.status == 401
    assert response.content_type == "application/problem+json"
