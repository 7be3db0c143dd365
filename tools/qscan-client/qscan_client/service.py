"""Typed answers about the service itself: health, status, models, the cluster, CVEs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class RoleState:
    """One role (bridge, predictor, anomaly, persistence, ...) as the bridge sees it."""

    state: str
    reason: str | None = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "RoleState":
        return cls(str(d["state"]), d.get("reason"))


def _roles(d: Mapping[str, Any]) -> dict[str, RoleState]:
    return {name: RoleState.from_json(r) for name, r in (d.get("roles") or {}).items()}


@dataclass(frozen=True)
class Health:
    """A health answer. Scorpius's route says `status == "healthy"` whenever the
    bridge answers; `/v1/health` says "ok" or "degraded". `degraded` tells both."""

    status: str
    degraded: bool
    timestamp: str
    version: str
    roles: dict[str, RoleState]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def healthy(self) -> bool:
        """What Scorpius's original client checked: `status == "healthy"`."""
        return self.status == "healthy"

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Health":
        return cls(str(d["status"]), bool(d["degraded"]), str(d["timestamp"]),
                   str(d["version"]), _roles(d), dict(d))


@dataclass(frozen=True)
class Status:
    """GET /status: version, uptime and each service's state."""

    service: str
    version: str
    cluster_id: str
    status: str
    started_at: str
    uptime_seconds: float
    timestamp: str
    services: dict[str, str]
    roles: dict[str, RoleState]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def degraded(self) -> bool:
        """True when some service is not ok (`status` is "degraded")."""
        return self.status != "operational"

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Status":
        return cls(str(d["service"]), str(d["version"]), str(d["cluster_id"]), str(d["status"]),
                   str(d["started_at"]), float(d["uptime_seconds"]), str(d["timestamp"]),
                   {k: str(v) for k, v in d["services"].items()}, _roles(d), dict(d))


@dataclass(frozen=True)
class ModelDescription:
    """One model: its version, validation ROC-AUC (`accuracy`, None for rules)."""

    version: str
    accuracy: float | None
    last_trained: str | None
    kind: str
    description: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "ModelDescription":
        accuracy = None if d.get("accuracy") is None else float(d["accuracy"])
        return cls(str(d["version"]), accuracy, d.get("last_trained"), str(d["kind"]),
                   str(d["description"]), dict(d))


@dataclass(frozen=True)
class ModelInfo:
    """GET /ai-threat-predictor/model-info: the models answering now."""

    threat_predictor: ModelDescription
    anomaly_detector: ModelDescription
    training_examples: dict[str, int] | None
    versions: list[dict[str, Any]]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "ModelInfo":
        return cls(ModelDescription.from_json(d["threat_predictor"]),
                   ModelDescription.from_json(d["anomaly_detector"]), d.get("training_examples"),
                   list(d.get("versions") or []), dict(d))


@dataclass(frozen=True)
class ClusterNode:
    """One node of the cluster with its state and load."""

    id: str
    public_key: str
    address: str
    roles: list[str]
    roles_down: list[str]
    state: str
    heartbeat_age_ms: int
    tasks_done: int
    tasks_in_flight: int
    restarts: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "ClusterNode":
        return cls(str(d["id"]), str(d["public_key"]), str(d["address"]), list(d["roles"]),
                   list(d["roles_down"]), str(d["state"]), int(d["heartbeat_age_ms"]),
                   int(d["tasks_done"]), int(d["tasks_in_flight"]), int(d["restarts"]))


@dataclass(frozen=True)
class DeadLetter:
    """A task the cluster set aside after it failed on every node it tried."""

    task_id: str
    role: str
    reason: str
    attempts: int
    failed_on: list[str]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "DeadLetter":
        return cls(str(d["task_id"]), str(d["role"]), str(d["reason"]), int(d["attempts"]),
                   list(d["failed_on"]))


@dataclass(frozen=True)
class Cluster:
    """GET /v1/cluster: every node, the coordinator first, and the dead letters."""

    cluster_id: str
    nodes: list[ClusterNode]
    dead_letters: list[DeadLetter]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Cluster":
        return cls(str(d["cluster_id"]), [ClusterNode.from_json(n) for n in d["nodes"]],
                   [DeadLetter.from_json(x) for x in d["dead_letters"]])


@dataclass(frozen=True)
class Cve:
    """GET /v1/cves/{id}: a catalogued CVE with the live model's probability."""

    id: str
    exploit_probability: float
    percentile: float
    in_kev: bool
    kev_date_added: str | None
    model_version: str
    explanation: list[tuple[str, float]]
    record: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Cve":
        return cls(str(d["cve"]["id"]), float(d["exploit_probability"]), float(d["percentile"]),
                   bool(d["in_kev"]), d.get("kev_date_added"), str(d["model_version"]),
                   [(str(e["feature"]), float(e["log_odds"])) for e in d["explanation"]],
                   dict(d["cve"]))
