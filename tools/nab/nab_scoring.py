"""Numenta Anomaly Benchmark (NAB) scoring, standard library only.

Implements NAB v1.1's scoring rules (see /work/shared/data/nab/README.md and
numenta/NAB's nab/sweeper.py, nab/optimizer.py, nab/runner.py):

* The first 15% of each series (at most 750 rows) is a probationary period:
  rows there are neither rewarded nor penalised, and a window lying wholly
  inside it is not scored.
* A row is a detection when its anomaly score is >= the threshold.
* Inside a window, a row's value is the scaled sigmoid of its relative
  position, normalised so that the window's first row earns the full
  tpWeight; only the earliest detection in a window counts.
* Outside windows, a detection adds fpWeight times the (negative) sigmoid of
  its distance past the previous window (-1 with no previous window).
* Every window with no detection adds -fnWeight.
* One threshold per profile is chosen to maximise the raw score of the whole
  corpus; raw scores are normalised so that the null detector scores 0 and
  the perfect detector 100.

Typical use::

    windows = load_windows("combined_windows.json")
    corpus = Corpus([prepare_series(name, timestamps, scores, windows[name])
                     for name, timestamps, scores in series])
    results = score_profiles(corpus, DEFAULT_PROFILES)
"""

import json
import math
from bisect import bisect_left
from datetime import datetime
from operator import itemgetter
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

PROBATIONARY_PERCENT = 0.15
MAX_PROBATIONARY_ROWS = 750  # NAB: probationPercent * 5000
NO_DETECTION_THRESHOLD = 1.1  # NAB's sweep starts above every score in [0, 1]
PROFILE_NAMES = ("standard", "reward_low_FP_rate", "reward_low_FN_rate")


class CostMatrix(NamedTuple):
    """The weights of one scoring profile."""

    tp_weight: float
    fp_weight: float
    fn_weight: float


DEFAULT_PROFILES = {
    "standard": CostMatrix(tp_weight=1.0, fp_weight=0.11, fn_weight=1.0),
    "reward_low_FP_rate": CostMatrix(tp_weight=1.0, fp_weight=0.22, fn_weight=1.0),
    "reward_low_FN_rate": CostMatrix(tp_weight=1.0, fp_weight=0.11, fn_weight=2.0),
}


class RowPoint(NamedTuple):
    """One scorable (post-probation) row of a series.

    ``window`` is the index of the row's window among the series' scorable
    windows, or None outside windows.  ``unit`` is the row's value for a
    weight of 1: in a window the scaled sigmoid divided by its value at the
    window's first row (so in (0, 1]); outside a window the sigmoid itself
    (in [-1, 1), negative once past the window's right edge).
    """

    anomaly_score: float
    window: Optional[int]
    unit: float


class SeriesPoints(NamedTuple):
    """A series ready for scoring: its scorable rows in row order."""

    name: str
    points: List[RowPoint]
    window_count: int


class TuningResult(NamedTuple):
    """The best threshold of a profile over a corpus, and its scores."""

    threshold: float
    raw_score: float
    normalised_score: float


def parse_timestamp(value) -> datetime:
    """Return ``value`` as a datetime; strings are ISO 8601 ("2014-04-01 00:00:00")."""
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value.strip())
    except (AttributeError, ValueError):
        raise ValueError("not a timestamp: %r" % (value,)) from None


def load_windows(path) -> Dict[str, List[Tuple[datetime, datetime]]]:
    """Read a NAB windows file: {"category/name.csv": [[start, end], ...]}."""
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    return {name: [(parse_timestamp(start), parse_timestamp(end)) for start, end in spans]
            for name, spans in raw.items()}


def load_profiles(path) -> Dict[str, CostMatrix]:
    """Read the three NAB profiles from a profiles.json ({"name": {"CostMatrix": {...}}})."""
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    profiles = {}
    for name in PROFILE_NAMES:
        try:
            matrix = raw[name]["CostMatrix"]
            profiles[name] = CostMatrix(tp_weight=float(matrix["tpWeight"]),
                                        fp_weight=float(matrix["fpWeight"]),
                                        fn_weight=float(matrix["fnWeight"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError("%s: profile %r has no valid CostMatrix (%s)"
                             % (path, name, error)) from None
    return profiles


def probationary_length(row_count: int) -> int:
    """Rows at the start of a series that are not scored (NAB's rule)."""
    return min(math.floor(PROBATIONARY_PERCENT * row_count), MAX_PROBATIONARY_ROWS)


def scaled_sigmoid(position: float) -> float:
    """NAB's scaled sigmoid of a position relative to a window.

    -1 is the window's left edge, 0 its right edge, > 0 past it in window
    widths; beyond 3 widths the value is -1.
    """
    if position > 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * position)) - 1.0


MAX_TRUE_POSITIVE = scaled_sigmoid(-1.0)


def window_row_ranges(timestamps: Sequence[datetime],
                      windows: Iterable[Tuple[datetime, datetime]]) -> List[Tuple[int, int]]:
    """Map windows to (first row, last row) index pairs.

    A window spans the rows t with start <= t <= end, except that, as in NAB's
    sweeper, it ends at the first row stamped ``end`` when there are several.
    ``timestamps`` must be non-decreasing; windows must be in order and disjoint.
    """
    ranges = []
    for start, end in windows:
        start, end = parse_timestamp(start), parse_timestamp(end)
        first = bisect_left(timestamps, start)
        last = bisect_left(timestamps, end)
        if last == len(timestamps) or timestamps[last] != end:
            last -= 1
        if first > last:
            raise ValueError("window [%s, %s] contains no row" % (start, end))
        if ranges and first <= ranges[-1][1]:
            raise ValueError("window [%s, %s] overlaps or precedes the previous one"
                             % (start, end))
        ranges.append((first, last))
    return ranges


def row_units(row_count: int,
              ranges: Sequence[Tuple[int, int]]) -> List[Tuple[Optional[int], float]]:
    """Per row: (index of its window or None, unit value), per NAB's sweeper.

    In a window [left, right] the position of row i is -(right - i + 1) / width.
    Past a window the position is (i - right) / (width - 1) of the previous
    window (the width - 1 is NAB's; a 1-row window uses 1 to stay defined).
    """
    units = []
    window = 0
    previous = None  # (right, width) of the last window passed
    for row in range(row_count):
        if window < len(ranges) and ranges[window][0] <= row:
            left, right = ranges[window]
            width = right - left + 1
            units.append((window, scaled_sigmoid(-(right - row + 1) / width) / MAX_TRUE_POSITIVE))
            if row == right:
                previous = (right, width)
                window += 1
        elif previous is None:
            units.append((None, -1.0))
        else:
            right, width = previous
            units.append((None, scaled_sigmoid((row - right) / max(width - 1, 1))))
    return units


def prepare_series(name: str, timestamps: Sequence, scores: Sequence[float],
                   windows: Iterable[Tuple]) -> SeriesPoints:
    """Turn one series (timestamps, anomaly scores in [0, 1], windows) into scorable rows."""
    if len(timestamps) != len(scores):
        raise ValueError("%s: %d timestamps but %d scores" % (name, len(timestamps), len(scores)))
    times = [parse_timestamp(value) for value in timestamps]
    if any(later < earlier for earlier, later in zip(times, times[1:])):
        raise ValueError("%s: timestamps are not in order" % name)
    for row, score in enumerate(scores):
        if not 0.0 <= score <= 1.0:
            raise ValueError("%s: row %d: anomaly score %r is not in [0, 1]" % (name, row, score))
    try:
        ranges = window_row_ranges(times, windows)
    except ValueError as error:
        raise ValueError("%s: %s" % (name, error)) from None
    skip = probationary_length(len(times))
    units = row_units(len(times), ranges)[skip:]
    first_window = next((k for k, (_, right) in enumerate(ranges) if right >= skip), len(ranges))
    points = [RowPoint(float(score), None if window is None else window - first_window, unit)
              for score, (window, unit) in zip(scores[skip:], units)]
    return SeriesPoints(name, points, len(ranges) - first_window)


class Corpus:
    """A set of prepared series, scored together with one threshold per profile."""

    def __init__(self, series: Iterable[SeriesPoints]):
        self.series = list(series)
        self.window_count = sum(item.window_count for item in self.series)
        self._ranked = self._rank_points()

    def _rank_points(self) -> List[Tuple[float, Optional[int], float]]:
        """All scorable rows as (score, corpus-wide window id or None, unit), best first."""
        ranked = []
        offset = 0
        for item in self.series:
            ranked.extend((point.anomaly_score,
                           None if point.window is None else offset + point.window,
                           point.unit)
                          for point in item.points)
            offset += item.window_count
        ranked.sort(key=itemgetter(0), reverse=True)
        return ranked

    def null_score(self, profile: CostMatrix) -> float:
        """Raw score of a detector that never detects: every window missed."""
        return -profile.fn_weight * self.window_count

    def perfect_score(self, profile: CostMatrix) -> float:
        """Raw score of one detection at the start of every window and no other."""
        return profile.tp_weight * self.window_count

    def normalise(self, profile: CostMatrix, raw: float) -> float:
        """Map a raw score to the scale null detector = 0, perfect detector = 100."""
        null, perfect = self.null_score(profile), self.perfect_score(profile)
        if perfect == null:
            raise ValueError("no scorable window in the corpus: the normalised score is undefined")
        return 100.0 * (raw - null) / (perfect - null)

    def raw_score(self, profile: CostMatrix, threshold: float) -> float:
        """Raw score at one threshold, computed directly row by row."""
        total = 0.0
        for item in self.series:
            detected = set()
            for point in item.points:
                if point.anomaly_score < threshold:
                    continue
                if point.window is None:
                    total += profile.fp_weight * point.unit
                elif point.window not in detected:
                    detected.add(point.window)
                    total += profile.tp_weight * point.unit
            total -= profile.fn_weight * (item.window_count - len(detected))
        return total

    def tune(self, profile: CostMatrix) -> TuningResult:
        """Best threshold for ``profile``: one sweep down the ranked rows (NAB's sweeper).

        Candidates are NO_DETECTION_THRESHOLD and every distinct score of a
        scorable row; among equal raw scores the highest threshold wins.
        """
        best_window_unit = [None] * self.window_count
        score = self.null_score(profile)
        best_threshold, best_score = NO_DETECTION_THRESHOLD, score
        ranked = self._ranked
        index = 0
        while index < len(ranked):
            threshold = ranked[index][0]
            while index < len(ranked) and ranked[index][0] == threshold:
                score += self._activation_gain(profile, ranked[index], best_window_unit)
                index += 1
            if score > best_score:
                best_threshold, best_score = threshold, score
        return TuningResult(best_threshold, best_score, self.normalise(profile, best_score))

    @staticmethod
    def _activation_gain(profile: CostMatrix, ranked_point, best_window_unit) -> float:
        """Change of the raw score when one more row becomes a detection.

        A window's value is that of its best, i.e. earliest, detected row.
        """
        _, window, unit = ranked_point
        if window is None:
            return profile.fp_weight * unit
        previous = best_window_unit[window]
        if previous is None:
            best_window_unit[window] = unit
            return profile.fn_weight + profile.tp_weight * unit
        if unit > previous:
            best_window_unit[window] = unit
            return profile.tp_weight * (unit - previous)
        return 0.0


def score_profiles(corpus: Corpus, profiles: Dict[str, CostMatrix]) -> Dict[str, TuningResult]:
    """Tune the threshold of every profile over ``corpus``."""
    return {name: corpus.tune(profile) for name, profile in profiles.items()}
