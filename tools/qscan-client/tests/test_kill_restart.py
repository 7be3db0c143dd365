"""A server SIGKILLed and restarted on the same data in the middle of a retried call:
the call succeeds, and its scan results are stored once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import scan_result, unique
from cutting_proxy import CuttingProxy, header
from qscan_client import QscanClient, RetryPolicy
from qscan_server import QscanServer

RETRY = RetryPolicy(attempts=3, base_delay=0.05, max_delay=0.5)


class Restart:
    """The proxy's cut: SIGKILL the server, start it again on the same data folder,
    and point the proxy at its new port."""

    def __init__(self, server: QscanServer) -> None:
        self.server = server
        self.restarted: QscanServer | None = None

    async def __call__(self, proxy: CuttingProxy) -> None:
        self.server.kill()
        assert self.server.proc is not None and self.server.proc.returncode == -9
        self.restarted = QscanServer(self.server.data_dir, name="restarted")
        await asyncio.to_thread(self.restarted.start)
        proxy.upstream_port = self.restarted.port

    def stop(self) -> None:
        self.server.stop()
        if self.restarted is not None:
            self.restarted.stop()


async def _total(url: str, asset: str) -> int:
    async with QscanClient(url) as direct:
        return (await direct.asset(asset)).total


async def test_an_answer_lost_to_a_kill_is_replayed_from_storage_not_stored_again(
        tmp_path: Path):
    """Killed after it stored and answered, before the client saw the answer."""
    restart = Restart(QscanServer(tmp_path / "data").start())
    assets = [unique("killed-a"), unique("killed-b")]
    try:
        async with CuttingProxy(restart.server.port, restart, wait_for_answer=True) as proxy, \
                QscanClient(proxy.url, retry=RETRY) as qs:
            result = await qs.enhance([scan_result(a) for a in assets])
        assert proxy.withheld_head is not None and proxy.withheld_head.startswith(b"HTTP/1.1 200")
        assert proxy.connections == 2, "one try cut, one retry"
        assert result.replayed, "the retry was answered from storage"
        assert result.request_id == header(proxy.withheld_head, "X-Request-Id")
        assert len(result.predictions) == 2 and not result.degraded
        assert restart.restarted is not None
        for asset in assets:
            assert await _total(restart.restarted.url, asset) == 1
    finally:
        restart.stop()


async def test_a_call_killed_in_flight_is_stored_once_after_the_retry(tmp_path: Path):
    """Killed right after the request reached it: stored then or by the retry, never twice."""
    restart = Restart(QscanServer(tmp_path / "data").start())
    asset = unique("in-flight")
    try:
        async with CuttingProxy(restart.server.port, restart, wait_for_answer=False) as proxy, \
                QscanClient(proxy.url, retry=RETRY) as qs:
            result = await qs.predict([scan_result(asset), scan_result(asset, "MD5")])
        assert proxy.connections == 2 and len(result) == 2
        assert restart.restarted is not None
        assert await _total(restart.restarted.url, asset) == 2, "two scan results, each once"
        assert header(proxy.cut_request or b"", "Idempotency-Key")
    finally:
        restart.stop()
