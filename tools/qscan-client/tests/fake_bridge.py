"""A scripted HTTP server standing in for the bridge, for what a real one will not do on cue
(answer 503 then 429 then 200, drop a connection, never answer). It records every request."""

from __future__ import annotations

import asyncio
import json
import socket
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

DROP = "drop"      # close the connection without an answer
HANG = "hang"      # never answer


@dataclass
class Step:
    """One scripted answer: a status with headers and a JSON body, DROP or HANG."""

    status: int | str
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    """One request as the fake bridge received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class FakeBridge:
    """Answers each request with the next step of `script` (the last step repeats)."""

    def __init__(self, script: list[Step]) -> None:
        self.script = script
        self.seen: list[Seen] = []
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> "FakeBridge":
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock, shutdown_timeout=1.0).start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(Seen(request.method, request.path, dict(request.headers),
                              await request.read()))
        step = self.script[min(len(self.seen), len(self.script)) - 1]
        if step.status == DROP:
            assert request.transport is not None
            request.transport.abort()
            return web.Response(status=500)
        if step.status == HANG:
            await self._release.wait()
        return web.Response(status=int(step.status) if step.status != HANG else 500,
                            text=json.dumps(step.body), headers=step.headers,
                            content_type="application/json")


def error_step(status: int, code: str, retry_after: int | None = None) -> Step:
    """An error answer of the bridge's shape."""
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return Step(status, {"error": {"code": code, "message": code, "details": []}}, headers)
