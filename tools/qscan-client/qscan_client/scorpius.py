"""A drop-in `integrate_with_scorpius()` for Scorpius's integration client.

It takes the same scan results and answers the same envelope as the original
(`{"original_results", "ai_predictions", "anomaly_detections",
"analysis_timestamp", "enhanced_risk_assessment"}`), in one request
(`POST /v1/enhance`) instead of health + predict + detect-anomalies, with
`degraded` beside it (and `degraded_reasons` when the bridge's fallback
answered). Like the original it never raises for a service problem: when the
service cannot be reached it answers `{"error": "Quantum Scanner AI service
unavailable"}`; when the service refuses the input, `{"error": ...}` with the
bridge's `error_code` and `error_details` (the path of every bad field).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from .client import QscanClient
from .errors import QscanApiError, QscanConnectionError, QscanError, QscanTimeoutError

UNAVAILABLE = "Quantum Scanner AI service unavailable"


async def integrate_with_scorpius(scan_results: Iterable[Mapping[str, Any]], *,
                                  client: QscanClient | None = None,
                                  **settings: Any) -> dict[str, Any]:
    """Scorpius's enhanced assessment of `scan_results` (a list of ScanResult dicts).

    Uses `client` when given (left open), else one made by `QscanClient.from_env(**settings)`
    (QSCAN_URL, QSCAN_API_KEY, QSCAN_CA_FILE, QSCAN_TLS_VERIFY, QSCAN_TIMEOUT; keyword
    arguments such as `base_url=` or `api_key=` win) and closed after the call.
    """
    own = client is None
    qs = client if client is not None else QscanClient.from_env(**settings)
    try:
        result = await qs.enhance(list(scan_results))
        return result.envelope()
    except QscanError as e:
        return _error_answer(e)
    finally:
        if own:
            await qs.close()


def _error_answer(e: QscanError) -> dict[str, Any]:
    """The `{"error": ...}` answer: unavailable when there was no usable answer."""
    unavailable = isinstance(e, (QscanConnectionError, QscanTimeoutError)) or (
        isinstance(e, QscanApiError) and (e.status or 0) >= 500)
    if unavailable:
        return {"error": UNAVAILABLE, "error_code": e.code}
    return {"error": f"Quantum Scanner AI service refused the request: {e.message}",
            "error_code": e.code,
            "error_details": [{"path": p.path, "problem": p.problem} for p in e.details]}
