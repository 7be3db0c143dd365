"""Retries: back-off with jitter, Retry-After, one Idempotency-Key per call, what is not retried.

The real server is used where it can be made to answer so on cue (no listener,
429 from a spent key, 503 from a full connection table); a scripted fake bridge
where it cannot (503 then 429 then 200, a dropped connection, no answer at all).
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from conftest import FAST, VERY_SLOW_KEY, RecordingSleep, free_port, scan_result, unique
from fake_bridge import DROP, HANG, FakeBridge, Step, error_step
from qscan_client import (QscanApiError, QscanClient, QscanConnectionError, QscanTimeoutError,
                          RetryPolicy)
from qscan_server import QscanServer

PREDICT_OK = {"predictions": [{"threat_score": 0.5, "threat_types": [], "confidence": 0.5,
                               "mitigation_steps": [], "predicted_at": "2026-11-25T10:00:01"}],
              "request_id": "req-fake-1", "degraded": False}


async def test_an_unreachable_service_is_retried_with_growing_jittered_waits():
    sleep = RecordingSleep()
    policy = RetryPolicy(attempts=4, base_delay=1.0, max_delay=30.0, jitter=0.25)
    async with QscanClient(f"http://127.0.0.1:{free_port()}", retry=policy, sleep=sleep) as qs:
        with pytest.raises(QscanConnectionError) as caught:
            await qs.health()
    assert (caught.value.code, caught.value.attempts) == ("unreachable", 4)
    assert len(sleep.delays) == 3
    for n, delay in enumerate(sleep.delays):
        assert 0.75 * 2 ** n <= delay <= 2 ** n


async def test_503_and_429_are_retried_after_retry_after_with_one_idempotency_key():
    sleep = RecordingSleep()
    script = [error_step(503, "storage_unavailable", 3), error_step(429, "rate_limited", 2),
              Step(200, PREDICT_OK)]
    async with FakeBridge(script) as fake, \
            QscanClient(fake.url, retry=RetryPolicy(attempts=3, base_delay=0.01),
                        sleep=sleep) as qs:
        result = await qs.predict([scan_result("a")])
    assert result[0].threat_score == 0.5
    assert sleep.delays[0] >= 3 and sleep.delays[1] >= 2
    keys = {s.headers["Idempotency-Key"] for s in fake.seen}
    assert len(fake.seen) == 3 and len(keys) == 1
    assert uuid.UUID(keys.pop()).version == 4
    assert len({s.body for s in fake.seen}) == 1, "every try sends the same bytes"


async def test_each_logical_call_gets_its_own_idempotency_key():
    async with FakeBridge([Step(200, PREDICT_OK)]) as fake, QscanClient(fake.url) as qs:
        await qs.predict([scan_result("a")])
        await qs.predict([scan_result("a")])
    assert len({s.headers["Idempotency-Key"] for s in fake.seen}) == 2


async def test_a_dropped_connection_is_retried_with_the_same_key():
    sleep = RecordingSleep()
    async with FakeBridge([Step(DROP), Step(200, PREDICT_OK)]) as fake, \
            QscanClient(fake.url, retry=FAST, sleep=sleep) as qs:
        result = await qs.predict([scan_result("a")])
    assert len(result) == 1 and len(sleep.delays) == 1
    assert len({s.headers["Idempotency-Key"] for s in fake.seen}) == 1 and len(fake.seen) == 2


async def test_a_scan_is_not_resent_after_a_dropped_connection():
    """The bridge cannot deduplicate scan jobs: a lost answer must not start a second job."""
    async with FakeBridge([Step(DROP)]) as fake, QscanClient(fake.url, retry=FAST) as qs:
        with pytest.raises(QscanConnectionError) as caught:
            await qs.start_scan(["tls://127.0.0.1:1"])
    assert caught.value.attempts == 1 and len(fake.seen) == 1


async def test_a_slow_answer_raises_timeout_without_a_retry():
    async with FakeBridge([Step(HANG)]) as fake, \
            QscanClient(fake.url, timeout=0.5, retry=FAST) as qs:
        with pytest.raises(QscanTimeoutError) as caught:
            await qs.status()
    assert caught.value.code == "timeout" and len(fake.seen) == 1


async def test_a_retry_after_beyond_the_limit_is_raised_at_once(keyed_server: QscanServer):
    """The very slow key refills one request in 1000 s: its second call gets 429."""
    sleep = RecordingSleep()
    async with QscanClient(keyed_server.url, api_key=VERY_SLOW_KEY, sleep=sleep,
                           retry=RetryPolicy(attempts=3, max_retry_after=60)) as qs:
        await qs.status()
        with pytest.raises(QscanApiError) as caught:
            await qs.status()
    e = caught.value
    assert (e.status, e.code, e.attempts) == (429, "rate_limited", 1)
    assert e.retry_after is not None and e.retry_after > 60
    assert sleep.delays == []


async def test_a_full_connection_table_is_waited_out(tmp_path: Path):
    """With --max-connections 1 and one connection held, the call gets 503 `overloaded`
    and Retry-After; the held connection is closed during the wait, and a retry succeeds."""
    srv = QscanServer(tmp_path / "data", ["--max-connections", "1"], name="full").start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
        writer.write(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert (await reader.readline()).startswith(b"HTTP/1.1 200"), "the slot is taken"

        class ReleaseOnFirstWait(RecordingSleep):
            async def __call__(self, seconds: float) -> None:
                if not self.delays:
                    writer.close()
                await super().__call__(seconds)

        sleep = ReleaseOnFirstWait(real=True)
        async with QscanClient(srv.url, sleep=sleep,
                               retry=RetryPolicy(attempts=8, base_delay=0.1, max_delay=1)) as qs:
            asset = unique("full")
            result = await qs.predict([scan_result(asset)])
            assert len(result) == 1 and sleep.delays[0] >= 1.0
            assert (await qs.asset(asset)).total == 1
    finally:
        srv.stop()
