"""Health, status, model info, the cluster view, CVEs, keys and TLS."""

from __future__ import annotations

import pytest

from conftest import ADMIN_KEY, CATALOGUED_CVE, FAST, USER_KEY
from qscan_client import QscanApiError, QscanClient, QscanConnectionError
from qscan_server import QscanServer


async def test_health_is_healthy_with_every_role_ok(client: QscanClient):
    health = await client.health()
    assert health.healthy and not health.degraded
    assert {"bridge", "predictor", "anomaly", "persistence"} <= set(health.roles)
    assert all(r.state == "ok" for r in health.roles.values())
    full = await client.full_health()
    assert (full.status, full.degraded) == ("ok", False)


async def test_status_names_the_service_and_its_services(client: QscanClient):
    status = await client.status()
    assert (status.service, status.status, status.degraded) == ("quantum-scanner", "operational",
                                                                 False)
    assert status.uptime_seconds >= 0 and status.services["persistence"] == "ok"
    assert status.cluster_id


async def test_model_info_describes_both_models(client: QscanClient):
    info = await client.model_info()
    assert info.threat_predictor.version and info.anomaly_detector.version
    assert info.threat_predictor.accuracy is None or 0.5 <= info.threat_predictor.accuracy <= 1.0


async def test_the_cluster_view_lists_serve_as_one_node_with_every_role(client: QscanClient):
    cluster = await client.cluster()
    assert len(cluster.nodes) == 1
    assert cluster.nodes[0].state == "up"
    assert {"predictor", "anomaly", "persistence", "bridge"} <= set(cluster.nodes[0].roles)
    assert cluster.dead_letters == []


async def test_a_catalogued_cve_has_a_probability_and_an_explanation(client: QscanClient):
    cve = await client.cve(CATALOGUED_CVE)
    assert cve.id == CATALOGUED_CVE and 0.0 <= cve.exploit_probability <= 1.0
    assert 0.0 <= cve.percentile <= 100.0 and not cve.in_kev
    assert cve.explanation and all(isinstance(f, str) for f, _ in cve.explanation)


async def test_an_unknown_cve_raises_not_found(client: QscanClient):
    with pytest.raises(QscanApiError) as caught:
        await client.cve("CVE-1999-0001")
    assert (caught.value.status, caught.value.code) == (404, "not_found")


async def test_without_a_key_a_keyed_server_answers_health_only(keyed_server: QscanServer):
    async with QscanClient(keyed_server.url, retry=FAST) as anonymous:
        assert (await anonymous.health()).healthy
        with pytest.raises(QscanApiError) as caught:
            await anonymous.status()
    assert (caught.value.status, caught.value.code) == (401, "unauthorized")


async def test_a_user_key_may_predict_but_not_read_the_cluster(keyed_server: QscanServer):
    async with QscanClient(keyed_server.url, api_key=USER_KEY, retry=FAST) as user:
        assert (await user.status()).service == "quantum-scanner"
        with pytest.raises(QscanApiError) as caught:
            await user.cluster()
    assert (caught.value.status, caught.value.code) == (403, "forbidden")


async def test_an_admin_key_reads_the_cluster(admin: QscanClient):
    assert len((await admin.cluster()).nodes) == 1


async def test_https_with_the_servers_certificate_as_ca(tls_server: QscanServer):
    assert tls_server.url.startswith("https://")
    ca = tls_server.ca_file  # type: ignore[attr-defined]
    async with QscanClient(tls_server.url, verify=ca, retry=FAST) as qs:
        assert (await qs.health()).healthy


async def test_an_untrusted_certificate_fails_at_once_without_retries(tls_server: QscanServer):
    async with QscanClient(tls_server.url, retry=FAST) as qs:
        with pytest.raises(QscanConnectionError) as caught:
            await qs.health()
    assert caught.value.code == "tls" and caught.value.attempts == 1


async def test_verification_can_be_turned_off(tls_server: QscanServer):
    async with QscanClient(tls_server.url, verify=False, retry=FAST) as qs:
        assert (await qs.status()).service == "quantum-scanner"


async def test_from_env_reads_url_key_and_ca(monkeypatch: pytest.MonkeyPatch,
                                             keyed_server: QscanServer):
    monkeypatch.setenv("QSCAN_URL", keyed_server.url + "/quantum")
    monkeypatch.setenv("QSCAN_API_KEY", ADMIN_KEY)
    async with QscanClient.from_env(retry=FAST) as qs:
        assert qs.base_url.endswith("/quantum")
        assert len((await qs.cluster()).nodes) == 1
