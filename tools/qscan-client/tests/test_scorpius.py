"""The drop-in integrate_with_scorpius(): the original's input and envelope."""

from __future__ import annotations

import json

import pytest

from conftest import FAST, free_port, scan_result, unique
from qscan_client import UNAVAILABLE, QscanClient, integrate_with_scorpius
from qscan_server import QscanServer

ENVELOPE = {"original_results", "ai_predictions", "anomaly_detections", "analysis_timestamp",
            "enhanced_risk_assessment"}


def risk_level(score: float) -> str:
    """The original client's thresholds."""
    for level, floor in (("CRITICAL", 0.8), ("HIGH", 0.6), ("MEDIUM", 0.4), ("LOW", 0.2)):
        if score >= floor:
            return level
    return "MINIMAL"


async def test_the_envelope_has_the_originals_keys_and_arithmetic(server: QscanServer):
    batch = [scan_result(unique("sc"), "RSA-1024", quantum_risk=0.9),
             scan_result(unique("sc"), "MD5", severity="low", quantum_risk=0.8)]
    envelope = await integrate_with_scorpius(batch, base_url=server.url, retry=FAST)
    assert set(envelope) == ENVELOPE | {"degraded"} and envelope["degraded"] is False
    predictions, anomalies = envelope["ai_predictions"], envelope["anomaly_detections"]
    assert len(predictions) == len(anomalies) == 2
    avg_threat = sum(p["threat_score"] for p in predictions) / 2
    rate = sum(a["is_anomaly"] for a in anomalies) / 2
    overall = min(0.4 * 0.85 + 0.4 * avg_threat + 0.2 * rate, 1.0)
    risk = envelope["enhanced_risk_assessment"]
    assert risk["overall_risk"] == pytest.approx(overall, abs=1e-3)
    assert risk["risk_level"] == risk_level(risk["overall_risk"])
    assert "High quantum vulnerability detected" in risk["risk_factors"]
    json.dumps(envelope)  # plain JSON values, as Scorpius stores it


async def test_timestamps_read_with_fromisoformat(server: QscanServer):
    from datetime import datetime
    envelope = await integrate_with_scorpius([scan_result(unique("ts"))], base_url=server.url)
    datetime.fromisoformat(envelope["analysis_timestamp"])
    datetime.fromisoformat(envelope["ai_predictions"][0]["predicted_at"])
    datetime.fromisoformat(envelope["anomaly_detections"][0]["detected_at"])


async def test_no_scan_results_give_the_empty_assessment(server: QscanServer):
    envelope = await integrate_with_scorpius([], base_url=server.url)
    assert envelope["enhanced_risk_assessment"] == {"overall_risk": 0.0, "risk_factors": []}


async def test_configured_from_the_environment(server: QscanServer,
                                               monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("QSCAN_URL", server.url + "/quantum")
    asset = unique("env")
    envelope = await integrate_with_scorpius([scan_result(asset)])
    assert envelope["original_results"][0]["asset_id"] == asset


async def test_a_degraded_answer_says_so_in_the_envelope(server: QscanServer):
    faulty = scan_result(unique("faulty"), metadata={"qscan_fault": "crash-anomaly"})
    envelope = await integrate_with_scorpius([faulty], base_url=server.url)
    assert envelope["degraded"] is True and envelope["degraded_reasons"]
    assert len(envelope["anomaly_detections"]) == 1


async def test_an_unreachable_service_gives_the_error_answer_not_an_exception():
    envelope = await integrate_with_scorpius(
        [scan_result("a")], base_url=f"http://127.0.0.1:{free_port()}", retry=FAST)
    assert envelope["error"] == UNAVAILABLE == "Quantum Scanner AI service unavailable"
    assert envelope["error_code"] == "unreachable"


async def test_refused_input_gives_an_error_answer_with_the_bad_paths(server: QscanServer):
    envelope = await integrate_with_scorpius([{"asset_type": "x"}], base_url=server.url)
    assert envelope["error"].startswith("Quantum Scanner AI service refused")
    assert envelope["error_code"] == "invalid_request"
    assert [d["path"] for d in envelope["error_details"]] == ["scan_results[0].asset_id"]


async def test_a_given_client_is_used_and_left_open(server: QscanServer):
    async with QscanClient(server.url) as qs:
        first = await integrate_with_scorpius([scan_result(unique("own"))], client=qs)
        assert "error" not in first
        assert (await qs.health()).healthy, "still open"
