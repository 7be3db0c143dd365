"""Cross-validated NAB scores: what a detector would score on series it was not tuned on.

Every threshold, and the choice among candidate settings when there are several,
is made on the training series of a split only (NAB's sweep over them); the
held-out series are then scored at those thresholds and normalised on their own
windows (null detector 0, perfect detector 100).

Splits over a corpus whose keys are "category/name.csv":

* category folds: for each real category (a name starting with "real"), train
  on every other series (the artificial ones included) and test on it;
* leave one series out: for each real series, train on every other series and
  test on it.  Pooled, the held-out raw scores are normalised over the windows
  of all the real series; per series, over the series' own windows (undefined
  for a series without windows: its false positives are reported instead).

Typical use::

    report = cross_validate({"ensemble": series_by_key}, DEFAULT_PROFILES)
"""

from typing import Dict, List, NamedTuple, Optional, Sequence

from nab_scoring import Corpus, CostMatrix, SeriesPoints

SELECTION_PROFILE = "standard"


class Split(NamedTuple):
    """Which series a split trains on and which it scores."""

    name: str
    train: List[str]
    test: List[str]


class HeldOutScore(NamedTuple):
    """One profile's result on the test series of a split."""

    threshold: float  # tuned on the training series
    raw: float
    normalised: Optional[float]  # None when the test series have no window
    windows: int
    detected: int  # windows with a detection
    false_positives: int  # detections outside windows (rows at or above the threshold)


class SplitResult(NamedTuple):
    """A split's chosen candidate and its score per profile on the test series."""

    split: Split
    candidate: str
    scores: Dict[str, HeldOutScore]


def category_of(key: str) -> str:
    """The category of a corpus key "category/name.csv"."""
    return key.split("/", 1)[0]


def is_real(key: str) -> bool:
    """Whether a series comes from a real-world category ("real...")."""
    return category_of(key).startswith("real")


def category_splits(keys: Sequence[str]) -> List[Split]:
    """One split per real category: train on every other series, test on it."""
    keys = sorted(keys)
    splits = []
    for held in sorted({category_of(key) for key in keys if is_real(key)}):
        train = [key for key in keys if category_of(key) != held]
        test = [key for key in keys if category_of(key) == held]
        splits.append(Split("the rest -> %s" % held, train, test))
    return splits


def leave_one_out_splits(keys: Sequence[str]) -> List[Split]:
    """One split per real series: train on every other series, test on it."""
    keys = sorted(keys)
    return [Split(key, [other for other in keys if other != key], [key])
            for key in keys if is_real(key)]


def detections(series: Sequence[SeriesPoints], threshold: float):
    """(windows detected, false-positive rows) of `series` at `threshold`."""
    detected = false_positives = 0
    for item in series:
        windows = set()
        for point in item.points:
            if point.anomaly_score < threshold:
                continue
            if point.window is None:
                false_positives += 1
            else:
                windows.add(point.window)
        detected += len(windows)
    return detected, false_positives


def score_held_out(series: Sequence[SeriesPoints], profile: CostMatrix,
                   threshold: float) -> HeldOutScore:
    """Score `series` at a threshold chosen elsewhere."""
    corpus = Corpus(series)
    raw = corpus.raw_score(profile, threshold)
    normalised = corpus.normalise(profile, raw) if corpus.window_count else None
    detected, false_positives = detections(series, threshold)
    return HeldOutScore(threshold, raw, normalised, corpus.window_count, detected,
                        false_positives)


def run_split(split: Split, candidates: Dict[str, Dict[str, SeriesPoints]],
              profiles: Dict[str, CostMatrix]) -> SplitResult:
    """Choose a candidate and thresholds on the training series; score the test series.

    The candidate is the one with the best training score under the standard
    profile (the first listed among equals); each profile then gets its own
    threshold, as NAB tunes them.
    """
    trained = {name: Corpus(by_key[key] for key in split.train)
               for name, by_key in candidates.items()}
    selection = profiles[SELECTION_PROFILE]
    chosen = max(trained, key=lambda name: (trained[name].tune(selection).raw_score,
                                            -list(trained).index(name)))
    test = [candidates[chosen][key] for key in split.test]
    scores = {profile_name: score_held_out(test, profile,
                                           trained[chosen].tune(profile).threshold)
              for profile_name, profile in profiles.items()}
    return SplitResult(split, chosen, scores)


def pooled(results: Sequence[SplitResult], profile_name: str,
           profile: CostMatrix) -> Optional[float]:
    """Normalised score of all the held-out raw scores together (over all their windows)."""
    windows = sum(result.scores[profile_name].windows for result in results)
    if windows == 0:
        return None
    raw = sum(result.scores[profile_name].raw for result in results)
    null, perfect = -profile.fn_weight * windows, profile.tp_weight * windows
    return 100.0 * (raw - null) / (perfect - null)


def mean(values) -> Optional[float]:
    """Mean of the values that are not None; None when there are none."""
    values = [value for value in values if value is not None]
    return sum(values) / len(values) if values else None


class CrossValidation(NamedTuple):
    """Every split's result and the summaries."""

    folds: List[SplitResult]
    fold_mean: Dict[str, Optional[float]]
    loso: List[SplitResult]
    loso_pooled: Dict[str, Optional[float]]
    loso_series_mean: Dict[str, Optional[float]]
    no_anomaly_false_positives: List[int]  # per fold, standard threshold, no-window artificial


def cross_validate(candidates: Dict[str, Dict[str, SeriesPoints]],
                   profiles: Dict[str, CostMatrix]) -> CrossValidation:
    """Category folds and leave-one-series-out over the real series.

    `candidates` maps a candidate's name to its prepared series by key; every
    candidate must cover the same keys.
    """
    keys = sorted(next(iter(candidates.values())))
    for name, by_key in candidates.items():
        if sorted(by_key) != keys:
            raise ValueError("candidate %s does not cover the same series" % name)
    folds = [run_split(split, candidates, profiles) for split in category_splits(keys)]
    loso = [run_split(split, candidates, profiles) for split in leave_one_out_splits(keys)]
    first = next(iter(candidates.values()))
    quiet = [key for key in keys if not is_real(key) and first[key].window_count == 0]
    no_anomaly = [detections([candidates[fold.candidate][key] for key in quiet],
                             fold.scores[SELECTION_PROFILE].threshold)[1] for fold in folds]
    return CrossValidation(
        folds,
        {name: mean(fold.scores[name].normalised for fold in folds) for name in profiles},
        loso,
        {name: pooled(loso, name, profile) for name, profile in profiles.items()},
        {name: mean(result.scores[name].normalised for result in loso) for name in profiles},
        no_anomaly)
