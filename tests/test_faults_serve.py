"""Fault injection, `yusuan serve`: a web page in the user's browser must not be able to drive it.

Starts the real server on a free loopback port and talks to it as a hostile page would (another
Origin, no token, a rebound Host name) and as its own page does (same Origin, the printed token).
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import aiohttp
import pytest

from tests.conftest import ROOT, SEEDS

URL = re.compile(r"(http://127\.0\.0\.1:\d+)/\?token=([\w-]+)")


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, str]]:
    """`yusuan serve SEEDS --port P`: its base URL and token, read from the line it prints."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", str(SEEDS), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 30
        lines = []
        while time.monotonic() < deadline and proc.stderr is not None:
            line = proc.stderr.readline()
            lines.append(line)
            if m := URL.search(line):
                break
        else:
            pytest.fail(f"no URL printed: {lines}")
        _wait_listening(port)
        yield m.group(1), m.group(2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stderr is not None:
            proc.stderr.close()


def _wait_listening(port: int) -> None:
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)


async def _status(url: str, **headers: str) -> int:
    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as response:
        return response.status


async def _ws(url: str, **headers: str) -> bytes | int:
    """The first bytes the app sends over the websocket, or the HTTP status that refused it."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers, timeout=aiohttp.ClientWSTimeout(ws_close=5)) as ws:
                await ws.send_json(["resize", {"width": 80, "height": 24}])
                async with asyncio.timeout(60):
                    async for message in ws:
                        if message.type == aiohttp.WSMsgType.BINARY:
                            return message.data
                return b""
        except aiohttp.WSServerHandshakeError as e:
            return e.status


def test_prints_a_loopback_url_with_a_token(server):
    """The printed URL is on 127.0.0.1 and carries a token of at least 128 bits."""
    base, token = server
    assert base.startswith("http://127.0.0.1:") and len(token) >= 22


async def test_page_without_token_is_refused(server):
    """GET / without the token: 403."""
    base, _ = server
    assert await _status(f"{base}/") == 403
    assert await _status(f"{base}/?token=wrong") == 403


async def test_page_from_a_foreign_origin_or_host_is_refused(server):
    """With the token but another site's Origin, or a Host that is not this server's: 403."""
    base, token = server
    assert await _status(f"{base}/?token={token}", Origin="http://evil.example") == 403
    assert await _status(f"{base}/?token={token}", Host="evil.example:80") == 403


async def test_page_with_token_loads_no_outside_font(server):
    """The page opens with the token and fetches nothing from another site (no Google Fonts)."""
    base, token = server
    async with aiohttp.ClientSession() as session, session.get(f"{base}/?token={token}") as response:
        page = await response.text()
        assert response.status == 200
    assert "googleapis" not in page and "fonts/RobotoMono" in page
    assert not re.search(r"(?:src|href)=\"https?://(?!127\.0\.0\.1)", page)


async def test_websocket_from_a_foreign_origin_is_refused(server):
    """A page of another site opening the websocket, even with the token: refused with 403."""
    base, token = server
    ws = base.replace("http:", "ws:")
    assert await _ws(f"{ws}/ws?token={token}", Origin="http://evil.example") == 403


async def test_websocket_without_token_is_refused(server):
    """The server's own Origin but no token: refused with 403."""
    base, _ = server
    assert await _ws(f"{base.replace('http:', 'ws:')}/ws", Origin=base) == 403


async def test_websocket_with_origin_and_token_runs_the_app(server):
    """Own Origin and the token: the app starts and sends the terminal's first bytes."""
    base, token = server
    first = await _ws(f"{base.replace('http:', 'ws:')}/ws?token={token}", Origin=base)
    assert isinstance(first, bytes) and len(first) > 0
