"""Tests of the NAB scorer (nab_scoring.py) and its CLI (tools/nab-score).

Run from the repository root:
    python3 -m unittest discover -s tools/nab -p 'test_*.py'
"""

import csv
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import unittest
from datetime import datetime, timedelta
from pathlib import Path

import nab_scoring as nab

HERE = Path(__file__).resolve().parent
CLI = HERE.parent / "nab-score"
NAB_DATA = HERE.parents[1] / ".." / "shared" / "data" / "nab"

STANDARD = nab.DEFAULT_PROFILES["standard"]
LOW_FP = nab.DEFAULT_PROFILES["reward_low_FP_rate"]
LOW_FN = nab.DEFAULT_PROFILES["reward_low_FN_rate"]


def make_timestamps(count, start=datetime(2020, 1, 1)):
    """`count` timestamps five minutes apart, formatted as in NAB's CSVs."""
    return [(start + timedelta(minutes=5 * row)).strftime("%Y-%m-%d %H:%M:%S")
            for row in range(count)]


def window(timestamps, first, last):
    """The window spanning rows first..last."""
    return (timestamps[first], timestamps[last])


def spikes(count, rows, value=1.0):
    """Anomaly scores: `value` at `rows`, 0 elsewhere."""
    return [value if row in rows else 0.0 for row in range(count)]


def single_corpus(count, window_rows, detections):
    """A one-series corpus with windows at `window_rows` and score 1 at `detections`."""
    timestamps = make_timestamps(count)
    windows = [window(timestamps, first, last) for first, last in window_rows]
    series = nab.prepare_series("s.csv", timestamps, spikes(count, detections), windows)
    return nab.Corpus([series])


def unit_at(position):
    """Expected in-window unit value: scaled sigmoid normalised to 1 at the left edge."""
    return math.tanh(-2.5 * position) / math.tanh(2.5)


class RuleTest(unittest.TestCase):
    """Single-series scores worked out by hand: 100 rows, probation 15, window rows 40..49."""

    WINDOW = [(40, 49)]

    def raw(self, detections, profile=STANDARD, window_rows=None, count=100):
        corpus = single_corpus(count, self.WINDOW if window_rows is None else window_rows,
                               detections)
        return corpus.raw_score(profile, 0.5)

    def test_probationary_length(self):
        self.assertEqual(nab.probationary_length(100), 15)
        self.assertEqual(nab.probationary_length(1243), 186)
        self.assertEqual(nab.probationary_length(4032), 604)
        self.assertEqual(nab.probationary_length(22000), 750)

    def test_scaled_sigmoid(self):
        self.assertAlmostEqual(nab.scaled_sigmoid(-1.0), 0.98661, places=5)
        self.assertAlmostEqual(nab.scaled_sigmoid(-0.5), 0.84828, places=5)
        self.assertEqual(nab.scaled_sigmoid(0.0), 0.0)
        self.assertAlmostEqual(nab.scaled_sigmoid(1.0), -0.98661, places=5)
        self.assertEqual(nab.scaled_sigmoid(3.01), -1.0)

    def test_detection_at_window_start_earns_full_tp_weight(self):
        self.assertAlmostEqual(self.raw({40}), 1.0, places=12)
        self.assertAlmostEqual(self.raw({40}, LOW_FN), 1.0, places=12)

    def test_detection_in_window_middle_and_end(self):
        # Row i of window [40, 49] sits at position -(49 - i + 1) / 10.
        self.assertAlmostEqual(self.raw({45}), unit_at(-0.5), places=12)
        self.assertAlmostEqual(self.raw({45}), 0.8598, places=4)
        self.assertAlmostEqual(self.raw({49}), unit_at(-0.1), places=12)
        self.assertAlmostEqual(self.raw({49}), 0.2482, places=4)
        # In a wide window the last row is worth almost nothing (the sigmoid crosses 0 there).
        wide = single_corpus(1000, [(400, 499)], {499}).raw_score(STANDARD, 0.5)
        self.assertAlmostEqual(wide, unit_at(-0.01), places=12)
        self.assertLess(wide, 0.03)

    def test_false_positive_far_after_window(self):
        # (90 - 49) / (10 - 1) > 3 widths: full FP cost, plus the missed window.
        self.assertAlmostEqual(self.raw({90}), -0.11 - 1.0, places=12)
        self.assertAlmostEqual(self.raw({90}, LOW_FP), -0.22 - 1.0, places=12)
        self.assertAlmostEqual(self.raw({90}, LOW_FN), -0.11 - 2.0, places=12)

    def test_false_positive_before_any_window(self):
        self.assertAlmostEqual(self.raw({20}), -0.11 - 1.0, places=12)

    def test_false_positive_just_after_window_costs_less(self):
        expected = -0.11 * math.tanh(2.5 / 9) - 1.0  # position 1 / (width - 1)
        self.assertAlmostEqual(self.raw({50}), expected, places=12)
        self.assertGreater(self.raw({50}), self.raw({51}))

    def test_false_positive_without_any_window(self):
        self.assertAlmostEqual(self.raw({50}, window_rows=[]), -0.11, places=12)

    def test_missed_window_costs_fn_weight(self):
        two = [(30, 39), (60, 69)]
        self.assertEqual(self.raw(set(), window_rows=two), -2.0)
        self.assertEqual(self.raw(set(), LOW_FN, window_rows=two), -4.0)
        self.assertAlmostEqual(self.raw({30}, LOW_FN, window_rows=two), 1.0 - 2.0, places=12)

    def test_detections_in_probationary_period_are_ignored(self):
        self.assertEqual(self.raw(set(range(15))), -1.0)
        self.assertAlmostEqual(self.raw({15}), -0.11 - 1.0, places=12)

    def test_window_inside_probationary_period_is_not_scored(self):
        corpus = single_corpus(100, [(2, 8), (40, 49)], {3})
        self.assertEqual(corpus.window_count, 1)
        self.assertEqual(corpus.raw_score(STANDARD, 0.5), -1.0)

    def test_only_first_detection_in_window_counts(self):
        self.assertAlmostEqual(self.raw({40, 47}), 1.0, places=12)
        self.assertAlmostEqual(self.raw({45, 46, 49}), unit_at(-0.5), places=12)
        self.assertEqual(self.raw({45, 46, 49}), self.raw({45}))

    def test_threshold_is_inclusive(self):
        timestamps = make_timestamps(100)
        series = nab.prepare_series("s.csv", timestamps, spikes(100, {40}, 0.7),
                                    [window(timestamps, 40, 49)])
        corpus = nab.Corpus([series])
        self.assertAlmostEqual(corpus.raw_score(STANDARD, 0.7), 1.0, places=12)
        self.assertEqual(corpus.raw_score(STANDARD, 0.71), -1.0)

    def test_inexact_window_bounds_use_rows_inside(self):
        timestamps = make_timestamps(100)
        start = (datetime.fromisoformat(timestamps[39]) + timedelta(minutes=1)).isoformat(" ")
        end = (datetime.fromisoformat(timestamps[49]) + timedelta(minutes=1)).isoformat(" ")
        series = nab.prepare_series("s.csv", timestamps, spikes(100, {40}), [(start, end)])
        self.assertAlmostEqual(nab.Corpus([series]).raw_score(STANDARD, 0.5), 1.0, places=12)

    def test_repeated_timestamps(self):
        # NAB's CSVs repeat a timestamp at DST changes; a window ends at the first copy.
        timestamps = make_timestamps(100)
        timestamps[50] = timestamps[49]
        units = nab.prepare_series("s.csv", timestamps, [0.0] * 100,
                                   [window(timestamps, 40, 49)]).points
        self.assertEqual(units[49 - 15].window, 0)
        self.assertIsNone(units[50 - 15].window)
        timestamps[51] = timestamps[48]
        with self.assertRaisesRegex(ValueError, "not in order"):
            nab.prepare_series("s.csv", timestamps, [0.0] * 100, [])

    def test_invalid_inputs_are_rejected(self):
        timestamps = make_timestamps(10)
        with self.assertRaisesRegex(ValueError, "not in"):
            nab.prepare_series("s.csv", timestamps, [0.0] * 9 + [1.5], [])
        with self.assertRaisesRegex(ValueError, "scores"):
            nab.prepare_series("s.csv", timestamps, [0.0] * 9, [])
        with self.assertRaisesRegex(ValueError, "no row"):
            nab.prepare_series("s.csv", timestamps, [0.0] * 10, [("2030-01-01", "2030-01-02")])


def hand_made_corpus():
    """Six series: (name, timestamps, window row spans), some with several windows."""
    layout = [(100, [(40, 49)]), (120, [(30, 41), (70, 81)]), (200, []),
              (150, [(25, 34), (60, 69), (120, 129)]), (80, [(50, 57)]), (300, [(200, 229)])]
    corpus = []
    for index, (count, spans) in enumerate(layout):
        timestamps = make_timestamps(count, datetime(2020, 1, 1 + index))
        corpus.append(("cat/s%d.csv" % index, timestamps,
                       [window(timestamps, first, last) for first, last in spans]))
    return corpus


def prepared(series, detector):
    """Prepare (name, timestamps, windows) triples scored by detector(timestamps, windows)."""
    return nab.Corpus(nab.prepare_series(name, timestamps, detector(timestamps, windows), windows)
                      for name, timestamps, windows in series)


def perfect_detector(timestamps, windows):
    """Score 1 at the first row inside each window, 0 elsewhere."""
    starts = {next(row for row, stamp in enumerate(timestamps)
                   if nab.parse_timestamp(stamp) >= nab.parse_timestamp(start))
              for start, _ in windows}
    return spikes(len(timestamps), starts)


def null_detector(timestamps, _windows):
    """Never detects anything."""
    return [0.0] * len(timestamps)


class NormalisationTest(unittest.TestCase):
    """Null = 0 and perfect = 100 on random subsets of the hand-made series."""

    def test_null_and_perfect_on_subsets(self):
        series = hand_made_corpus()
        rng = random.Random(7)
        for _ in range(10):
            subset = rng.sample(series, rng.randint(1, len(series)))
            if not any(windows for _, _, windows in subset):
                continue
            for name, profile in nab.DEFAULT_PROFILES.items():
                with self.subTest(subset=[item[0] for item in subset], profile=name):
                    perfect = prepared(subset, perfect_detector).tune(profile)
                    self.assertAlmostEqual(perfect.normalised_score, 100.0, places=9)
                    self.assertEqual(perfect.threshold, 1.0)
                    null = prepared(subset, null_detector).tune(profile)
                    self.assertEqual(null.normalised_score, 0.0)
                    self.assertEqual(null.threshold, nab.NO_DETECTION_THRESHOLD)

    def test_normalise_formula(self):
        corpus = prepared(hand_made_corpus(), null_detector)
        self.assertEqual(corpus.window_count, 8)
        self.assertEqual(corpus.normalise(LOW_FN, -16.0), 0.0)
        self.assertEqual(corpus.normalise(LOW_FN, 8.0), 100.0)
        self.assertAlmostEqual(corpus.normalise(LOW_FN, 0.0), 100.0 * 16 / 24, places=12)

    def test_no_window_makes_normalisation_undefined(self):
        corpus = prepared([hand_made_corpus()[2]], null_detector)
        with self.assertRaisesRegex(ValueError, "no scorable window"):
            corpus.tune(STANDARD)


def random_corpus(rng):
    """A few short random series with random windows and coarse (often tied) scores."""
    series = []
    for index in range(rng.randint(1, 3)):
        count = rng.randint(8, 60)
        timestamps = make_timestamps(count, datetime(2021, 1, 1 + index))
        edges = sorted(rng.sample(range(count), 2 * rng.randint(0, 3)))
        spans = [(edges[k], edges[k + 1]) for k in range(0, len(edges), 2)]
        if rng.random() < 0.5:
            scores = [rng.choice((0.0, 0.25, 0.5, 0.75, 1.0)) for _ in range(count)]
        else:
            scores = [rng.random() for _ in range(count)]
        windows = [window(timestamps, first, last) for first, last in spans]
        series.append(nab.prepare_series("r%d.csv" % index, timestamps, scores, windows))
    return nab.Corpus(series)


class SweepTest(unittest.TestCase):
    """The one-pass sweep agrees with rescoring the corpus at every candidate threshold."""

    def brute_force(self, corpus, profile):
        candidates = {point.anomaly_score for item in corpus.series for point in item.points}
        best = None
        for threshold in sorted(candidates | {nab.NO_DETECTION_THRESHOLD}, reverse=True):
            score = corpus.raw_score(profile, threshold)
            if best is None or score > best[1] + 1e-9:
                best = (threshold, score)
        return best

    def test_sweep_matches_brute_force(self):
        rng = random.Random(2024)
        checked = 0
        while checked < 300:
            corpus = random_corpus(rng)
            if corpus.window_count == 0:
                continue
            checked += 1
            for name, profile in nab.DEFAULT_PROFILES.items():
                threshold, score = self.brute_force(corpus, profile)
                tuned = corpus.tune(profile)
                with self.subTest(case=checked, profile=name):
                    self.assertAlmostEqual(tuned.raw_score, score, places=9)
                    self.assertAlmostEqual(corpus.raw_score(profile, tuned.threshold), score,
                                           places=9)
                    self.assertEqual(tuned.threshold, threshold)
                    self.assertAlmostEqual(tuned.normalised_score,
                                           corpus.normalise(profile, score), places=9)


class LoadTest(unittest.TestCase):
    """Reading the windows and profiles files."""

    def test_load_profiles_and_windows(self):
        with tempfile.TemporaryDirectory() as folder:
            profiles = {name: {"CostMatrix": {"tpWeight": 2.0, "fpWeight": 0.5 + k,
                                              "fnWeight": 3.0, "tnWeight": 1.0}}
                        for k, name in enumerate(nab.PROFILE_NAMES)}
            path = Path(folder, "profiles.json")
            path.write_text(json.dumps(profiles))
            loaded = nab.load_profiles(path)
            self.assertEqual(loaded["reward_low_FN_rate"], nab.CostMatrix(2.0, 2.5, 3.0))
            del profiles["standard"]
            path.write_text(json.dumps(profiles))
            with self.assertRaisesRegex(ValueError, "standard"):
                nab.load_profiles(path)
            path = Path(folder, "windows.json")
            spans = [["2014-04-10 07:15:00.000000", "2014-04-11 16:45:00.000000"]]
            path.write_text(json.dumps({"a/b.csv": spans, "c/d.csv": []}))
            self.assertEqual(nab.load_windows(path), {
                "a/b.csv": [(datetime(2014, 4, 10, 7, 15), datetime(2014, 4, 11, 16, 45))],
                "c/d.csv": []})

    @unittest.skipUnless((NAB_DATA / "config" / "profiles.json").is_file(), "no NAB data")
    def test_nab_profiles_file_matches_built_in(self):
        self.assertEqual(nab.load_profiles(NAB_DATA / "config" / "profiles.json"),
                         nab.DEFAULT_PROFILES)


def write_csv(path, header, rows):
    """Write a CSV with a header line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


FAKE_QSCAN = textwrap.dedent("""\
    #!/usr/bin/env python3
    # Fake `qscan anomaly score`: the anomaly score is the input's value.
    import csv, sys
    if sys.argv[1:3] != ["anomaly", "score"] or sys.argv[3] != "--input" \\
            or sys.argv[5:] != ["--detector", "echo"]:
        sys.exit("fake qscan: unexpected arguments %s" % sys.argv[1:])
    rows = list(csv.reader(open(sys.argv[4])))
    print("timestamp,value,anomaly_score")
    for stamp, value in rows[1:]:
        print("%s,%s,%s" % (stamp, value, value))
    """)


class CliTest(unittest.TestCase):
    """tools/nab-score end to end on a temporary hand-made corpus.

    a.csv: window rows 40..49, detected at 40 (+1); b.csv: window rows 60..69,
    missed (-fn); c.csv: no window, a false positive at row 50 (-fp).
    """

    COUNT = 100
    LAYOUT = {"catA/a.csv": ((40, 49), 40), "catB/b.csv": ((60, 69), None),
              "catB/c.csv": (None, 50)}

    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.root = Path(self.folder.name)
        self.corpus, self.results = self.root / "corpus", self.root / "results"
        windows = {}
        for index, (key, (span, detection)) in enumerate(self.LAYOUT.items()):
            timestamps = make_timestamps(self.COUNT, datetime(2020, 2, 1 + index))
            windows[key] = [] if span is None else [list(window(timestamps, *span))]
            values = spikes(self.COUNT, {detection})
            write_csv(self.corpus / key, ["timestamp", "value"], zip(timestamps, values))
            write_csv(self.results / key, ["timestamp", "value", "anomaly_score"],
                      zip(timestamps, values, values))
        self.windows = self.root / "windows.json"
        self.windows.write_text(json.dumps(windows))

    def tearDown(self):
        self.folder.cleanup()

    def run_cli(self, *extra):
        command = [sys.executable, str(CLI), "--corpus", str(self.corpus),
                   "--windows", str(self.windows), *extra]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    def last_json(self, done):
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])

    def test_scores_from_results_folder(self):
        scores = self.last_json(self.run_cli("--results", str(self.results)))
        # raw = 1 - fn - fp; null = -2 fn; perfect = 2.
        self.assertEqual(scores, {"standard": round(100 * (2 - 0.11) / 4, 2),
                                  "reward_low_FP_rate": round(100 * (2 - 0.22) / 4, 2),
                                  "reward_low_FN_rate": round(100 * (4 - 1 - 0.11) / 6, 2)})
        self.assertEqual(scores, {"standard": 47.25, "reward_low_FP_rate": 44.5,
                                  "reward_low_FN_rate": 48.17})

    def test_profiles_file_is_used(self):
        profiles = {name: {"CostMatrix": {"tpWeight": 1.0, "fpWeight": 1.0, "fnWeight": 1.0}}
                    for name in nab.PROFILE_NAMES}
        path = self.root / "profiles.json"
        path.write_text(json.dumps(profiles))
        scores = self.last_json(self.run_cli("--results", str(self.results),
                                             "--profiles", str(path)))
        self.assertEqual(scores, dict.fromkeys(nab.PROFILE_NAMES, 25.0))  # (2 - 1) / 4

    def test_runs_qscan(self):
        qscan = self.root / "qscan"
        qscan.write_text(FAKE_QSCAN)
        qscan.chmod(0o755)
        done = self.run_cli("--qscan", str(qscan), "--detector", "echo")
        self.assertEqual(self.last_json(done)["standard"], 47.25)
        self.assertIn("threshold 1.000000", done.stderr)
        failed = self.run_cli("--qscan", str(qscan), "--detector", "other")
        self.assertEqual(failed.returncode, 1)
        self.assertIn("unexpected arguments", failed.stderr)

    def test_row_count_mismatch_is_an_error(self):
        path = self.results / "catB" / "b.csv"
        path.write_text("".join(path.read_text().splitlines(keepends=True)[:-1]))
        done = self.run_cli("--results", str(self.results))
        self.assertEqual(done.returncode, 1)
        self.assertIn("has 99 rows, the input has 100", done.stderr)

    def test_timestamp_mismatch_is_an_error(self):
        path = self.results / "catA" / "a.csv"
        path.write_text(path.read_text().replace("2020-02-01 00:10:00", "2020-02-01 00:11:00"))
        done = self.run_cli("--results", str(self.results))
        self.assertEqual(done.returncode, 1)
        self.assertIn("row 3", done.stderr)

    def test_usage_errors_exit_2(self):
        self.assertEqual(subprocess.run([sys.executable, str(CLI), "--corpus", str(self.corpus)],
                                        capture_output=True, check=False).returncode, 2)
        self.assertEqual(self.run_cli("--results", str(self.root / "missing")).returncode, 2)


@unittest.skipUnless((NAB_DATA / "combined_windows.json").is_file(),
                     "NAB data not found at %s" % os.path.normpath(NAB_DATA))
class RealCorpusTest(unittest.TestCase):
    """Perfect and null detectors over the real NAB subset score 100 and 0."""

    @classmethod
    def setUpClass(cls):
        windows = nab.load_windows(NAB_DATA / "combined_windows.json")
        cls.series = []
        for key, spans in sorted(windows.items()):
            with open(NAB_DATA / "data" / key, newline="") as handle:
                timestamps = [row[0] for row in list(csv.reader(handle))[1:]]
            cls.series.append((key, timestamps, spans))

    def test_perfect_and_null_detectors(self):
        perfect = prepared(self.series, perfect_detector)
        null = prepared(self.series, null_detector)
        self.assertEqual(perfect.window_count, 50)
        for name, profile in nab.DEFAULT_PROFILES.items():
            with self.subTest(profile=name):
                self.assertAlmostEqual(perfect.tune(profile).normalised_score, 100.0, places=9)
                self.assertEqual(null.tune(profile).normalised_score, 0.0)


if __name__ == "__main__":
    unittest.main()
