"""Typed answers of the analysis routes: predict, detect-anomalies, enhance, train.

Each answer class carries, beside its results, what every analysis answer has:
`request_id`, `degraded` (the bridge's local fallback answered: the results are
rule-based, and `degraded_reasons` says why), `warnings` (older shapes mapped)
and `replayed` (the stored answer to an earlier try of the same call). Timestamps
stay the ISO 8601 strings the bridge sends (`datetime.fromisoformat` reads them).
Each item keeps the whole JSON object it came from in `raw`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from .transport import Answer


@dataclass(frozen=True, kw_only=True)
class Answered:
    """What every analysis answer carries beside its results."""

    request_id: str = ""
    degraded: bool = False
    degraded_reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    replayed: bool = False

    @staticmethod
    def common(body: Mapping[str, Any], answer: Answer) -> dict[str, Any]:
        """The common fields, from the body and the answer's headers."""
        return {"request_id": str(body.get("request_id") or answer.request_id or ""),
                "degraded": bool(body.get("degraded")) or answer.degraded,
                "degraded_reasons": [str(r) for r in body.get("degraded_reasons") or []],
                "warnings": [str(w) for w in body.get("warnings") or []],
                "replayed": answer.replayed}


@dataclass(frozen=True)
class FindingPrediction:
    """One finding's part of a prediction: its probability of being exploited."""

    exploit_probability: float
    known_exploited: bool
    catalogued: bool
    cve_id: str | None = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "FindingPrediction":
        return cls(float(d["exploit_probability"]), bool(d["known_exploited"]),
                   bool(d["catalogued"]), d.get("cve_id"))


@dataclass(frozen=True)
class Prediction:
    """The threat prediction of one scan result."""

    threat_score: float
    threat_types: list[str]
    confidence: float
    mitigation_steps: list[str]
    predicted_at: str
    model_version: str | None
    findings: list[FindingPrediction]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Prediction":
        return cls(float(d["threat_score"]), list(d["threat_types"]), float(d["confidence"]),
                   list(d["mitigation_steps"]), str(d["predicted_at"]), d.get("model_version"),
                   [FindingPrediction.from_json(f) for f in d.get("findings") or []], dict(d))


@dataclass(frozen=True)
class Anomaly:
    """The anomaly answer of one scan result."""

    is_anomaly: bool
    anomaly_score: float
    anomaly_types: list[str]
    confidence: float
    detected_at: str
    details: list[str]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Anomaly":
        return cls(bool(d["is_anomaly"]), float(d["anomaly_score"]), list(d["anomaly_types"]),
                   float(d["confidence"]), str(d["detected_at"]), list(d.get("details") or []),
                   dict(d))


@dataclass(frozen=True, kw_only=True)
class Predictions(Answered):
    """POST /ai-threat-predictor/predict: one prediction per scan result, same order."""

    predictions: list[Prediction]

    def __iter__(self) -> Iterator[Prediction]:
        return iter(self.predictions)

    def __len__(self) -> int:
        return len(self.predictions)

    def __getitem__(self, i: int) -> Prediction:
        return self.predictions[i]

    @classmethod
    def from_answer(cls, answer: Answer) -> "Predictions":
        body = answer.json()
        return cls(predictions=[Prediction.from_json(p) for p in body["predictions"]],
                   **Answered.common(body, answer))


@dataclass(frozen=True, kw_only=True)
class Anomalies(Answered):
    """POST /ai-threat-predictor/detect-anomalies: one answer per scan result, same order."""

    anomalies: list[Anomaly]

    def __iter__(self) -> Iterator[Anomaly]:
        return iter(self.anomalies)

    def __len__(self) -> int:
        return len(self.anomalies)

    def __getitem__(self, i: int) -> Anomaly:
        return self.anomalies[i]

    @classmethod
    def from_answer(cls, answer: Answer) -> "Anomalies":
        body = answer.json()
        return cls(anomalies=[Anomaly.from_json(a) for a in body["anomalies"]],
                   **Answered.common(body, answer))


@dataclass(frozen=True)
class RiskAssessment:
    """The combined risk; only `overall_risk` and `risk_factors` when there were no results."""

    overall_risk: float
    risk_factors: list[str]
    quantum_risk: float | None = None
    ai_threat_risk: float | None = None
    anomaly_rate: float | None = None
    risk_level: str | None = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "RiskAssessment":
        def number(key: str) -> float | None:
            return None if d.get(key) is None else float(d[key])
        return cls(float(d["overall_risk"]), list(d["risk_factors"]), number("quantum_risk"),
                   number("ai_threat_risk"), number("anomaly_rate"), d.get("risk_level"))


@dataclass(frozen=True, kw_only=True)
class Enhancement(Answered):
    """POST /v1/enhance: predictions, anomalies and the combined risk in one answer."""

    original_results: list[dict[str, Any]]
    predictions: list[Prediction]
    anomalies: list[Anomaly]
    analysis_timestamp: str
    risk: RiskAssessment
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_answer(cls, answer: Answer) -> "Enhancement":
        body = answer.json()
        return cls(original_results=list(body["original_results"]),
                   predictions=[Prediction.from_json(p) for p in body["ai_predictions"]],
                   anomalies=[Anomaly.from_json(a) for a in body["anomaly_detections"]],
                   analysis_timestamp=str(body["analysis_timestamp"]),
                   risk=RiskAssessment.from_json(body["enhanced_risk_assessment"]),
                   raw=dict(body), **Answered.common(body, answer))

    def envelope(self) -> dict[str, Any]:
        """The envelope of Scorpius's `integrate_with_scorpius()`, with `degraded`
        (and `degraded_reasons` when true) beside it."""
        out = {key: self.raw[key] for key in ("original_results", "ai_predictions",
                                              "anomaly_detections", "analysis_timestamp",
                                              "enhanced_risk_assessment")}
        out["degraded"] = self.degraded
        if self.degraded:
            out["degraded_reasons"] = list(self.degraded_reasons)
        return out


@dataclass(frozen=True, kw_only=True)
class TrainResult(Answered):
    """POST /ai-threat-predictor/train: what was stored, and the live model."""

    status: str
    model_type: str
    stored_examples: int
    labelled_examples: int
    exploited_examples: int
    retrained: bool
    model_version: str
    accuracy: float | None
    message: str
    training_job: dict[str, Any] | None
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_answer(cls, answer: Answer) -> "TrainResult":
        b = answer.json()
        return cls(status=str(b["status"]), model_type=str(b["model_type"]),
                   stored_examples=int(b["stored_examples"]),
                   labelled_examples=int(b["labelled_examples"]),
                   exploited_examples=int(b["exploited_examples"]),
                   retrained=bool(b["retrained"]), model_version=str(b["model_version"]),
                   accuracy=None if b.get("accuracy") is None else float(b["accuracy"]),
                   message=str(b["message"]), training_job=b.get("training_job"), raw=dict(b),
                   **Answered.common(b, answer))
