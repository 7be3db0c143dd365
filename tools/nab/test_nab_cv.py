"""Tests of the cross-validation (nab_cv.py) and of `tools/nab-score --cv`.

Run from the repository root:
    python3 -m unittest discover -s tools/nab -p 'test_*.py'

The hand-made corpus has 100-row series (15 probationary rows) and one window
each at rows 40..49 or 60..69:

    artificialNoAnomaly/q.csv     no window; 0.3 at row 50 (a false positive)
    artificialWithAnomaly/a.csv   window 40..49: 0.9 at row 40; 0.5 at row 80
    realX/x1.csv                  window 40..49: 0.5 at row 40
    realX/x2.csv                  window 60..69: 0.9 at row 60
    realY/y1.csv                  window 40..49: 0.5 at row 40; 0.9 at row 80

Every false positive here lies over 3 window widths past a window or outside
any, so each costs the full fpWeight (0.11 in the standard profile).
"""

import json
import subprocess
import sys
import tempfile
import unittest
from datetime import datetime
from pathlib import Path

import nab_cv
import nab_scoring as nab
from test_nab_scoring import make_timestamps, window, write_csv

CLI = Path(__file__).resolve().parent.parent / "nab-score"
COUNT = 100
LAYOUT = {
    "artificialNoAnomaly/q.csv": (None, {50: 0.3}),
    "artificialWithAnomaly/a.csv": ((40, 49), {40: 0.9, 80: 0.5}),
    "realX/x1.csv": ((40, 49), {40: 0.5}),
    "realX/x2.csv": ((60, 69), {60: 0.9}),
    "realY/y1.csv": ((40, 49), {40: 0.5, 80: 0.9}),
}


def timestamps_of(index):
    return make_timestamps(COUNT, datetime(2020, 3, 1 + index))


def scores_of(marks):
    return [marks.get(row, 0.0) for row in range(COUNT)]


def candidate(layout=None):
    """{key: prepared series} of the corpus, with the scores of `layout`."""
    layout = layout or LAYOUT
    prepared = {}
    for index, (key, (span, marks)) in enumerate(layout.items()):
        timestamps = timestamps_of(index)
        windows = [] if span is None else [window(timestamps, *span)]
        prepared[key] = nab.prepare_series(key, timestamps, scores_of(marks), windows)
    return prepared


class SplitTest(unittest.TestCase):
    def test_category_folds_hold_out_each_real_category(self):
        splits = nab_cv.category_splits(list(LAYOUT))
        self.assertEqual([split.test for split in splits], [["realX/x1.csv", "realX/x2.csv"],
                                                           ["realY/y1.csv"]])
        self.assertEqual(splits[0].train, ["artificialNoAnomaly/q.csv",
                                           "artificialWithAnomaly/a.csv", "realY/y1.csv"])
        self.assertTrue(splits[0].name.endswith("-> realX"))

    def test_leave_one_out_covers_the_real_series_only(self):
        splits = nab_cv.leave_one_out_splits(list(LAYOUT))
        self.assertEqual([split.name for split in splits],
                         ["realX/x1.csv", "realX/x2.csv", "realY/y1.csv"])
        for split in splits:
            self.assertEqual(len(split.train), 4)
            self.assertNotIn(split.name, split.train)


class CrossValidationTest(unittest.TestCase):
    def test_thresholds_come_from_the_training_series(self):
        cv = nab_cv.cross_validate({"a": candidate()}, nab.DEFAULT_PROFILES)
        fold_x, fold_y = cv.folds
        # Training on q, a, y1: 0.5 scores 1 - 0.11 + 1 - 0.11 = 1.78, above 0.9 and 0.3.
        self.assertEqual(fold_x.scores["standard"].threshold, 0.5)
        self.assertAlmostEqual(fold_x.scores["standard"].normalised, 100.0)
        # realY at 0.5: its window found (+1) and its false positive (-0.11), of 1 window.
        self.assertEqual(fold_y.scores["standard"].threshold, 0.5)
        self.assertAlmostEqual(fold_y.scores["standard"].normalised, 100 * (0.89 + 1) / 2)
        self.assertEqual(fold_y.scores["standard"].false_positives, 1)
        self.assertAlmostEqual(cv.fold_mean["standard"], (100 + 94.5) / 2)
        self.assertEqual(cv.no_anomaly_false_positives, [0, 0])  # 0.3 is under both thresholds
        # Leave one out: every series is scored at 0.5, 3 windows found, one false positive.
        self.assertAlmostEqual(cv.loso_pooled["standard"], 100 * (3 - 0.11 + 3) / 6)
        self.assertAlmostEqual(cv.loso_series_mean["standard"], (100 + 100 + 94.5) / 3)

    def test_a_candidate_is_chosen_on_the_training_series_only(self):
        better_in_training = dict(LAYOUT)
        better_in_training["realY/y1.csv"] = ((40, 49), {40: 0.5})  # no false positive
        better_in_training["realX/x1.csv"] = ((40, 49), {})  # but x1's window missed
        cv = nab_cv.cross_validate({"a": candidate(), "b": candidate(better_in_training)},
                                   nab.DEFAULT_PROFILES)
        fold_x = cv.folds[0]
        self.assertEqual(fold_x.candidate, "b")
        self.assertAlmostEqual(fold_x.scores["standard"].normalised, 50.0)  # one of 2 windows

    def test_candidates_must_cover_the_same_series(self):
        partial = candidate()
        del partial["realY/y1.csv"]
        with self.assertRaises(ValueError):
            nab_cv.cross_validate({"a": candidate(), "b": partial}, nab.DEFAULT_PROFILES)


class CliCrossValidationTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        root = Path(self.folder.name)
        self.corpus, self.results = root / "corpus", root / "results"
        windows = {}
        for index, (key, (span, marks)) in enumerate(LAYOUT.items()):
            timestamps = timestamps_of(index)
            windows[key] = [] if span is None else [list(window(timestamps, *span))]
            values = scores_of(marks)
            write_csv(self.corpus / key, ["timestamp", "value"], zip(timestamps, values))
            write_csv(self.results / key, ["timestamp", "value", "anomaly_score"],
                      zip(timestamps, values, values))
        self.windows = root / "windows.json"
        self.windows.write_text(json.dumps(windows))

    def tearDown(self):
        self.folder.cleanup()

    def test_cv_prints_folds_mean_and_leave_one_out(self):
        done = subprocess.run([sys.executable, str(CLI), "--cv", "--corpus", str(self.corpus),
                               "--windows", str(self.windows), "--results", str(self.results)],
                              capture_output=True, text=True, check=False)
        self.assertEqual(done.returncode, 0, done.stderr)
        summary = json.loads(done.stdout.strip().splitlines()[-1])
        self.assertEqual(summary["fold_mean"]["standard"], 97.25)
        self.assertEqual(summary["loso"]["standard"], 98.17)
        self.assertEqual(summary["loso_series"]["realY/y1.csv"]["standard"], 94.5)
        self.assertEqual(summary["no_anomaly_false_positives"], [0, 0])
        self.assertIn("mean of the folds", done.stderr)
        self.assertIn("realX/x2.csv", done.stderr)

    def test_several_candidates_need_cv(self):
        done = subprocess.run([sys.executable, str(CLI), "--corpus", str(self.corpus),
                               "--windows", str(self.windows), "--results", str(self.results),
                               "--results", str(self.results)],
                              capture_output=True, text=True, check=False)
        self.assertEqual(done.returncode, 2)


if __name__ == "__main__":
    unittest.main()
