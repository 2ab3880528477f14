"""A graceful stop (lapor.cli.serve.serve_until_stopped, on a real port): no new connections,
the requests in flight finish (a body still arriving is read to its end), then the server
returns at once, not after its shutdown timeout. Told to stop through its `stop` event here;
tests/test_serve.py sends real signals to a real process."""

from __future__ import annotations

import asyncio
import json
import socket
from dataclasses import replace

from helpers import VALID, jpeg_bytes

from lapor.cli.serve import serve_until_stopped
from lapor.web.app import create_app

BOUNDARY = "lapor-boundary"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def multipart_upload(fields: dict[str, str], photo: bytes) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


async def connects(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:  # refused, or reset while it waited in the closing listener's backlog
        return False
    writer.close()
    await writer.wait_closed()
    return True


async def until(condition, seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.02)):
        if await condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"not within {seconds} s")


async def test_a_stop_reads_an_upload_still_arriving_files_it_and_returns_at_once(
    settings, clock, city
):
    settings = replace(settings, port=free_port(), shutdown_timeout=60)
    app = create_app(settings, clock=clock, city=city)
    stop = asyncio.Event()
    announced: list[str] = []
    server = asyncio.create_task(serve_until_stopped(app, settings, announced.append, stop))
    try:
        await until(lambda: connects(settings.port))
        fields = {"text": VALID["text"], "category": "jalan", "lat": "-6.2", "lon": "106.9"}
        body = multipart_upload(fields, jpeg_bytes(400, 300))
        half = len(body) // 2
        reader, writer = await asyncio.open_connection("127.0.0.1", settings.port)
        writer.write(
            b"POST /api/v1/complaints HTTP/1.1\r\nHost: lapor.test\r\n"
            + f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n".encode()
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[:half]
        )
        await writer.drain()
        # Given half an upload arrived, when the server is told to stop
        stop.set()
        # Then it takes no new connection, yet keeps waiting for the rest of the body
        await until(lambda: _not(connects(settings.port)))
        assert not server.done()
        writer.write(body[half:])
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 10)  # it closes the connection after
        writer.close()
        head, _, content = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 201"), answer[:300]
        assert b"Connection: close" in head
        code = json.loads(content)["tracking_code"]
        # And it returns once that is answered, long before its 60 s
        await asyncio.wait_for(server, 10)
    finally:
        if not server.done():
            server.cancel()
            await asyncio.gather(server, return_exceptions=True)
    assert announced == [f"======== Running on http://127.0.0.1:{settings.port} ========"]
    assert not await connects(settings.port)
    await check_filed_with_its_photo(settings, code)


async def _not(awaitable) -> bool:
    return not await awaitable


async def check_filed_with_its_photo(settings, code: str) -> None:
    from lapor.db import connect

    async with connect(settings.database_url) as conn:
        photos = await conn.fetchval(
            "SELECT count(*) FROM complaint_photo p JOIN complaint c ON c.id = p.complaint_id "
            "WHERE c.tracking_code = $1",
            code,
        )
    assert photos == 1


async def test_a_request_that_outlives_the_timeout_is_cut_and_the_server_returns(
    settings, clock, city
):
    """An upload that stops arriving is not waited for past the shutdown timeout."""
    settings = replace(settings, port=free_port(), shutdown_timeout=0.5)
    app = create_app(settings, clock=clock, city=city)
    stop = asyncio.Event()
    server = asyncio.create_task(serve_until_stopped(app, settings, lambda _: None, stop))
    try:
        await until(lambda: connects(settings.port))
        reader, writer = await asyncio.open_connection("127.0.0.1", settings.port)
        writer.write(
            b"POST /api/v1/complaints HTTP/1.1\r\nHost: lapor.test\r\n"
            + f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n".encode()
            + b"Content-Length: 100000\r\n\r\n"
            + f"--{BOUNDARY}\r\n".encode()
        )
        await writer.drain()
        await asyncio.sleep(0.1)  # let the handler start reading
        stop.set()
        await asyncio.wait_for(server, 10)
        assert await asyncio.wait_for(reader.read(), 5) == b""  # cut, without an answer
        writer.close()
    finally:
        if not server.done():
            server.cancel()
            await asyncio.gather(server, return_exceptions=True)
