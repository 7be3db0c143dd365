"""The step 10 routes (asset list, overview, scan list, changes, schedules) through the client.

Their shapes are fixed by the step 10 API notes; these tests pass once the bridge serves them.
"""

from __future__ import annotations

import asyncio
import hashlib
import signal
import ssl
import time
from pathlib import Path

import pytest

from conftest import FAST, USER_KEY, scan_result, self_signed, unique
from qscan_client import (AssetListPage, Changes, Overview, QscanApiError, QscanClient,
                          ScanListPage, Schedule)
from qscan_server import HOST, QscanServer

RISK_LEVELS = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "MINIMAL"}


def finding(algorithm: str, location: str, severity: str = "high") -> dict:
    return {"type": "weak_crypto", "severity": severity, "algorithm": algorithm,
            "location": location}


def day(n: int) -> str:
    """The timestamp of a scan on day `n` (each scan of an asset its own)."""
    return f"2026-11-{n:02d}T10:00:00"


def query_path_is(error: QscanApiError, name: str) -> bool:
    """The detail path names the query parameter (`sort`, or `query.sort` as history spells it)."""
    return error.paths in ([name], [f"query.{name}"])


async def _post_estate(client: QscanClient, prefix: str) -> list[str]:
    """Three assets under `prefix` with quantum risks 0.2, 0.5 and 0.9."""
    ids = [f"{prefix}-{n}" for n in ("low", "mid", "high")]
    await client.enhance([scan_result(a, quantum_risk=q) for a, q in zip(ids, (0.2, 0.5, 0.9))])
    return ids


# ------------------------------------------------------------------- GET /v1/assets

async def test_the_asset_list_finds_posted_assets_by_substring(client: QscanClient):
    prefix = unique("Estate")
    ids = await _post_estate(client, prefix)
    page = await client.assets(q=prefix.lower())
    assert isinstance(page, AssetListPage)
    assert page.total == 3 and sorted(a.asset_id for a in page.assets) == sorted(ids)
    assert all(a.source == "posted" and a.scan_job is None and a.entries == 1
               for a in page.assets)
    assert all(a.risk_level in RISK_LEVELS and 0 <= a.risk <= 1 for a in page.assets)
    assert (page.offset, page.sort, page.order) == (0, "risk", "desc")


async def test_the_asset_list_sorts_on_the_server(client: QscanClient):
    prefix = unique("sorted")
    await _post_estate(client, prefix)
    ascending = await client.assets(q=prefix, sort="quantum_risk", order="asc")
    assert [a.quantum_risk for a in ascending.assets] == [0.2, 0.5, 0.9]
    by_risk = await client.assets(q=prefix)
    risks = [a.risk for a in by_risk.assets]
    assert risks == sorted(risks, reverse=True)


async def test_the_asset_list_pages_to_its_total(client: QscanClient):
    prefix = unique("paged")
    ids = await _post_estate(client, prefix)
    pages = [p async for p in client.asset_list_pages(page_size=2, q=prefix, sort="asset_id",
                                                      order="asc")]
    assert [len(p.assets) for p in pages] == [2, 1]
    assert [a.asset_id for p in pages for a in p.assets] == sorted(ids)


async def test_the_asset_list_filters_by_risk_level(client: QscanClient):
    prefix = unique("levels")
    await _post_estate(client, prefix)
    everything = await client.assets(q=prefix)
    level = everything.assets[0].risk_level
    filtered = await client.assets(q=prefix, risk_level=level)
    assert filtered.total == sum(a.risk_level == level for a in everything.assets)
    assert all(a.risk_level == level for a in filtered.assets)


async def test_a_bad_sort_or_limit_is_a_400_naming_the_parameter(client: QscanClient):
    with pytest.raises(QscanApiError) as caught:
        await client.assets(sort="colour")
    assert caught.value.status == 400 and query_path_is(caught.value, "sort")
    with pytest.raises(QscanApiError) as caught:
        await client.assets(limit=501)
    assert caught.value.status == 400 and query_path_is(caught.value, "limit")


async def test_a_scanned_asset_is_listed_with_its_scan_job(client: QscanClient,
                                                           server: QscanServer):
    target = "file://" + str(server.files_root / "legacy-rsa.pem")  # type: ignore[attr-defined]
    job = await client.wait_for_scan((await client.start_scan([target])).id, timeout=120)
    page = await client.assets(q="legacy-rsa.pem")
    [row] = [a for a in page.assets if a.asset_id == target]
    assert row.source == "scan" and row.scan_job is not None and row.findings >= 1
    latest = (await client.scans(limit=500)).scans
    assert job.id in {s.id for s in latest}


async def test_the_asset_list_answers_under_the_quantum_prefix(server: QscanServer):
    async with QscanClient(server.url + "/quantum", retry=FAST) as qs:
        assert (await qs.assets(limit=1)).limit == 1


# ----------------------------------------------------------------- GET /v1/overview

async def test_the_overview_counts_the_estate(client: QscanClient):
    await client.enhance([scan_result(unique("overview"), "RSA-2048")])
    overview = await client.overview()
    assert isinstance(overview, Overview)
    assert set(overview.by_risk_level) == RISK_LEVELS
    assert sum(overview.by_risk_level.values()) == overview.assets >= 1
    assert any("RSA" in a["algorithm"] and a["assets"] >= 1
               for a in overview.vulnerable_algorithms)
    assert 0 <= overview.tls_with_post_quantum_group <= overview.tls_endpoints
    assert overview.deadlines and all(d["date"] and d["what"] for d in overview.deadlines)


# -------------------------------------------------------------------- GET /v1/scans

async def test_the_scan_list_is_newest_first_and_filters_by_status(client: QscanClient):
    first = await client.start_scan(["tls://127.0.0.1:1"])
    second = await client.start_scan(["ssh://127.0.0.1:1"])
    for accepted in (first, second):
        await client.wait_for_scan(accepted.id, timeout=120)
    page = await client.scans(limit=500)
    assert isinstance(page, ScanListPage)
    ids = [s.id for s in page.scans]
    assert ids.index(second.id) < ids.index(first.id)
    [row] = [s for s in page.scans if s.id == second.id]
    assert row.targets == ["ssh://127.0.0.1:1"] and row.progress.done == row.progress.total == 1
    assert row.schedule is None and row.links["self"].endswith(second.id)
    done = await client.scans(status="done", limit=500)
    assert done.scans and all(s.status == "done" for s in done.scans)
    listed = [s.id async for s in client.scan_list(page_size=2)]
    assert len(listed) == len(set(listed)) >= 2 and second.id in listed


async def test_a_bad_scan_status_is_a_400_naming_the_parameter(client: QscanClient):
    with pytest.raises(QscanApiError) as caught:
        await client.scans(status="sleeping")
    assert caught.value.status == 400 and query_path_is(caught.value, "status")


# ---------------------------------------------------- GET /v1/assets/{id}/changes

async def test_changes_between_the_last_two_scans(client: QscanClient):
    asset = unique("changes")
    await client.predict([scan_result(asset, quantum_risk=0.8) | {"vulnerabilities": [
        finding("RSA-2048", "/tls"), finding("MD5", "/hash")], "timestamp": day(1)}])
    await client.predict([scan_result(asset, quantum_risk=0.6) | {"vulnerabilities": [
        finding("RSA-2048", "/tls"), finding("SHA-1", "/sign")], "timestamp": day(2)}])
    changes = await client.asset_changes(asset)
    assert isinstance(changes, Changes)
    assert [f.algorithm for f in changes.new] == ["SHA-1"]
    assert [f.algorithm for f in changes.fixed] == ["MD5"]
    assert [f.algorithm for f in changes.unchanged] == ["RSA-2048"]
    assert "SHA-1" in changes.algorithms_added and "MD5" in changes.algorithms_removed
    assert (changes.quantum_risk_from, changes.quantum_risk_to) == (0.8, 0.6)
    assert changes.summary == "1 new, 1 fixed, 1 unchanged"
    assert changes.from_entry and changes.to_entry and changes.from_entry.id < changes.to_entry.id


async def test_changes_between_chosen_entries(client: QscanClient):
    asset = unique("chosen")
    for n, algorithm in enumerate(("MD5", "SHA-1", "AES-256"), start=1):
        await client.predict([scan_result(asset) | {"vulnerabilities": [
            finding(algorithm, "/x")], "timestamp": day(n)}])
    oldest, _, newest = sorted([e async for e in client.asset_history(asset)],
                               key=lambda e: e.id)
    changes = await client.asset_changes(asset, from_id=oldest.id, to_id=newest.id)
    assert changes.from_entry and changes.from_entry.id == oldest.id
    assert changes.to_entry and changes.to_entry.id == newest.id
    assert [f.algorithm for f in changes.fixed] == ["MD5"]
    assert [f.algorithm for f in changes.new] == ["AES-256"]


async def test_an_asset_with_one_entry_has_no_changes(client: QscanClient):
    asset = unique("single")
    await client.predict([scan_result(asset)])
    changes = await client.asset_changes(asset)
    assert changes.from_entry is None
    assert changes.new == changes.fixed == changes.unchanged == []
    assert changes.algorithms_added == changes.algorithms_removed == []


async def _served_certificate(port: int, pem: str) -> None:
    """Waits (20 s at most) until the server at `port` presents the certificate `pem`."""
    want = ssl.PEM_cert_to_DER_cert(pem)
    deadline = time.monotonic() + 20
    while True:
        served = await asyncio.to_thread(ssl.get_server_certificate, (HOST, port), timeout=5)
        if ssl.PEM_cert_to_DER_cert(served) == want:
            return
        assert time.monotonic() < deadline, "the new certificate was not served within 20 s"
        await asyncio.sleep(0.1)


async def test_changes_name_a_replaced_certificate(client: QscanClient, tmp_path: Path):
    """An HTTPS qscan serve is scanned, its certificate replaced (SIGHUP), scanned again."""
    key, cert = self_signed(tmp_path)
    old_pem = cert.read_text()
    endpoint = QscanServer(tmp_path / "data", ["--tls-cert", str(cert), "--tls-key", str(key)],
                           name="endpoint").start()
    try:
        target = f"tls://{HOST}:{endpoint.port}"
        await client.wait_for_scan((await client.start_scan([target])).id, timeout=120)
        renewed = tmp_path / "renewed"
        renewed.mkdir()
        new_key, new_cert = self_signed(renewed)
        key.write_bytes(new_key.read_bytes())
        cert.write_bytes(new_cert.read_bytes())
        assert endpoint.proc is not None
        endpoint.proc.send_signal(signal.SIGHUP)
        await _served_certificate(endpoint.port, new_cert.read_text())
        await client.wait_for_scan((await client.start_scan([target])).id, timeout=120)
        changes = await client.asset_changes(target)
    finally:
        endpoint.stop()
    assert len(changes.certificates_added) == len(changes.certificates_removed) == 1
    fingerprint = hashlib.sha256(ssl.PEM_cert_to_DER_cert(old_pem)).hexdigest()
    removed = changes.certificates_removed[0]
    assert removed.fingerprint.replace(":", "").lower() == fingerprint
    assert "127.0.0.1" in removed.subject and removed.not_after
    assert changes.certificates_added[0].fingerprint != removed.fingerprint


async def test_changes_of_an_unknown_asset_raise_not_found(client: QscanClient):
    with pytest.raises(QscanApiError) as caught:
        await client.asset_changes(unique("nobody"))
    assert (caught.value.status, caught.value.code) == (404, "not_found")


# ------------------------------------------------------------------------ schedules

async def test_a_schedule_is_created_listed_read_and_deleted(client: QscanClient):
    name = unique("nightly")
    created = await client.create_schedule(["tls://127.0.0.1:1"], every="6h", jitter="10m",
                                           name=name)
    assert isinstance(created, Schedule) and created.id.startswith("sch-")
    assert (created.name, created.every, created.cron) == (name, "6h", None)
    assert created.targets == ["tls://127.0.0.1:1"] and created.next_run
    assert created.last_run is None and created.links["self"].endswith(created.id)
    assert created.id in {s.id for s in await client.schedules()}
    assert await client.schedule(created.id) == created
    await client.delete_schedule(created.id)
    assert created.id not in {s.id for s in await client.schedules()}
    with pytest.raises(QscanApiError) as caught:
        await client.schedule(created.id)
    assert (caught.value.status, caught.value.code) == (404, "not_found")
    with pytest.raises(QscanApiError) as caught:
        await client.delete_schedule(created.id)
    assert caught.value.status == 404


async def test_a_cron_schedule(client: QscanClient):
    created = await client.create_schedule(["ssh://127.0.0.1:1"], cron="0 3 * * *")
    try:
        assert (created.every, created.cron) == (None, "0 3 * * *")
    finally:
        await client.delete_schedule(created.id)


async def test_a_schedule_needs_exactly_one_of_every_and_cron(client: QscanClient):
    for both_or_none in ({"every": "6h", "cron": "0 3 * * *"}, {}):
        with pytest.raises(QscanApiError) as caught:
            await client.create_schedule(["tls://127.0.0.1:1"], **both_or_none)
        assert caught.value.status in (400, 422) and caught.value.code == "invalid_request"


async def test_a_schedule_target_outside_the_allowed_blocks_is_refused(client: QscanClient):
    with pytest.raises(QscanApiError) as caught:
        await client.create_schedule(["tls://192.0.2.7:443"], every="6h")
    assert (caught.value.status, caught.value.code) == (403, "target_not_allowed")
    assert caught.value.paths == ["targets[0]"]


async def test_a_user_key_reads_schedules_but_may_not_create_them(keyed_server: QscanServer):
    async with QscanClient(keyed_server.url, api_key=USER_KEY, retry=FAST) as user:
        assert isinstance(await user.schedules(), list)
        with pytest.raises(QscanApiError) as caught:
            await user.create_schedule(["tls://127.0.0.1:1"], every="6h")
    assert (caught.value.status, caught.value.code) == (403, "forbidden")
