"""Predict, detect-anomalies, enhance and train through the client, against a real qscan serve."""

from __future__ import annotations

import pytest

from conftest import scan_result, unique
from qscan_client import (Anomalies, Enhancement, Predictions, QscanApiError, QscanClient,
                          TrainResult)


async def test_predict_answers_one_typed_prediction_per_scan_result_in_order(client: QscanClient):
    weak, strong = unique("weak"), unique("strong")
    result = await client.predict([scan_result(weak, "RSA-1024"),
                                   scan_result(strong, "AES-256", severity="low")])
    assert isinstance(result, Predictions)
    assert len(result) == 2
    assert "quantum_vulnerable_key_exchange" in result[0].threat_types
    assert "quantum_vulnerable_key_exchange" not in result[1].threat_types
    assert result[0].mitigation_steps and 0.0 <= result[0].threat_score <= 1.0
    assert len(result[0].findings) == 1 and not result[0].findings[0].known_exploited
    assert result.request_id.startswith("req-")
    assert not result.degraded and result.degraded_reasons == []


async def test_detect_anomalies_flags_a_deprecated_algorithm(client: QscanClient):
    result = await client.detect_anomalies([scan_result(unique("md5"), "MD5", severity="low"),
                                            scan_result(unique("pq"), "ML-KEM-768", "low", 0.0)])
    assert isinstance(result, Anomalies)
    assert [a.is_anomaly for a in result] == [True, False]
    assert "deprecated_usage" in result[0].anomaly_types
    assert any("MD5" in line for line in result[0].details)


async def test_enhance_combines_the_answers_as_scorpius_does(client: QscanClient):
    batch = [scan_result(unique("enh"), "RSA-1024", quantum_risk=0.9),
             scan_result(unique("enh"), "ECDSA-P256", quantum_risk=0.5)]
    result = await client.enhance(batch)
    assert isinstance(result, Enhancement)
    assert len(result.predictions) == len(result.anomalies) == 2
    avg_threat = sum(p.threat_score for p in result.predictions) / 2
    rate = sum(a.is_anomaly for a in result.anomalies) / 2
    expected = min(0.4 * 0.7 + 0.4 * avg_threat + 0.2 * rate, 1.0)
    assert result.risk.overall_risk == pytest.approx(expected, abs=1e-3)
    assert result.risk.quantum_risk == pytest.approx(0.7)
    assert result.risk.risk_level in {"CRITICAL", "HIGH", "MEDIUM", "LOW", "MINIMAL"}
    assert [r["asset_id"] for r in result.original_results] == [b["asset_id"] for b in batch]


async def test_enhance_of_no_scan_results_has_the_empty_assessment(client: QscanClient):
    result = await client.enhance([])
    assert result.risk.overall_risk == 0.0 and result.risk.risk_factors == []
    assert result.risk.risk_level is None and result.predictions == []


async def test_train_reports_what_was_stored(client: QscanClient):
    examples = [{"asset_id": unique("train"), "vulnerabilities": [
        {"severity": "critical", "exploited": True}, {"severity": "low", "exploited": False}]},
        {"asset_id": unique("train")}]
    result = await client.train(examples)
    assert isinstance(result, TrainResult)
    assert (result.status, result.stored_examples, result.labelled_examples,
            result.exploited_examples) == ("stored", 2, 1, 1)
    assert result.model_type == "threat_predictor" and result.model_version


async def test_a_degraded_answer_is_flagged_on_the_result_not_hidden(client: QscanClient):
    faulty = scan_result(unique("faulty"), metadata={"qscan_fault": "crash-predictor"})
    result = await client.predict([faulty])
    assert result.degraded
    assert result.degraded_reasons and "predictor" in result.degraded_reasons[0]
    assert len(result) == 1 and result[0].model_version == "rules-v0"


async def test_bad_scan_results_raise_with_the_path_of_every_bad_field(client: QscanClient):
    with pytest.raises(QscanApiError) as caught:
        await client.predict([{"asset_type": "x"}, scan_result(unique("bad"), quantum_risk=3)])
    e = caught.value
    assert (e.status, e.code) == (422, "invalid_request")
    assert e.paths == ["scan_results[0].asset_id", "scan_results[1].quantum_risk_score"]
    assert all(p.problem for p in e.details)
    assert e.attempts == 1, "a 422 is not retried"
    assert e.request_id and e.request_id.startswith("req-")


async def test_a_call_repeated_with_its_idempotency_key_is_stored_once(client: QscanClient):
    asset = unique("idem")
    first = await client.predict([scan_result(asset)], idempotency_key=f"key-{asset}")
    again = await client.predict([scan_result(asset)], idempotency_key=f"key-{asset}")
    assert not first.replayed and again.replayed
    assert again.request_id == first.request_id
    assert (await client.asset(asset)).total == 1


async def test_separate_calls_get_separate_idempotency_keys(client: QscanClient):
    asset = unique("twice")
    await client.predict([scan_result(asset)])
    second = await client.predict([scan_result(asset)])
    assert not second.replayed
    assert (await client.asset(asset)).total == 2


async def test_an_idempotency_key_reused_with_another_body_is_refused(client: QscanClient):
    asset = unique("reuse")
    await client.predict([scan_result(asset)], idempotency_key=f"key-{asset}")
    with pytest.raises(QscanApiError) as caught:
        await client.predict([scan_result(asset, "MD5")], idempotency_key=f"key-{asset}")
    assert caught.value.code == "idempotency_key_reused"
