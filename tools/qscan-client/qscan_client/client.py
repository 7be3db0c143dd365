"""QscanClient: every route of the qscan bridge as a typed async method.

    async with QscanClient("https://qscan.example:8443", api_key=KEY) as qs:
        result = await qs.enhance(scan_results)
        if result.degraded: ...                       # rule-based fallback answered
        async for entry in qs.asset_history("api-gateway-01"): ...

Methods return dataclasses (analysis, service, assets, scans modules) and raise
QscanError subclasses (errors module). Pages are async iterators. One client
belongs to one event loop; it may be used by many tasks of that loop at once.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import ssl
from typing import Any, AsyncIterator, Awaitable, Callable, Iterable, Mapping, TypeVar

import aiohttp

from .analysis import Anomalies, Enhancement, Predictions, TrainResult
from .assets import AssetListPage, AssetPage, AssetSeries, Changes, HistoryEntry, Overview
from .errors import QscanApiError, QscanError, QscanProtocolError, QscanTimeoutError
from .scans import ScanAccepted, ScanJob, ScanListPage, ScanSummary, Schedule
from .service import Cluster, Cve, Health, ModelInfo, Status
from .transport import Answer, RetryPolicy, Sleep, Transport, path, ssl_option

T = TypeVar("T")
ScanResults = Iterable[Mapping[str, Any]]
ProgressHook = Callable[[ScanJob], Any]
DEFAULT_URL = "http://quantum-scanner:8000"


def _decode(parse: Callable[[Answer], T], answer: Answer) -> T:
    """Reads an answer into its type, or raises QscanProtocolError naming what is missing."""
    try:
        return parse(answer)
    except QscanError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise QscanProtocolError("bad_answer", f"unexpected answer: {type(e).__name__} {e}",
                                 status=answer.status, request_id=answer.request_id,
                                 attempts=answer.attempts) from None


def _json(model: Any) -> Callable[[Answer], Any]:
    return lambda answer: model.from_json(answer.json())


class QscanClient:
    """A client of one qscan bridge (a `qscan serve`, or a cluster's bridge)."""

    def __init__(self, base_url: str, *, api_key: str | None = None, verify: bool | str = True,
                 ssl_context: ssl.SSLContext | None = None, timeout: float = 30.0,
                 retry: RetryPolicy | None = None, session: aiohttp.ClientSession | None = None,
                 sleep: Sleep = asyncio.sleep) -> None:
        """`base_url` may end in `/quantum` (Scorpius's reverse proxy). `api_key` is sent as
        `Authorization: Bearer`. `verify`: True (system CAs), a CA file, or False.
        `timeout` bounds each try in seconds; `retry` says how calls are retried; `sleep`
        waits between tries (tests replace it)."""
        self._http = Transport(base_url, api_key=api_key, ssl_param=ssl_option(verify, ssl_context),
                               timeout=timeout, retry=retry, sleep=sleep, session=session)

    @classmethod
    def from_env(cls, **overrides: Any) -> "QscanClient":
        """A client configured by QSCAN_URL (default http://quantum-scanner:8000),
        QSCAN_API_KEY, QSCAN_CA_FILE, QSCAN_TLS_VERIFY (0 turns verification off) and
        QSCAN_TIMEOUT (seconds); keyword arguments win over the environment."""
        verify: bool | str = os.environ.get("QSCAN_CA_FILE") or True
        if os.environ.get("QSCAN_TLS_VERIFY", "1").lower() in ("0", "false", "no"):
            verify = False
        settings: dict[str, Any] = {"api_key": os.environ.get("QSCAN_API_KEY") or None,
                                    "verify": verify,
                                    "timeout": float(os.environ.get("QSCAN_TIMEOUT", "30"))}
        settings.update(overrides)
        base_url = settings.pop("base_url", None) or os.environ.get("QSCAN_URL") or DEFAULT_URL
        return cls(base_url, **settings)

    @property
    def base_url(self) -> str:
        return self._http.base_url

    async def __aenter__(self) -> "QscanClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Closes the HTTP session (not one passed in)."""
        await self._http.close()

    async def _get(self, route: str, model: Any, query: Mapping[str, Any] | None = None) -> Any:
        return _decode(_json(model), await self._http.request("GET", route, query=query))

    async def _analyze(self, route: str, list_name: str, items: ScanResults,
                       idempotency_key: str | None, extra: Mapping[str, Any] | None = None) -> Answer:
        body: dict[str, Any] = {list_name: [dict(r) for r in items], **(extra or {})}
        return await self._http.request("POST", route, body=body, idempotency_key=idempotency_key)

    # ------------------------------------------------------------ analysis

    async def predict(self, scan_results: ScanResults, *,
                      idempotency_key: str | None = None) -> Predictions:
        """Threat predictions, one per scan result, same order."""
        answer = await self._analyze("/ai-threat-predictor/predict", "scan_results", scan_results,
                                     idempotency_key)
        return _decode(Predictions.from_answer, answer)

    async def detect_anomalies(self, scan_results: ScanResults, *,
                               idempotency_key: str | None = None) -> Anomalies:
        """Anomaly answers, one per scan result, same order."""
        answer = await self._analyze("/ai-threat-predictor/detect-anomalies", "scan_results",
                                     scan_results, idempotency_key)
        return _decode(Anomalies.from_answer, answer)

    async def enhance(self, scan_results: ScanResults, *,
                      idempotency_key: str | None = None) -> Enhancement:
        """Predictions, anomalies and the combined risk assessment in one call."""
        answer = await self._analyze("/v1/enhance", "scan_results", scan_results, idempotency_key)
        return _decode(Enhancement.from_answer, answer)

    async def train(self, training_data: ScanResults, *, model_type: str = "threat_predictor",
                    idempotency_key: str | None = None) -> TrainResult:
        """Stores labelled examples (`"exploited": true|false` on findings); admin key."""
        answer = await self._analyze("/ai-threat-predictor/train", "training_data", training_data,
                                     idempotency_key, {"model_type": model_type})
        return _decode(TrainResult.from_answer, answer)

    # ------------------------------------------------------------- service

    async def health(self) -> Health:
        """Scorpius's health route: `healthy` whenever the bridge answers; needs no key."""
        return await self._get("/ai-threat-predictor/health", Health)

    async def full_health(self) -> Health:
        """GET /v1/health: "ok" or "degraded", with each role's state."""
        return await self._get("/v1/health", Health)

    async def status(self) -> Status:
        """GET /status: version, uptime, services."""
        return await self._get("/status", Status)

    async def model_info(self) -> ModelInfo:
        """The models answering now, and every stored version."""
        return await self._get("/ai-threat-predictor/model-info", ModelInfo)

    async def cluster(self) -> Cluster:
        """GET /v1/cluster: every node and the dead letters (admin key)."""
        return await self._get("/v1/cluster", Cluster)

    async def cve(self, cve_id: str) -> Cve:
        """A CVE of the catalogue with its exploit probability, percentile and KEV status."""
        return await self._get(path("v1", "cves", cve_id), Cve)

    # -------------------------------------------------------------- assets

    async def asset(self, asset_id: str, *, limit: int | None = None,
                    cursor: str | None = None) -> AssetPage:
        """One page of an asset's history, newest first (`next` is the following page's cursor)."""
        return await self._get(path("v1", "assets", asset_id), AssetPage,
                               {"limit": limit, "cursor": cursor})

    async def asset_pages(self, asset_id: str, *, page_size: int = 50) -> AsyncIterator[AssetPage]:
        """Every page of an asset's history, following `next`."""
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            page = await self.asset(asset_id, limit=page_size, cursor=cursor)
            yield page
            if page.next is None:
                return
            _check_new_cursor(page.next, seen)
            cursor = page.next

    async def asset_history(self, asset_id: str, *,
                            page_size: int = 50) -> AsyncIterator[HistoryEntry]:
        """Every stored entry of an asset, newest first, a page fetched at a time."""
        async for page in self.asset_pages(asset_id, page_size=page_size):
            for entry in page.history:
                yield entry

    async def asset_series(self, asset_id: str) -> AssetSeries:
        """An asset's metric series with the streaming detector's scores."""
        return await self._get(path("v1", "assets", asset_id, "series"), AssetSeries)

    async def asset_changes(self, asset_id: str, *, from_id: int | None = None,
                            to_id: int | None = None) -> Changes:
        """What changed between two entries (default: the last two scans)."""
        return await self._get(path("v1", "assets", asset_id, "changes"), Changes,
                               {"from": from_id, "to": to_id})

    async def assets(self, *, offset: int = 0, limit: int | None = None, sort: str | None = None,
                     order: str | None = None, q: str | None = None,
                     risk_level: str | None = None) -> AssetListPage:
        """One page of GET /v1/assets, sorted, searched and filtered on the server."""
        query = {"offset": offset, "limit": limit, "sort": sort, "order": order, "q": q,
                 "risk_level": risk_level}
        return await self._get("/v1/assets", AssetListPage, query)

    async def asset_list_pages(self, *, page_size: int = 50,
                               **filters: Any) -> AsyncIterator[AssetListPage]:
        """Every page of GET /v1/assets (filters: sort, order, q, risk_level)."""
        async for page in _offset_pages(lambda offset: self.assets(
                offset=offset, limit=page_size, **filters), lambda p: len(p.assets)):
            yield page

    async def overview(self) -> Overview:
        """The estate at a glance: risk levels, algorithms, certificates, deadlines."""
        return await self._get("/v1/overview", Overview)

    # --------------------------------------------------------------- scans

    async def start_scan(self, targets: Iterable[str], *, options: Mapping[str, Any] | None = None,
                         **extra: Any) -> ScanAccepted:
        """Starts a scan job (admin key); `extra` members are kept with the job."""
        body: dict[str, Any] = {"targets": list(targets), **extra}
        if options is not None:
            body["options"] = dict(options)
        answer = await self._http.request("POST", "/v1/scans", body=body, dedupe=False)
        return _decode(_json(ScanAccepted), answer)

    async def scan(self, scan_id: str, *, limit: int | None = None,
                   cursor: str | None = None) -> ScanJob:
        """A scan job's status, progress and one page of its results."""
        return await self._get(path("v1", "scans", scan_id), ScanJob,
                               {"limit": limit, "cursor": cursor})

    async def scan_pages(self, scan_id: str, *, page_size: int = 100) -> AsyncIterator[ScanJob]:
        """Every page of a scan job's results, following `next`."""
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            page = await self.scan(scan_id, limit=page_size, cursor=cursor)
            yield page
            if page.next is None:
                return
            _check_new_cursor(page.next, seen)
            cursor = page.next

    async def wait_for_scan(self, scan_id: str, *, timeout: float = 600.0,
                            poll_interval: float = 0.25, max_poll_interval: float = 5.0,
                            on_progress: ProgressHook | None = None) -> ScanJob:
        """Polls a job until it is done or failed; returns it with its first page of results.
        `on_progress(job)` (plain or async) runs whenever its progress changes.
        Raises QscanTimeoutError when it has not finished within `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        interval, last = poll_interval, None
        while True:
            job = await self.scan(scan_id, limit=1)
            if on_progress is not None and job.progress != last:
                await _maybe_await(on_progress(job))
                last = job.progress
            if job.finished:
                return await self.scan(scan_id)
            left = deadline - loop.time()
            if left <= 0:
                raise QscanTimeoutError("timeout", f"{scan_id} is {job.status} after {timeout} s "
                                        f"({job.progress.done}/{job.progress.total} targets)")
            await asyncio.sleep(min(interval, left))
            interval = min(interval * 1.5, max_poll_interval)

    async def scan_cbom(self, scan_id: str) -> dict[str, Any]:
        """A finished job as a CycloneDX 1.6 CBOM (409 `scan_not_finished` before)."""
        answer = await self._http.request("GET", path("v1", "scans", scan_id, "cbom"))
        return _decode(Answer.json, answer)

    async def scan_sarif(self, scan_id: str) -> dict[str, Any]:
        """A finished job as a SARIF 2.1.0 log (409 `scan_not_finished` before)."""
        answer = await self._http.request("GET", path("v1", "scans", scan_id, "sarif"))
        return _decode(Answer.json, answer)

    async def scans(self, *, offset: int = 0, limit: int | None = None,
                    status: str | None = None) -> ScanListPage:
        """One page of scan jobs, newest first (`status` filters)."""
        return await self._get("/v1/scans", ScanListPage,
                               {"offset": offset, "limit": limit, "status": status})

    async def scan_list_pages(self, *, page_size: int = 50,
                              status: str | None = None) -> AsyncIterator[ScanListPage]:
        """Every page of GET /v1/scans, newest first."""
        async for page in _offset_pages(lambda offset: self.scans(
                offset=offset, limit=page_size, status=status), lambda p: len(p.scans)):
            yield page

    async def scan_list(self, *, page_size: int = 50,
                        status: str | None = None) -> AsyncIterator[ScanSummary]:
        """Every scan job, newest first, a page fetched at a time."""
        async for page in self.scan_list_pages(page_size=page_size, status=status):
            for summary in page.scans:
                yield summary

    # ----------------------------------------------------------- schedules

    async def create_schedule(self, targets: Iterable[str], *, every: str | None = None,
                              cron: str | None = None, jitter: str | None = None,
                              options: Mapping[str, Any] | None = None,
                              name: str | None = None) -> Schedule:
        """A recurring scan, `every` ("6h") or `cron` ("0 3 * * *"); admin key."""
        body = {k: v for k, v in {"targets": list(targets), "every": every, "cron": cron,
                                  "jitter": jitter, "options": options, "name": name}.items()
                if v is not None}
        answer = await self._http.request("POST", "/v1/schedules", body=body, dedupe=False)
        return _decode(_json(Schedule), answer)

    async def schedules(self) -> list[Schedule]:
        """Every schedule."""
        answer = await self._http.request("GET", "/v1/schedules")
        return _decode(lambda a: [Schedule.from_json(s) for s in a.json()["schedules"]], answer)

    async def schedule(self, schedule_id: str) -> Schedule:
        """One schedule (404 `not_found` when unknown)."""
        return await self._get(path("v1", "schedules", schedule_id), Schedule)

    async def delete_schedule(self, schedule_id: str) -> None:
        """Deletes a schedule (404 `not_found` when unknown); admin key. A retry that
        finds it gone (the first try's answer was lost) counts as deleted."""
        try:
            await self._http.request("DELETE", path("v1", "schedules", schedule_id))
        except QscanApiError as e:
            if e.code != "not_found" or e.attempts == 1:
                raise


def _check_new_cursor(cursor: str, seen: set[str]) -> None:
    """Ends a cursor walk that would loop (the bridge sent a cursor twice)."""
    if cursor in seen:
        raise QscanProtocolError("bad_answer", f"the cursor {cursor!r} came back twice")
    seen.add(cursor)


async def _offset_pages(fetch: Callable[[int], Awaitable[T]],
                        count: Callable[[T], int]) -> AsyncIterator[T]:
    """Pages of an offset/limit/total list, until a page is empty or the total is reached."""
    offset = 0
    while True:
        page = await fetch(offset)
        yield page
        n = count(page)
        offset += n
        if n == 0 or offset >= page.total:  # type: ignore[attr-defined]
            return


async def _maybe_await(value: Any) -> None:
    if inspect.isawaitable(value):
        await value
