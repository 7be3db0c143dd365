"""A TCP proxy in front of a `qscan serve` that cuts the first call short.

The first connection's first request is forwarded to the server; then, per
`wait_for_answer`, the proxy waits for the server's answer head (so the call is
known to be stored) or not (so the call is in flight), runs `on_cut` (which
SIGKILLs and restarts the server and may point the proxy at the new port), and
drops the client's connection without an answer. Every later connection is
piped to `upstream_port` as it is then. Used on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

HOST = "127.0.0.1"
HEAD_LIMIT = 64 * 1024


class CuttingProxy:
    """See the module comment. `withheld_head` is the answer head the client never saw."""

    def __init__(self, upstream_port: int, on_cut: Callable[["CuttingProxy"], Awaitable[None]],
                 *, wait_for_answer: bool) -> None:
        self.upstream_port = upstream_port
        self.on_cut = on_cut
        self.wait_for_answer = wait_for_answer
        self.withheld_head: bytes | None = None
        self.cut_request: bytes | None = None
        self.connections = 0
        self._server: asyncio.AbstractServer | None = None

    async def __aenter__(self) -> "CuttingProxy":
        self._server = await asyncio.start_server(self._handle, HOST, 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://{HOST}:{self._server.sockets[0].getsockname()[1]}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            if self.connections == 1:
                await self._cut(reader, writer)
            else:
                await self._pipe_both(reader, writer)
        finally:
            writer.close()

    async def _cut(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await _read_request(reader)
        self.cut_request = request
        up_reader, up_writer = await asyncio.open_connection(HOST, self.upstream_port)
        up_writer.write(request)
        await up_writer.drain()
        if self.wait_for_answer:
            self.withheld_head = await up_reader.readuntil(b"\r\n\r\n")
        await self.on_cut(self)
        up_writer.close()
        writer.transport.abort()

    async def _pipe_both(self, reader: asyncio.StreamReader,
                         writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(HOST, self.upstream_port)
        try:
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            up_writer.close()


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    """One HTTP/1.1 request with a Content-Length body, as bytes."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return head + (await reader.readexactly(length) if length else b"")


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        if writer.can_write_eof():
            try:
                writer.write_eof()
            except (OSError, RuntimeError):
                pass


def header(head: bytes, name: str) -> str | None:
    """A header's value in an answer or request head."""
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name.lower().encode():
            return value.strip().decode()
    return None
