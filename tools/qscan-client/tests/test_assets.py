"""An asset's history pages and metric series through the client."""

from __future__ import annotations

import pytest

from conftest import scan_result, unique
from qscan_client import AssetPage, QscanApiError, QscanClient


async def _store(client: QscanClient, asset: str, n: int) -> list[str]:
    """Stores `n` scan results of `asset`, one call each; returns their request ids."""
    ids = []
    for i in range(n):
        answer = await client.detect_anomalies([scan_result(asset, quantum_risk=i / 10)])
        ids.append(answer.request_id)
    return ids


async def test_history_pages_follow_the_cursor_to_the_last_page(client: QscanClient):
    asset = unique("pages")
    request_ids = await _store(client, asset, 5)
    pages = [page async for page in client.asset_pages(asset, page_size=2)]
    assert [len(p.history) for p in pages] == [2, 2, 1]
    assert all(isinstance(p, AssetPage) and p.total == 5 for p in pages)
    assert pages[-1].next is None and all(p.next for p in pages[:-1])
    entries = [e for p in pages for e in p.history]
    assert [e.request_id for e in entries] == list(reversed(request_ids)), "newest first"
    assert len({e.id for e in entries}) == 5


async def test_history_entries_iterate_across_pages_with_their_answers(client: QscanClient):
    asset = unique("entries")
    await _store(client, asset, 3)
    entries = [e async for e in client.asset_history(asset, page_size=1)]
    assert len(entries) == 3
    assert all(e.operation == "detect-anomalies" and e.anomaly is not None for e in entries)
    assert [e.scan_result["quantum_risk_score"] for e in entries] == [0.2, 0.1, 0.0]
    assert (await client.asset(asset, limit=1)).latest == entries[0]


async def test_an_asset_without_history_raises_not_found(client: QscanClient):
    with pytest.raises(QscanApiError) as caught:
        await client.asset(unique("never-seen"))
    assert (caught.value.status, caught.value.code) == (404, "not_found")


async def test_a_bad_page_size_names_the_query_parameter(client: QscanClient):
    asset = unique("limit")
    await _store(client, asset, 1)
    with pytest.raises(QscanApiError) as caught:
        await client.asset(asset, limit=0)
    assert caught.value.paths == ["query.limit"]


async def test_an_asset_id_with_slashes_and_spaces_is_encoded(client: QscanClient):
    asset = f"tls://{unique('host')}.example:443/a b"
    await _store(client, asset, 1)
    assert (await client.asset(asset)).asset_id == asset


async def test_series_has_a_point_per_judged_scan(client: QscanClient):
    asset = unique("series")
    await _store(client, asset, 3)
    series = await client.asset_series(asset)
    assert series.asset_id == asset and series.scans == 3
    assert [p.value for p in series.series["quantum_risk"]] == [0.0, 0.1, 0.2]
    assert len(series.series["finding_count"]) == 3
    cold = series.series["finding_count"][0]
    assert cold.anomaly_score is None and not cold.is_anomaly, "cold start is not scored"
