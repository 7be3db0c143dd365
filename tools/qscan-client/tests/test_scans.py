"""Scan jobs through the client: start, wait with progress, results, CBOM and SARIF."""

from __future__ import annotations

import pytest

from qscan_client import QscanApiError, QscanClient, ScanJob
from qscan_server import QscanServer


def key_target(server: QscanServer) -> str:
    """The RSA-1024 key file the server's --scan-files-root holds, as a scan target."""
    return "file://" + str(server.files_root / "legacy-rsa.pem")  # type: ignore[attr-defined]


async def _finished_scan(client: QscanClient, targets: list[str]) -> ScanJob:
    accepted = await client.start_scan(targets)
    assert accepted.status == "queued" and accepted.total == len(targets)
    return await client.wait_for_scan(accepted.id, timeout=120)


async def test_a_key_file_scan_finishes_with_its_findings_and_progress(client: QscanClient,
                                                                       server: QscanServer):
    accepted = await client.start_scan([key_target(server)])
    seen: list[tuple[int, int]] = []
    job = await client.wait_for_scan(accepted.id, timeout=120,
                                     on_progress=lambda j: seen.append(
                                         (j.progress.done, j.progress.total)))
    assert (job.id, job.status, job.error) == (accepted.id, "done", None)
    assert job.finished and seen[-1] == (1, 1)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen), "progress never goes back"
    [result] = job.results
    assert result.kind == "file" and result.error is None
    assert any("RSA" in f["algorithm"] for f in result.findings)
    assert result.risk_level in {"CRITICAL", "HIGH", "MEDIUM", "LOW", "MINIMAL"}


async def test_a_scanned_target_has_history_under_its_own_name(client: QscanClient,
                                                                server: QscanServer):
    job = await _finished_scan(client, [key_target(server)])
    target = job.results[0].target
    page = await client.asset(target)
    assert page.asset_id == target and page.total >= 1


async def test_cbom_and_sarif_of_a_finished_scan(client: QscanClient, server: QscanServer):
    job = await _finished_scan(client, [key_target(server)])
    cbom = await client.scan_cbom(job.id)
    assert (cbom["bomFormat"], cbom["specVersion"]) == ("CycloneDX", "1.6")
    assert cbom["components"], "the key is a cryptographic asset"
    sarif = await client.scan_sarif(job.id)
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]


async def test_scan_result_pages_follow_the_cursor(client: QscanClient):
    targets = ["tls://127.0.0.1:1", "ssh://127.0.0.1:1", "tls://[::1]:1"]
    job = await _finished_scan(client, targets)
    pages = [p async for p in client.scan_pages(job.id, page_size=2)]
    assert [len(p.results) for p in pages] == [2, 1]
    assert sorted(r.target for p in pages for r in p.results) == sorted(targets)
    assert all(r.error for p in pages for r in p.results), "nothing listens on port 1"


async def test_a_target_outside_the_allowed_blocks_is_refused_with_its_path(client: QscanClient):
    with pytest.raises(QscanApiError) as caught:
        await client.start_scan(["tls://127.0.0.1:1", "tls://192.0.2.7:443"])
    assert (caught.value.status, caught.value.code) == (403, "target_not_allowed")
    assert caught.value.paths == ["targets[1]"]


async def test_an_unknown_scan_raises_not_found(client: QscanClient):
    with pytest.raises(QscanApiError) as caught:
        await client.scan("scan-0000000000000000")
    assert caught.value.code == "not_found"
