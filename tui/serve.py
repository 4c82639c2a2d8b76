"""``yusuan serve``: the same app in a browser on this machine, through textual-serve.

Each browser tab gets its own app process, started as ``python -m tui PATH...``, so the served
app is exactly the terminal one (exports reach the browser as downloads via App.deliver_*).

A web page open in the same browser must not be able to drive it (read a filing, press keys,
export over a file): textual-serve accepts a websocket from any Origin, so ``GuardedServer``
wraps it, as Jupyter does — it binds 127.0.0.1 unless told otherwise, prints a URL carrying a
random per-run token (the page sets it as a SameSite cookie for its websocket), refuses any
request whose Host is not this server's (DNS rebinding) or whose Origin is another site's, and
any page or websocket without the token. The page's web font is served from textual-serve's own
static folder instead of Google Fonts, so an office without internet gets the same page.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import shlex
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import jinja2
from aiohttp import web
from textual_serve.server import Server

from tui.sanitise import sanitise

COOKIE = "yusuan_token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_GOOGLE_FONTS = """<link
      rel="stylesheet"
      href="https://fonts.googleapis.com/css?family=Roboto%20Mono"
    />"""
_LOCAL_FONT = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
      }
    </style>"""
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def command(paths: Sequence[Path | str] | None) -> str:
    """The shell command textual-serve runs for each browser session."""
    args = [sys.executable, "-m", "tui", *(str(Path(p).resolve()) for p in paths or ())]
    return " ".join(shlex.quote(a) for a in args)


class _LocalFonts(jinja2.FileSystemLoader):
    """textual-serve's own page template, with its one external link swapped for a local font."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        return source.replace(_GOOGLE_FONTS, _LOCAL_FONT), filename, uptodate


class GuardedServer(Server):
    """textual-serve's Server, answering only this machine's pages that carry the run's token."""

    def __init__(self, command: str, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
        super().__init__(command, host=host, port=port, title="yusuan 预算")
        self.token = token or secrets.token_urlsafe(24)
        # Bound to loopback, only loopback names may be asked for (a rebound DNS name may not);
        # bound elsewhere on purpose, any name reaches it, and the token is what guards it.
        names = {f"[{n}]" if ":" in n and not n.startswith("[") else n for n in {host, *LOOPBACK_NAMES}}
        self.hosts: set[str] | None = None
        if is_loopback(host):
            self.hosts = {f"{n}:{port}" for n in names} | (names if port == 80 else set())

    @property
    def url(self) -> str:
        """The address to open: the server's own, with the token."""
        return f"{self.public_url}/?token={self.token}"

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        import aiohttp_jinja2

        aiohttp_jinja2.setup(app, loader=_LocalFonts(self.templates_path))
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a foreign Host or Origin on every request; the page and its websocket also
        need the token (in the URL, or the cookie the page set)."""
        if self.hosts is not None and request.host not in self.hosts:
            raise web.HTTPForbidden(text="yusuan: 拒绝：Host 不是本服务器")
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"http://{request.host}":
            raise web.HTTPForbidden(text="yusuan: 拒绝：请求来自其他网站")
        if request.path in ("/", "/ws") and not self._has_token(request):
            raise web.HTTPForbidden(text="yusuan: 拒绝：缺少或错误的令牌（请使用 yusuan serve 打印的网址）")
        response = await handler(request)
        if request.path == "/" and request.query.get("token"):
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
        return response

    def _has_token(self, request: web.Request) -> bool:
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, its websocket and static files on the Host the browser used (so the cookie
        travels with the websocket whether it opened 127.0.0.1 or localhost)."""
        response = await super().handle_index(request)
        if isinstance(response, web.Response) and response.text is not None:
            ours = "//" + self.public_url.split("//", 1)[1]
            response.text = response.text.replace(ours, f"//{request.host}")
        return response

    async def on_startup(self, app: web.Application) -> None:
        where = "仅本机可访问" if is_loopback(self.host) else f"注意：{self.host} 上其他机器也可连接，请妥善保管令牌"
        print(f"yusuan: 网页浏览器已启动：{self.url}", file=sys.stderr, flush=True)
        print(f"yusuan: 监听 {sanitise(self.host)}:{self.port}（{where}）；Ctrl+C 停止", file=sys.stderr, flush=True)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(paths: Sequence[Path | str] | None, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the browser at http://host:port/?token=… until interrupted."""
    GuardedServer(command(paths), host=host, port=port).serve()
