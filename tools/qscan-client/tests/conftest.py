"""Fixtures: real `qscan serve` processes on 127.0.0.1, and clients of them.

`server` runs with --fault-injection (a scan result with metadata.qscan_fault =
"crash-predictor" gets a degraded answer), a one-CVE catalogue and a folder of
key files that file:// scan targets may name. `keyed_server` requires API keys,
`tls_server` serves HTTPS with a self-signed certificate.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

import pytest
import pytest_asyncio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the package beside tests/
sys.path.insert(0, str(Path(__file__).resolve().parent))

from qscan_client import QscanClient, RetryPolicy  # noqa: E402
from qscan_server import QscanServer, api_key_line, qscan_binary  # noqa: E402

FAST = RetryPolicy(attempts=4, base_delay=0.05, max_delay=0.5)
ADMIN_KEY = "admin-key-0123456789abcdef"
USER_KEY = "user-key-0123456789abcdef"
VERY_SLOW_KEY = "very-slow-key-0123456789abcdef"   # a request every 1000 s, bursts of 1
CATALOGUED_CVE = "CVE-2024-3400"


def unique(prefix: str) -> str:
    """An asset id no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def scan_result(asset_id: str, algorithm: str = "RSA-1024", severity: str = "high",
                quantum_risk: float | None = 0.7, **extra: Any) -> dict[str, Any]:
    """A scan result in Scorpius's client shape with one weak_crypto finding."""
    result: dict[str, Any] = {
        "asset_id": asset_id, "asset_type": "web_service",
        "vulnerabilities": [{"type": "weak_crypto", "severity": severity,
                             "algorithm": algorithm, "location": "/api/auth"}],
        "timestamp": "2026-11-25T10:00:00", "metadata": {}}
    if quantum_risk is not None:
        result["quantum_risk_score"] = quantum_risk
    result.update(extra)
    return result


def free_port() -> int:
    """A port nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RecordingSleep:
    """A `sleep` for the client that records each wait; waits for real when `real`."""

    def __init__(self, real: bool = False) -> None:
        self.real = real
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        if self.real:
            await asyncio.sleep(seconds)


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A P-256 key and a self-signed certificate for 127.0.0.1 (CN and SAN)."""
    key, cert = folder / "tls.key", folder / "tls.pem"
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
    return key, cert


def seed_catalogue(binary: str, data_dir: Path) -> None:
    """A one-CVE catalogue in DATA_DIR/cves.db for GET /v1/cves/{id}."""
    data_dir.mkdir(parents=True, exist_ok=True)
    feed = data_dir.parent / "feed.json"
    feed.write_text(json.dumps({"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{"cve": {
        "id": CATALOGUED_CVE, "published": "2024-04-12T08:15:06.230",
        "lastModified": "2024-04-19T01:00:01.597", "vulnStatus": "Analyzed",
        "descriptions": [{"lang": "en", "value": "A command injection in GlobalProtect."}],
        "metrics": {"cvssMetricV31": [{"type": "Primary", "cvssData": {
            "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
            "baseScore": 10.0, "baseSeverity": "CRITICAL"}}]}}}]}))
    subprocess.run([binary, "intel", "import-nvd", str(feed), "--data-dir", str(data_dir)],
                   check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def binary() -> str:
    return qscan_binary()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, binary: str) -> Iterator[QscanServer]:
    root = tmp_path_factory.mktemp("serve")
    seed_catalogue(binary, root / "data")
    files = root / "files"
    files.mkdir()
    _openssl("genrsa", "-out", str(files / "legacy-rsa.pem"), "1024")
    srv = QscanServer(root / "data", ["--fault-injection", "--scan-files-root", str(files)])
    srv.files_root = files  # type: ignore[attr-defined]
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def keyed_server(tmp_path_factory: pytest.TempPathFactory, binary: str) -> Iterator[QscanServer]:
    root = tmp_path_factory.mktemp("keyed")
    keys = root / "keys"
    keys.write_text(api_key_line(binary, ADMIN_KEY, "ops", "admin")
                    + api_key_line(binary, USER_KEY, "scorpius", "user")
                    + api_key_line(binary, VERY_SLOW_KEY, "slow", "user", "0.001", "1"))
    srv = QscanServer(root / "data", ["--api-keys", str(keys)], name="keyed").start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QscanServer]:
    root = tmp_path_factory.mktemp("tls")
    key, cert = self_signed(root)
    srv = QscanServer(root / "data", ["--tls-cert", str(cert), "--tls-key", str(key)],
                      name="tls")
    srv.ca_file = str(cert)  # type: ignore[attr-defined]
    srv.start()
    yield srv
    srv.stop()


@pytest_asyncio.fixture
async def client(server: QscanServer) -> AsyncIterator[QscanClient]:
    async with QscanClient(server.url, retry=FAST) as qs:
        yield qs


@pytest_asyncio.fixture
async def admin(keyed_server: QscanServer) -> AsyncIterator[QscanClient]:
    async with QscanClient(keyed_server.url, api_key=ADMIN_KEY, retry=FAST) as qs:
        yield qs
