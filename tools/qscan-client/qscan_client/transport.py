"""HTTP to the bridge: API key, TLS, timeouts, retries with back-off, idempotency.

`Transport.request` sends one logical call. It retries on connection errors,
429 and 503 (waiting at least `Retry-After`), with exponential back-off and
jitter between tries. A POST gets one `Idempotency-Key` (uuid4) for the whole
call and the same body bytes on every try, so the bridge stores a retried
analysis once and answers the repeats from storage. A call the bridge cannot
deduplicate (`dedupe=False`: scan jobs, schedules) is retried only when the
request never left (connection refused), or on 429/503, which store nothing.

One `Transport` belongs to one event loop; its session is opened on first use.
"""

from __future__ import annotations

import asyncio
import json
import random
import ssl
import uuid
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Mapping
from urllib.parse import quote, urlencode

import aiohttp
import yarl

from .errors import (QscanConnectionError, QscanError, QscanProtocolError, QscanTimeoutError,
                     api_error)

USER_AGENT = "qscan-client/0.1.0"
Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True)
class RetryPolicy:
    """How a call is retried: `attempts` tries in all, the n-th retry after about
    `base_delay * 2**(n-1)` seconds (at most `max_delay`), less up to `jitter` of it
    at random; never sooner than a `Retry-After`, and not at all past `max_retry_after`.

    The default (3 tries, 1 s then 2 s) is the one Scorpius's original client used.
    """

    attempts: int = 3
    base_delay: float = 1.0
    max_delay: float = 30.0
    jitter: float = 0.25
    max_retry_after: float = 120.0
    retry_statuses: frozenset[int] = field(default_factory=lambda: frozenset({429, 503}))
    retry_on_timeout: bool = False

    def backoff(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (1 for the first)."""
        delay = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        return delay * (1.0 - self.jitter * random.random())


def ssl_option(verify: bool | str = True,
               context: ssl.SSLContext | None = None) -> ssl.SSLContext | bool | None:
    """aiohttp's `ssl` argument: a given context; a CA file or folder to trust
    (`verify="/path/ca.pem"`); no verification (`verify=False`, tests only);
    else the system's trust store (None)."""
    if context is not None:
        return context
    if verify is False:
        return False
    if isinstance(verify, str):
        if verify.endswith("/"):
            return ssl.create_default_context(capath=verify)
        return ssl.create_default_context(cafile=verify)
    return None


@dataclass(frozen=True)
class Answer:
    """One HTTP answer with its body read, and how many tries it took."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    attempts: int

    @property
    def request_id(self) -> str | None:
        """The bridge's X-Request-Id."""
        return self.headers.get("X-Request-Id")

    @property
    def degraded(self) -> bool:
        """True when the bridge's local fallback answered (X-Qscan-Degraded)."""
        return self.headers.get("X-Qscan-Degraded", "").lower() == "true"

    @property
    def replayed(self) -> bool:
        """True when this is the stored answer to an earlier try (Idempotent-Replayed)."""
        return self.headers.get("Idempotent-Replayed", "").lower() == "true"

    @property
    def retry_after(self) -> float | None:
        """Retry-After in seconds, when present and a number."""
        try:
            return max(0.0, float(self.headers["Retry-After"]))
        except (KeyError, ValueError):
            return None

    def json(self) -> Any:
        """The body as JSON, or QscanProtocolError."""
        try:
            return json.loads(self.body)
        except ValueError as e:
            raise QscanProtocolError("bad_answer", f"answer {self.status} is not JSON: {e}",
                                     status=self.status, request_id=self.request_id,
                                     attempts=self.attempts) from None


def path(*parts: str) -> str:
    """A URL path from segments, each percent-encoded whole (`/` included)."""
    return "".join("/" + quote(p, safe="") for p in parts)


class Transport:
    """The session, headers and retry loop shared by every route of a client."""

    def __init__(self, base_url: str, *, api_key: str | None = None,
                 ssl_param: ssl.SSLContext | bool | None = None, timeout: float = 30.0,
                 retry: RetryPolicy | None = None, sleep: Sleep = asyncio.sleep,
                 session: aiohttp.ClientSession | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self._api_key = api_key
        self._ssl = ssl_param
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._sleep = sleep
        self._session = session
        self._owns_session = session is None

    async def close(self) -> None:
        """Closes the session this transport opened (not one it was given)."""
        if self._session is not None and self._owns_session:
            await self._session.close()
        self._session = None

    def _session_now(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
            self._owns_session = True
        return self._session

    def _headers(self, has_body: bool, idempotency_key: str | None) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        if has_body:
            headers["Content-Type"] = "application/json"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    def _url(self, route: str, query: Mapping[str, Any] | None) -> yarl.URL:
        kept = {k: _query_value(v) for k, v in (query or {}).items() if v is not None}
        suffix = "?" + urlencode(kept) if kept else ""
        return yarl.URL(self.base_url + route + suffix, encoded=True)

    async def request(self, method: str, route: str, *, query: Mapping[str, Any] | None = None,
                      body: Any = None, dedupe: bool = True,
                      idempotency_key: str | None = None) -> Answer:
        """Sends one logical call, retrying as the policy says; returns a 2xx answer
        or raises QscanError. A POST gets `idempotency_key` (a new uuid4 if None)."""
        payload = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        if method == "POST" and idempotency_key is None:
            idempotency_key = str(uuid.uuid4())
        headers = self._headers(payload is not None, idempotency_key)
        url = self._url(route, query)
        for attempt in range(1, self.retry.attempts + 1):
            last = attempt == self.retry.attempts
            try:
                answer = await self._send(method, url, headers, payload, attempt)
            except _Retryable as failure:
                if last or not (dedupe or failure.never_sent):
                    raise failure.error from None
                await self._sleep(self.retry.backoff(attempt))
                continue
            if answer.status < 400:
                return answer
            error = api_error(answer.status, _json_or_none(answer), request_id=answer.request_id,
                              retry_after=answer.retry_after, attempts=attempt)
            if last or answer.status not in self.retry.retry_statuses:
                raise error
            await self._sleep(self._retry_delay(answer, attempt, error))
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def _retry_delay(self, answer: Answer, attempt: int, error: QscanError) -> float:
        """The wait before retrying a 429/503: the back-off, and at least Retry-After."""
        wait = answer.retry_after
        if wait is not None and wait > self.retry.max_retry_after:
            raise error
        return max(wait or 0.0, self.retry.backoff(attempt))

    async def _send(self, method: str, url: yarl.URL, headers: Mapping[str, str],
                    payload: bytes | None, attempt: int) -> Answer:
        """One try; connection failures become _Retryable, TLS failures raise at once."""
        session = self._session_now()
        try:
            async with session.request(method, url, headers=headers, data=payload,
                                       ssl=self._ssl, timeout=self._timeout) as resp:
                body = await resp.read()
                return Answer(resp.status, resp.headers, body, attempt)
        except asyncio.TimeoutError:  # TimeoutError itself from Python 3.11
            error = QscanTimeoutError("timeout", f"no answer from {self.base_url} within "
                                      f"{self._timeout.total} s", attempts=attempt)
            if not self.retry.retry_on_timeout:
                raise error from None
            raise _Retryable(error, never_sent=False) from None
        except aiohttp.ClientSSLError as e:
            raise QscanConnectionError("tls", f"TLS with {self.base_url} failed: {e}",
                                       attempts=attempt) from None
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as e:
            error = QscanConnectionError("unreachable", f"{self.base_url}: {e}", attempts=attempt)
            raise _Retryable(error, never_sent=isinstance(e, aiohttp.ClientConnectorError)) from None


class _Retryable(Exception):
    """A failed try that a retry may cure; `never_sent` when nothing reached the server."""

    def __init__(self, error: QscanError, *, never_sent: bool) -> None:
        super().__init__(error.message)
        self.error = error
        self.never_sent = never_sent


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_or_none(answer: Answer) -> Any:
    try:
        return json.loads(answer.body)
    except ValueError:
        return None
