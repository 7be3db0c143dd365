"""Typed answers about assets: history pages, series, changes, the list, the overview."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .analysis import Anomaly, Prediction


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class HistoryEntry:
    """One stored scan result of an asset, with the answers it got."""

    id: int
    request_id: str
    operation: str
    stored_at: str
    scan_result: dict[str, Any]
    prediction: Prediction | None
    anomaly: Anomaly | None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "HistoryEntry":
        prediction = None if d.get("prediction") is None else Prediction.from_json(d["prediction"])
        anomaly = None if d.get("anomaly") is None else Anomaly.from_json(d["anomaly"])
        return cls(int(d["id"]), str(d["request_id"]), str(d["operation"]), str(d["stored_at"]),
                   dict(d["scan_result"]), prediction, anomaly)


@dataclass(frozen=True)
class AssetPage:
    """GET /v1/assets/{id}: one page of an asset's history, newest first."""

    asset_id: str
    latest: HistoryEntry | None
    history: list[HistoryEntry]
    total: int
    next: str | None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "AssetPage":
        latest = None if d.get("latest") is None else HistoryEntry.from_json(d["latest"])
        return cls(str(d["asset_id"]), latest, [HistoryEntry.from_json(e) for e in d["history"]],
                   int(d["total"]), d.get("next"))


@dataclass(frozen=True)
class SeriesPoint:
    """One scan's value of a metric and the streaming detector's score (None at cold start)."""

    timestamp: str
    value: float
    anomaly_score: float | None
    is_anomaly: bool


@dataclass(frozen=True)
class AssetSeries:
    """GET /v1/assets/{id}/series: each metric series, oldest first, by name."""

    asset_id: str
    detector: str
    cold_start_points: int
    alert_score: float
    scans: int
    series: dict[str, list[SeriesPoint]]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "AssetSeries":
        series = {str(s["name"]): [SeriesPoint(str(p["timestamp"]), float(p["value"]),
                                               _opt_float(p["anomaly_score"]),
                                               bool(p["is_anomaly"])) for p in s["points"]]
                  for s in d["series"]}
        return cls(str(d["asset_id"]), str(d["detector"]), int(d["cold_start_points"]),
                   float(d["alert_score"]), int(d["scans"]), series)


@dataclass(frozen=True)
class EntryRef:
    """A stored entry that a comparison starts from or ends at."""

    id: int
    stored_at: str
    scan_timestamp: str

    @classmethod
    def from_json(cls, d: Mapping[str, Any] | None) -> "EntryRef | None":
        return None if d is None else cls(int(d["id"]), str(d["stored_at"]),
                                          str(d["scan_timestamp"]))


@dataclass(frozen=True)
class FindingChange:
    """A finding in a comparison of two entries."""

    type: str
    severity: str
    algorithm: str | None
    location: str
    title: str
    rule: str | None
    exploit_probability: float | None
    cve_id: str | None
    quantum_status: str | None = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "FindingChange":
        return cls(str(d["type"]), str(d["severity"]), d.get("algorithm"), str(d["location"]),
                   str(d["title"]), d.get("rule"), _opt_float(d.get("exploit_probability")),
                   d.get("cve_id"), d.get("quantum_status"))


@dataclass(frozen=True)
class Certificate:
    """A certificate that appeared or went away: its SHA-256 fingerprint, subject,
    expiry and key (`RSA-2048`)."""

    fingerprint: str
    subject: str
    not_after: str
    key: str | None = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Certificate":
        fingerprint = d["sha256"] if "sha256" in d else d["fingerprint"]
        return cls(str(fingerprint), str(d["subject"]), str(d["not_after"]), d.get("key"))


@dataclass(frozen=True)
class Changes:
    """GET /v1/assets/{id}/changes: what changed between two entries of an asset."""

    asset_id: str
    from_entry: EntryRef | None
    to_entry: EntryRef | None
    new: list[FindingChange]
    fixed: list[FindingChange]
    unchanged: list[FindingChange]
    algorithms_added: list[str]
    algorithms_removed: list[str]
    post_quantum_groups_gained: list[str]
    post_quantum_groups_lost: list[str]
    certificates_added: list[Certificate]
    certificates_removed: list[Certificate]
    quantum_risk_from: float | None
    quantum_risk_to: float | None
    summary: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Changes":
        f, alg, pq, certs, risk = (d["findings"], d["algorithms"], d["post_quantum_groups"],
                                   d["certificates"], d.get("quantum_risk") or {})

        def findings(key: str) -> list[FindingChange]:
            return [FindingChange.from_json(x) for x in f[key]]

        def certificates(key: str) -> list[Certificate]:
            return [Certificate.from_json(c) for c in certs[key]]
        return cls(str(d["asset_id"]), EntryRef.from_json(d.get("from")),
                   EntryRef.from_json(d.get("to")), findings("new"), findings("fixed"),
                   findings("unchanged"), list(alg["added"]), list(alg["removed"]),
                   list(pq["gained"]), list(pq["lost"]), certificates("added"),
                   certificates("removed"), _opt_float(risk.get("from")),
                   _opt_float(risk.get("to")), str(d.get("summary", "")), dict(d))


@dataclass(frozen=True)
class AssetSummary:
    """One row of GET /v1/assets."""

    asset_id: str
    asset_type: str
    last_seen: str
    scan_timestamp: str
    entries: int
    findings: int
    quantum_risk: float | None
    threat_score: float | None
    is_anomaly: bool | None
    risk: float
    risk_level: str
    source: str
    scan_job: str | None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "AssetSummary":
        return cls(str(d["asset_id"]), str(d["asset_type"]), str(d["last_seen"]),
                   str(d["scan_timestamp"]), int(d["entries"]), int(d["findings"]),
                   _opt_float(d.get("quantum_risk")), _opt_float(d.get("threat_score")),
                   d.get("is_anomaly"), float(d["risk"]), str(d["risk_level"]),
                   str(d["source"]), d.get("scan_job"))


@dataclass(frozen=True)
class AssetListPage:
    """GET /v1/assets: one page of the estate, sorted and filtered on the server."""

    assets: list[AssetSummary]
    total: int
    offset: int
    limit: int
    sort: str
    order: str
    q: str

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "AssetListPage":
        return cls([AssetSummary.from_json(a) for a in d["assets"]], int(d["total"]),
                   int(d["offset"]), int(d["limit"]), str(d["sort"]), str(d["order"]),
                   str(d.get("q") or ""))


@dataclass(frozen=True)
class Overview:
    """GET /v1/overview: the estate at a glance. The lists keep the bridge's objects."""

    assets: int
    by_risk_level: dict[str, int]
    vulnerable_algorithms: list[dict[str, Any]]
    tls_endpoints: int
    tls_with_post_quantum_group: int
    certificates_expiring: list[dict[str, Any]]
    most_likely_exploited: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]
    expiring_within_days: int | None = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Overview":
        days = d.get("expiring_within_days")
        return cls(int(d["assets"]), {k: int(v) for k, v in d["by_risk_level"].items()},
                   list(d["vulnerable_algorithms"]), int(d["tls_endpoints"]),
                   int(d["tls_with_post_quantum_group"]), list(d["certificates_expiring"]),
                   list(d["most_likely_exploited"]), list(d["deadlines"]),
                   None if days is None else int(days))
