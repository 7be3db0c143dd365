"""The exceptions the client raises.

Every failure is a `QscanError` carrying the bridge's error shape
(`{"error": {"code", "message", "details": [{"path", "problem"}]}}`): the
`code` to decide on, the `message` for people, and `details` with the path of
every bad field. A caller never parses a message to learn what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence


@dataclass(frozen=True)
class Problem:
    """One bad field: its JSON path (`scan_results[0].asset_id`, "" for the whole body)."""

    path: str
    problem: str

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "Problem":
        """Reads one `details` item (`problem`, or `message` as some routes spell it)."""
        text = raw.get("problem", raw.get("message", ""))
        return cls(path=str(raw.get("path", "")), problem=str(text))


class QscanError(Exception):
    """A call that did not succeed: an error answer, or no usable answer at all."""

    def __init__(self, code: str, message: str, *, status: int | None = None,
                 details: Sequence[Problem] = (), request_id: str | None = None,
                 retry_after: float | None = None, attempts: int = 1) -> None:
        super().__init__(f"{code}: {message}" if status is None else f"{status} {code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.details: tuple[Problem, ...] = tuple(details)
        self.request_id = request_id
        self.retry_after = retry_after
        self.attempts = attempts

    @property
    def paths(self) -> list[str]:
        """The path of every problem in `details`."""
        return [p.path for p in self.details]


class QscanApiError(QscanError):
    """The bridge answered with an error status (`status` is set)."""


class QscanConnectionError(QscanError):
    """No answer: the bridge could not be reached (`unreachable`) or TLS failed (`tls`)."""


class QscanTimeoutError(QscanError):
    """No answer within the client's timeout (`timeout`)."""


class QscanProtocolError(QscanError):
    """An answer that is not what the contract says (`bad_answer`)."""


def api_error(status: int, body: Any, *, request_id: str | None,
              retry_after: float | None, attempts: int) -> QscanApiError:
    """The exception for an error answer, from its body when it has the error shape."""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        details = [Problem.from_json(d) for d in error.get("details") or [] if isinstance(d, dict)]
        return QscanApiError(str(error.get("code", f"http_{status}")), str(error.get("message", "")),
                             status=status, details=details, request_id=request_id,
                             retry_after=retry_after, attempts=attempts)
    return QscanApiError(f"http_{status}", "the answer has no error object", status=status,
                         request_id=request_id, retry_after=retry_after, attempts=attempts)
