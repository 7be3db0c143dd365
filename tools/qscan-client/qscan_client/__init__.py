"""qscan_client: an asyncio client of the Quantum Scanner (qscan) HTTP bridge.

    from qscan_client import QscanClient, integrate_with_scorpius

    async with QscanClient("http://127.0.0.1:8000", api_key=KEY) as qs:
        predictions = await qs.predict(scan_results)

    envelope = await integrate_with_scorpius(scan_results)   # configured by QSCAN_URL...

See README.md beside the package and docs/api/openapi.yaml for the HTTP contract.
"""

from .analysis import (Anomalies, Anomaly, Answered, Enhancement, FindingPrediction, Prediction,
                       Predictions, RiskAssessment, TrainResult)
from .assets import (AssetListPage, AssetPage, AssetSeries, AssetSummary, Certificate, Changes,
                     EntryRef, FindingChange, HistoryEntry, Overview, SeriesPoint)
from .client import QscanClient
from .errors import (Problem, QscanApiError, QscanConnectionError, QscanError, QscanProtocolError,
                     QscanTimeoutError)
from .scans import (ScanAccepted, ScanJob, ScanListPage, ScanProgress, ScanSummary,
                    ScanTargetResult, Schedule, ScheduleRun)
from .scorpius import UNAVAILABLE, integrate_with_scorpius
from .service import Cluster, ClusterNode, Cve, DeadLetter, Health, ModelDescription, ModelInfo
from .service import RoleState, Status
from .transport import RetryPolicy

__version__ = "0.1.0"

__all__ = [
    "Anomalies", "Anomaly", "Answered", "AssetListPage", "AssetPage", "AssetSeries",
    "AssetSummary", "Certificate", "Changes", "Cluster", "ClusterNode", "Cve", "DeadLetter",
    "Enhancement", "EntryRef", "FindingChange", "FindingPrediction", "Health", "HistoryEntry",
    "ModelDescription", "ModelInfo", "Overview", "Prediction", "Predictions", "Problem",
    "QscanApiError", "QscanClient", "QscanConnectionError", "QscanError", "QscanProtocolError",
    "QscanTimeoutError", "RetryPolicy", "RiskAssessment", "RoleState", "ScanAccepted", "ScanJob",
    "ScanListPage", "ScanProgress", "ScanSummary", "ScanTargetResult", "Schedule", "ScheduleRun",
    "SeriesPoint", "Status", "TrainResult", "UNAVAILABLE", "integrate_with_scorpius",
]
