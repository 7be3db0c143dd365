#!/usr/bin/env python3
"""The web console in a real browser, against a real `qscan serve`.

usage: console_test.py QSCAN_BINARY LAB_DIR OUT_DIR

Starts `qscan serve` on 127.0.0.1 (port 0) in a temporary folder, fills it
through the API (120 posted assets, one with 24 scans and a jump its series
detector marks, assets whose ids, finding titles and locations are HTML and
script, one posted to predict) and with a real scan job of the TLS lab's
servers (tools/tls-lab, the CTest fixture "scan: lab up", LAB_DIR/targets),
then drives headless Chromium (chromium-driver, python3-selenium) through the
console the way a person would and checks what it shows against the API:
the overview's numbers, the asset list (50 rows a page; sorted, searched and
paged by the server), an asset's plots with the anomaly marked, changes
(empty, and answered 200, for an asset with one scan), a scanned asset's
crypto inventory, scan jobs with their reports, the cluster's nodes; that no
injected markup ran; and that the browser logged no error and every request
it made (only to 127.0.0.1) was answered 2xx or 3xx. A second server with API
keys checks the key prompt, what a read key is offered and what an admin key
can do (start a scan, add and delete a schedule). Screenshots go to OUT_DIR (a build folder), never the source tree.

Prints one line per check and `N passed, M failed`; exits 1 on any failure.
"""

import os
import shutil
import sys
import tempfile
import time

import console_support as cs
import console_views as views

READ_KEY = "console-read-key-0123456789"
ADMIN_KEY = "console-admin-key-0123456789"
LAB_NAMES = ["rsa2048", "ecdsa-p256", "x25519-only", "rsa1024", "expired", "bun-pq", "sshd-default"]


class Checks:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.passed = 0
        self.failed = []
        self.driver = None

    def run(self, name, fn, *args):
        """Runs one check; a failure is recorded (with a screenshot) and the next check runs."""
        try:
            fn(*args)
        except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the run
            reason = f"{type(e).__name__}: {e}".strip().splitlines()
            self.failed.append(name)
            print(f"FAIL {name}: {' / '.join(reason[:6])}", flush=True)
            if self.driver is not None:
                try:
                    self.driver.save_screenshot(os.path.join(self.out_dir, "failed-" + slug(name) + ".png"))
                except Exception:  # noqa: BLE001
                    pass
            return False
        self.passed += 1
        print(f"ok   {name}", flush=True)
        return True


def slug(name):
    return "".join(c if c.isalnum() else "-" for c in name.lower())[:60]


def open_server_checks(ck, server, lab_dir, downloads):
    api = cs.Api(server.port)
    ids = cs.fill(api)
    targets = cs.lab_targets(lab_dir, LAB_NAMES)
    if len(targets) < 3:
        raise cs.Failure(f"the lab in {lab_dir} lists {len(targets)} of the servers needed")
    scan = cs.run_scan(api, targets)
    again = cs.run_scan(api, targets[:1])  # a second scan: its asset has changes to show
    if scan["status"] != "done" or again["status"] != "done":
        raise cs.Failure(f"scan jobs ended {scan['status']} and {again['status']}")
    scanned = targets[0]

    driver = cs.browser(downloads)
    ck.driver = driver
    log = cs.LogBook()
    v = views.Views(driver, server, api, ck.out_dir)
    try:
        ck.run("the console's files carry the security headers", views.check_headers, server.port)
        ck.run("the overview's numbers are the API's", v.overview)
        ck.run("the Assets link lists 50 assets a page, as the API orders them", v.assets_first_page)
        ck.run("sorting by asset id is done by the server, both ways", v.assets_sorted)
        ck.run("search is done by the server", v.assets_searched, "asset-01")
        ck.run("the next page is the API's next page", v.assets_next_page)
        ck.run("an asset's series are plotted with the anomaly marked", v.asset_series, ids["series"])
        ck.run("an asset with one scan shows no changes, answered 200", v.asset_one_scan, ids["bulk"][0], log)
        for n, xss in enumerate(ids["xss"]):
            ck.run(f"markup in asset {n}'s id and findings is shown as text", v.asset_markup_as_text, xss)
        ck.run("markup in the asset list is shown as text", v.list_markup_as_text, ids["xss"])
        ck.run("a scanned asset shows its crypto inventory and changes", v.scanned_asset, scanned)
        ck.run("scan jobs show progress and download their CBOM", v.scans, downloads, [scan["id"], again["id"]])
        ck.run("a scan job lists each target's result", v.scan_job, scan["id"], len(targets))
        ck.run("the cluster's nodes and roles are shown", v.cluster)
        ck.run("no injected script ran anywhere", v.nothing_injected_ran)
    finally:
        log.read(driver)
        ck.run("the browser logged no error and every request was answered 2xx or 3xx",
               views.no_problems, log, server.port)
        driver.quit()
        ck.driver = None


def keyed_server_checks(ck, server, lab_dir, downloads):
    admin = cs.Api(server.port, ADMIN_KEY)
    admin.post("/ai-threat-predictor/detect-anomalies", {"scan_results": [
        cs.scan_result(f"keyed-{i}", "2026-02-01T10:00:00", cs.vulnerabilities(i)) for i in range(3)]})
    target = cs.lab_targets(lab_dir, ["rsa2048"])
    driver = cs.browser(downloads)
    ck.driver = driver
    log = cs.LogBook()
    v = views.Views(driver, server, admin, ck.out_dir)
    try:
        ck.run("with keys, the page asks for one (without a 401)", v.key_prompt, log)
        ck.run("a read key sees the estate but is offered no scan or schedule", v.read_key, READ_KEY)
        ck.run("the key is kept for the tab only", v.key_in_session_only, READ_KEY)
        ck.run("an admin key is offered scans and starts one", v.admin_key, ADMIN_KEY, target)
        ck.run("an admin key adds a schedule and deletes it", v.admin_schedule, target)
    finally:
        log.read(driver)
        ck.run("with keys, the browser logged no error and every request was answered 2xx or 3xx",
               views.no_problems, log, server.port)
        driver.quit()
        ck.driver = None


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    binary, lab_dir, out_dir = argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    for old in os.listdir(out_dir):
        if old.endswith(".png"):
            os.remove(os.path.join(out_dir, old))
    ck = Checks(out_dir)
    workdir = tempfile.mkdtemp(prefix="qscan-console-")
    servers = []
    started = time.monotonic()
    try:
        keys = os.path.join(workdir, "api-keys")
        with open(keys, "w") as f:
            f.write(f"{READ_KEY} reader user 1000 1000\n{ADMIN_KEY} ops admin 1000 1000\n")
        servers.append(cs.Server(binary, workdir, "open"))
        servers.append(cs.Server(binary, workdir, "keyed", ["--api-keys", keys]))
        for s in servers:
            s.wait_listening()
        downloads = os.path.join(workdir, "downloads")
        os.makedirs(downloads)
        ck.run("the open server was filled and browsed", open_server_checks, ck, servers[0], lab_dir, downloads)
        ck.run("the keyed server was browsed", keyed_server_checks, ck, servers[1], lab_dir, downloads)
    except cs.Failure as e:
        ck.failed.append("setup")
        print(f"FAIL setup: {e}")
    finally:
        for s in servers:
            code = s.stop()
            if code not in (0, -15):
                ck.failed.append(f"{s.name} server exits cleanly")
                print(f"FAIL {s.name} server exits cleanly: exit {code}: {s.stderr_tail()}")
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{ck.passed} passed, {len(ck.failed)} failed ({time.monotonic() - started:.0f} s); "
          f"screenshots in {out_dir}")
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main(sys.argv))
