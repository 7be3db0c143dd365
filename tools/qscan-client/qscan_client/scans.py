"""Typed answers about scan jobs and schedules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

FINISHED = frozenset({"done", "failed"})


@dataclass(frozen=True)
class ScanProgress:
    """Targets whose results are stored, of all the job's targets."""

    done: int
    total: int

    @property
    def fraction(self) -> float:
        """done / total, 0 to 1."""
        return self.done / self.total if self.total else 1.0

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "ScanProgress":
        return cls(int(d["done"]), int(d["total"]))


@dataclass(frozen=True)
class ScanAccepted:
    """POST /v1/scans: the job is stored and starts now."""

    id: str
    status: str
    total: int
    created_at: str
    links: dict[str, str]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "ScanAccepted":
        return cls(str(d["id"]), str(d["status"]), int(d["total"]), str(d["created_at"]),
                   dict(d["links"]))


@dataclass(frozen=True)
class ScanTargetResult:
    """One target's inventory, rating and analysis (`qscan scan`'s json format)."""

    target: str
    kind: str
    address: str | None
    error: str | None
    findings: list[dict[str, Any]]
    quantum_risk_score: float
    risk_level: str
    analysis: dict[str, Any] | None
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def degraded(self) -> bool:
        """True when the bridge's fallback answered this target's analysis."""
        return bool((self.analysis or {}).get("degraded"))

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "ScanTargetResult":
        return cls(str(d["target"]), str(d["kind"]), d.get("address"), d.get("error"),
                   list(d["findings"]), float(d["quantum_risk_score"]), str(d["risk_level"]),
                   d.get("analysis"), dict(d))


@dataclass(frozen=True)
class ScanJob:
    """GET /v1/scans/{id}: the job, its progress, and one page of its results."""

    id: str
    status: str
    error: str | None
    created_at: str
    updated_at: str
    progress: ScanProgress
    request: dict[str, Any] | None
    links: dict[str, str]
    results: list[ScanTargetResult]
    next: str | None

    @property
    def finished(self) -> bool:
        """True once the job is done or failed."""
        return self.status in FINISHED

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "ScanJob":
        return cls(str(d["id"]), str(d["status"]), d.get("error"), str(d["created_at"]),
                   str(d["updated_at"]), ScanProgress.from_json(d["progress"]), d.get("request"),
                   dict(d["links"]), [ScanTargetResult.from_json(r) for r in d["results"]],
                   d.get("next"))


@dataclass(frozen=True)
class ScanSummary:
    """One row of GET /v1/scans."""

    id: str
    status: str
    created_at: str
    updated_at: str
    error: str | None
    progress: ScanProgress
    targets: list[str]
    schedule: str | None
    links: dict[str, str]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "ScanSummary":
        return cls(str(d["id"]), str(d["status"]), str(d["created_at"]), str(d["updated_at"]),
                   d.get("error"), ScanProgress.from_json(d["progress"]), list(d["targets"]),
                   d.get("schedule"), dict(d["links"]))


@dataclass(frozen=True)
class ScanListPage:
    """GET /v1/scans: one page of scan jobs, newest first."""

    scans: list[ScanSummary]
    total: int
    offset: int
    limit: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "ScanListPage":
        return cls([ScanSummary.from_json(s) for s in d["scans"]], int(d["total"]),
                   int(d["offset"]), int(d["limit"]))


@dataclass(frozen=True)
class ScheduleRun:
    """The last scan a schedule started."""

    scan_id: str
    started_at: str
    status: str


@dataclass(frozen=True)
class Schedule:
    """A recurring scan: `every` ("6h") or `cron` ("0 3 * * *"), one of them."""

    id: str
    name: str | None
    targets: list[str]
    every: str | None
    cron: str | None
    jitter: str | None
    options: dict[str, Any]
    created_at: str
    next_run: str | None
    last_run: ScheduleRun | None
    links: dict[str, str]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Schedule":
        last = d.get("last_run")
        run = None if last is None else ScheduleRun(str(last["scan_id"]), str(last["started_at"]),
                                                    str(last["status"]))
        return cls(str(d["id"]), d.get("name"), list(d["targets"]), d.get("every"),
                   d.get("cron"), d.get("jitter"), dict(d.get("options") or {}),
                   str(d["created_at"]), d.get("next_run"), run, dict(d.get("links") or {}))
