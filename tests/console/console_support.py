"""What the console's browser test stands on: a real `qscan serve` child, a
small HTTP client for the API, the data it is filled with, and a headless
Chromium (chromium-driver) whose console and network logs are read back.

Only 127.0.0.1 is ever contacted (the browser's resolver maps every other name
to nothing); every wait has a deadline.
"""

import http.client
import json
import os
import queue
import re
import signal
import subprocess
import threading
import time
import urllib.parse

HOST = "127.0.0.1"
STARTUP_DEADLINE = 30.0   # seconds for a server to print its listening line
REQUEST_TIMEOUT = 30.0    # seconds for one API request
STOP_DEADLINE = 20.0      # seconds for SIGTERM to end a server
SCAN_DEADLINE = 240.0     # seconds for a scan job of the lab's servers

# Values from outside that must show as text: were one read as markup, it would
# set window.__qsXss (or change the title, or add an <img src=x>).
XSS_IDS = [
    '<img src=x onerror="window.__qsXss=1;document.title=\'pwned\'">',
    "<script>window.__qsXss=2</script>",
]
XSS_TITLE = "<img src=x onerror=window.__qsXss=3> weak <b>key</b>"
XSS_LOCATION = "<script>window.__qsXss=4</script>"
XSS_TYPE = "<svg onload=window.__qsXss=5>"


class Failure(AssertionError):
    pass


# --------------------------------------------------------------------- server


class Server:
    """One `qscan serve` child on 127.0.0.1, on a port it chose itself."""

    def __init__(self, binary, workdir, name, extra_args=()):
        self.name = name
        self.log_path = os.path.join(workdir, name + ".stderr")
        self.port = None
        self._lines = queue.Queue()
        args = [binary, "serve", "--listen", f"{HOST}:0",
                "--data-dir", os.path.join(workdir, name + "-data"), *extra_args]
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._log)
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for raw in self.proc.stdout:
            self._lines.put(raw.decode("utf-8", "replace"))
        self._lines.put(None)

    def wait_listening(self):
        deadline = time.monotonic() + STARTUP_DEADLINE
        pattern = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if line is None:
                break
            m = pattern.search(line)
            if m:
                self.port = int(m.group(1))
                return self
        raise Failure(f"{self.name}: no listening line (exit {self.proc.poll()}): {self.stderr_tail()}")

    @property
    def base(self):
        return f"http://{HOST}:{self.port}"

    def stderr_tail(self):
        self._log.flush()
        with open(self.log_path, "rb") as f:
            return f.read()[-1500:].decode("utf-8", "replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_DEADLINE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()
        return self.proc.returncode


class Api:
    """JSON calls to a bridge, with an optional key."""

    def __init__(self, port, key=None):
        self.port = port
        self.key = key

    def call(self, method, path, body=None, expect=(200,)):
        headers = {"Accept": "application/json"}
        if self.key:
            headers["Authorization"] = "Bearer " + self.key
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
            status, hdrs = resp.status, {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        if expect and status not in expect:
            raise Failure(f"{method} {path}: {status} {raw[:300]!r}")
        parsed = None
        if raw and hdrs.get("content-type", "").split(";")[0].strip().endswith("json"):
            parsed = json.loads(raw)
        return status, hdrs, parsed if parsed is not None else raw

    def get(self, path, **params):
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        return self.call("GET", path + ("?" + query if query else ""))[2]

    def post(self, path, body, expect=(200, 201, 202)):
        return self.call("POST", path, body, expect)[2]


def asset_path(asset_id, tail=""):
    return "/v1/assets/" + urllib.parse.quote(asset_id, safe="") + tail


# ----------------------------------------------------------------------- data


def vulnerabilities(i):
    """A few findings for bulk asset number i: varied severities and algorithms."""
    kinds = [("quantum_vulnerable", "high", "RSA-2048"), ("quantum_vulnerable", "critical", "RSA-1024"),
             ("weak_crypto", "medium", "SHA-1"), ("quantum_vulnerable", "medium", "ECDSA P-256"),
             ("misconfiguration", "low", None)]
    out = []
    for k in range(i % 5):
        vtype, severity, alg = kinds[(i + k) % len(kinds)]
        v = {"type": vtype, "severity": severity, "location": f"/srv/app{i}/{k}",
             "title": f"finding {k} of asset {i}"}
        if alg:
            v["algorithm"] = alg
        out.append(v)
    return out


def scan_result(asset_id, timestamp, vulns, quantum=None, metadata=None):
    r = {"asset_id": asset_id, "asset_type": "web_service", "timestamp": timestamp,
         "vulnerabilities": vulns, "metadata": metadata or {}}
    if quantum is not None:
        r["quantum_risk_score"] = quantum
    return r


def findings_on(day):
    """web-01's findings a day: steady with a wobble, a jump on day 21 (an anomaly)."""
    return 40 if day == 21 else 3 + day % 2


def fill(api, bulk=120):
    """Posts the estate the test looks at; returns the ids it named."""
    detect = "/ai-threat-predictor/detect-anomalies"
    ids = [f"asset-{i:03d}" for i in range(bulk)]
    for start in range(0, bulk, 40):
        batch = [scan_result(ids[i], "2026-02-01T10:00:00", vulnerabilities(i), quantum=round(i / bulk, 3))
                 for i in range(start, min(bulk, start + 40))]
        api.post(detect, {"scan_results": batch})
    for day in range(1, 25):
        vulns = [{"type": "misconfiguration", "severity": "low", "title": f"open port {k}"}
                 for k in range(findings_on(day))]
        api.post(detect, {"scan_results": [scan_result("web-01", f"2026-01-{day:02d}T10:00:00", vulns)]})
    for n, xss in enumerate(XSS_IDS):
        for day in (1, 2):
            vulns = [{"type": XSS_TYPE, "severity": "high", "algorithm": "RSA-1024",
                      "location": XSS_LOCATION, "title": XSS_TITLE, "description": XSS_TITLE}]
            if day == 2:
                vulns.append({"type": "weak_crypto", "severity": "medium", "algorithm": "SHA-1",
                              "location": XSS_LOCATION, "title": "<i>second</i> finding"})
            api.post(detect, {"scan_results": [scan_result(
                xss, f"2026-02-0{day}T1{n}:00:00", vulns, metadata={"owner": "<b>team</b>"})]})
    api.post("/ai-threat-predictor/predict", {"scan_results": [scan_result(
        "predicted-only", "2026-02-03T10:00:00", vulnerabilities(3))]})
    return {"bulk": ids, "series": "web-01", "xss": XSS_IDS, "predicted_only": "predicted-only"}


def lab_targets(lab_dir, names):
    """The lab's URLs for the named servers (tools/tls-lab writes DIR/targets)."""
    found = {}
    with open(os.path.join(lab_dir, "targets")) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                found[parts[0]] = parts[1]
    return [found[n] for n in names if n in found]


def run_scan(api, targets):
    """Starts a scan job and waits until it is done; returns its final status."""
    job = api.post("/v1/scans", {"targets": targets, "options": {"timeout_ms": 5000}})
    deadline = time.monotonic() + SCAN_DEADLINE
    while time.monotonic() < deadline:
        status = api.get("/v1/scans/" + job["id"], limit=1)
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.5)
    raise Failure(f"scan job {job['id']} not done within {SCAN_DEADLINE:.0f} s")


# -------------------------------------------------------------------- browser


def browser(download_dir, width=1366, height=900):
    """Headless Chromium through /usr/bin/chromedriver, its logs kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 f"--window-size={width},{height}", "--no-first-run", "--no-default-browser-check",
                 "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps", "--metrics-recording-only",
                 "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--lang=en-US",
                 "--force-device-scale-factor=1"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    opts.add_experimental_option("prefs", {"download.default_directory": download_dir,
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_dir})
    return driver


class LogBook:
    """Everything the browser logged: console messages and network answers."""

    def __init__(self):
        self.console = []    # (level, message)
        self.responses = []  # (status, url, mime type)
        self.failed = []     # (url or request id, reason)
        self._urls = {}

    def read(self, driver):
        for entry in driver.get_log("browser"):
            self.console.append((entry.get("level"), entry.get("message", "")))
        for entry in driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            method, params = msg.get("method"), msg.get("params", {})
            if method == "Network.requestWillBeSent":
                self._urls[params.get("requestId")] = params.get("request", {}).get("url", "")
            elif method == "Network.responseReceived":
                r = params.get("response", {})
                self.responses.append((r.get("status"), r.get("url", ""), r.get("mimeType", "")))
            elif method == "Network.loadingFailed":
                url = self._urls.get(params.get("requestId"), params.get("requestId"))
                self.failed.append((url, params.get("errorText", "")))

    def problems(self, port):
        out = []
        for level, message in self.console:
            if level in ("SEVERE", "ERROR") or "Content Security Policy" in message:
                out.append(f"browser console {level}: {message}")
        for status, url, _ in self.responses:
            if url.startswith(("data:", "blob:")):
                continue
            if not url.startswith(f"http://{HOST}:{port}/"):
                out.append(f"request to another host: {url}")
            if not isinstance(status, int) or not 200 <= status < 400:
                out.append(f"{url} answered {status}")
        for url, reason in self.failed:
            if str(url).startswith("blob:"):
                continue
            out.append(f"{url} failed: {reason}")
        return out

    def answered(self, fragment):
        """Statuses of the responses whose URL holds `fragment`."""
        return [s for s, url, _ in self.responses if fragment in url]
