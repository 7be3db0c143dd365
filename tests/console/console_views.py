"""The console's checks, page by page, as a person sees them: each opens or
clicks its way to a page, waits (with a deadline) for what the API says should
be there, and compares. Selectors are the ids and data-field attributes the
console's views write (actors/bridge/console/view_*.js)."""

import http.client
import json
import os
import time
import urllib.parse

from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

import console_support as cs
from console_support import Failure

WAIT = 30.0  # seconds for any one thing to appear
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
LEVELS = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "MINIMAL"]

TEXTS = "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent.trim());"
# What injected markup would leave behind, had any of it been read as HTML.
INJECTED = """return {xss: window.__qsXss === undefined ? null : window.__qsXss, title: document.title,
  scripts: document.scripts.length, imgs: document.querySelectorAll('img').length,
  handlers: document.querySelectorAll('[onerror],[onload]').length,
  markup: document.querySelectorAll('main b, main i, main script, main svg:not(.plot):not(.bar)').length};"""


def n(value):
    return f"{value:,}"


def quote(asset_id):
    return urllib.parse.quote(asset_id, safe="")


def check_headers(port):
    def get(path, headers=None):
        conn = http.client.HTTPConnection(cs.HOST, port, timeout=cs.REQUEST_TIMEOUT)
        try:
            conn.request("GET", path, headers=headers or {})
            r = conn.getresponse()
            r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}
        finally:
            conn.close()

    status, h = get("/ui/")
    problems = []
    if status != 200 or not h.get("content-type", "").startswith("text/html"):
        problems.append(f"/ui/: {status} {h.get('content-type')}")
    for name, want in (("content-security-policy", CSP), ("x-content-type-options", "nosniff"),
                       ("referrer-policy", "no-referrer"), ("cache-control", "no-cache")):
        if h.get(name) != want:
            problems.append(f"/ui/ {name}: {h.get(name)!r}")
    etag = h.get("etag", "")
    if not etag.startswith('"'):
        problems.append(f"/ui/ etag {etag!r}")
    elif get("/ui/", {"If-None-Match": etag})[0] != 304:
        problems.append("/ui/ with its ETag is not a 304")
    status, h = get("/ui")
    if status not in (301, 308) or h.get("location") != "ui/":
        problems.append(f"/ui: {status} to {h.get('location')}")
    for path, media in (("/favicon.ico", "image/x-icon"), ("/ui/app.js", "text/javascript"),
                        ("/ui/console.css", "text/css"), ("/quantum/ui/", "text/html")):
        status, h = get(path)
        if status != 200 or not h.get("content-type", "").startswith(media):
            problems.append(f"{path}: {status} {h.get('content-type')}")
    if get("/ui/missing.js")[0] != 404:
        problems.append("/ui/missing.js is not a 404")
    if problems:
        raise Failure("; ".join(problems))


def no_problems(log, port):
    problems = log.problems(port)
    if not log.responses:
        problems.append("the performance log holds no response at all")
    icons = log.answered("/favicon.ico")
    if not icons or any(s not in (200, 304) for s in icons):
        problems.append(f"the favicon was answered {icons}")
    if problems:
        raise Failure(f"{len(problems)} problems: " + " | ".join(problems[:15]))


class Views:
    def __init__(self, driver, server, api, out_dir):
        self.d = driver
        self.server = server
        self.api = api
        self.out_dir = out_dir

    # ----------------------------------------------------------- helpers

    def open(self, hash_path):
        self.d.get(f"{self.server.base}/ui/#{hash_path}")

    def wait(self, cond, what, timeout=WAIT):
        last = {}

        def probe(_):
            try:
                return cond()
            except Exception as e:  # noqa: BLE001 - a stale element is a reason to look again
                last["error"] = e
                return False
        try:
            return WebDriverWait(self.d, timeout, poll_frequency=0.2).until(probe)
        except TimeoutException:
            extra = f" (last error: {last['error']})" if "error" in last else ""
            raise Failure(f"waited {timeout:.0f} s for {what}{extra}") from None

    def texts(self, selector):
        return self.d.execute_script(TEXTS, selector)

    def css(self, selector):
        return self.d.find_elements(By.CSS_SELECTOR, selector)

    def shot(self, name):
        self.d.save_screenshot(os.path.join(self.out_dir, name + ".png"))

    def click_nav(self, label):
        self.d.find_element(By.CSS_SELECTOR, f"nav a[data-section='{label.lower()}']").click()

    def wait_ids(self, expected, what):
        self.wait(lambda: self.texts("#assets-table td[data-field=asset_id]") == expected,
                  f"{what}: {expected[:3]}...")

    def hash_query(self):
        fragment = urllib.parse.urlsplit(self.d.current_url).fragment
        return dict(urllib.parse.parse_qsl(fragment.split("?", 1)[1] if "?" in fragment else ""))

    def api_ids(self, **query):
        return [a["asset_id"] for a in self.api.get("/v1/assets", **query)["assets"]]

    def assert_nothing_ran(self):
        state = self.d.execute_script(INJECTED)
        if (state["xss"] is not None or state["title"] != "Quantum Scanner" or state["imgs"]
                or state["handlers"] or state["markup"] or state["scripts"] != 1):
            raise Failure(f"injected markup took effect: {state}")
        try:
            alert = self.d.switch_to.alert
            raise Failure(f"an alert opened: {alert.text}")
        except NoAlertPresentException:
            pass

    # -------------------------------------------------------------- pages

    def overview(self):
        o = self.api.get("/v1/overview")
        self.open("/")
        self.wait(lambda: self.texts("[data-field=total-assets]") == [n(o["assets"])], f"{o['assets']} assets")
        counts = [n(o["by_risk_level"].get(level, 0)) for level in LEVELS]
        self.wait(lambda: self.texts("#by-risk-level td[data-field=count]") == counts, f"levels {counts}")
        algs = [a["algorithm"] for a in o["vulnerable_algorithms"]]
        got = self.texts("#vulnerable-algorithms td[data-field=algorithm]")
        if got != algs:
            raise Failure(f"algorithms {got}, API {algs}")
        for table, key in (("most-likely-exploited", "most_likely_exploited"), ("deadlines", "deadlines"),
                           ("certificates-expiring", "certificates_expiring")):
            rows = len(self.css(f"#{table} tbody tr:not(.empty)"))
            if rows != len(o[key]):
                raise Failure(f"{table}: {rows} rows, API {len(o[key])}")
        tls, pq = o["tls_endpoints"], o["tls_with_post_quantum_group"]
        want = f"{100 * pq / tls:.1f}%" if tls else "—"
        if self.texts("[data-field=pq-share]") != [want]:
            raise Failure(f"post-quantum share {self.texts('[data-field=pq-share]')}, API {pq} of {tls}")
        self.shot("overview")

    def assets_first_page(self):
        self.d.find_element(By.LINK_TEXT, "Assets").click()
        page = self.api.get("/v1/assets")
        if page["total"] <= 50 or len(page["assets"]) != 50:
            raise Failure(f"the API lists {len(page['assets'])} of {page['total']}")
        self.wait_ids([a["asset_id"] for a in page["assets"]], "the first page in the API's order")
        if self.texts("#asset-total") != [n(page["total"])]:
            raise Failure(f"total {self.texts('#asset-total')}, API {page['total']}")
        first = page["assets"][0]["asset_id"]
        href = self.css("#assets-table a.asset-link")[0].get_attribute("href")
        if urllib.parse.unquote(href.split("#/assets/", 1)[-1]) != first:
            raise Failure(f"the first asset links to {href}")
        self.shot("assets")

    def assets_sorted(self):
        for order in ("asc", "desc"):
            self.css("a[data-sort=asset_id]")[0].click()
            self.wait(lambda: self.hash_query().get("order") == order, f"order={order} in the address")
            q = self.hash_query()
            if q.get("sort") != "asset_id":
                raise Failure(f"sorted by {q}")
            self.wait_ids(self.api_ids(sort="asset_id", order=order, limit=50), f"asset ids {order}")

    def assets_searched(self, text):
        box = self.d.find_element(By.ID, "asset-search")
        box.clear()
        box.send_keys(text + Keys.ENTER)
        self.wait(lambda: self.hash_query().get("q") == text, f"q={text} in the address")
        expected = self.api_ids(**self.hash_query())
        if not expected or any(text.lower() not in i.lower() for i in expected):
            raise Failure(f"the API's search for {text} found {expected}")
        self.wait_ids(expected, f"the assets matching {text}")

    def assets_next_page(self):
        self.open("/assets")
        self.wait(lambda: len(self.css("#asset-next")) == 1, "a Next link")
        self.css("#asset-next")[0].click()
        self.wait(lambda: self.hash_query().get("offset") == "50", "offset=50 in the address")
        self.wait_ids(self.api_ids(offset=50, limit=50, sort="risk", order="desc"), "the second page")
        if not self.texts("#asset-range")[0].startswith("Rows 51–"):
            raise Failure(f"range {self.texts('#asset-range')}")

    def open_asset(self, asset_id):
        self.open("/assets/" + quote(asset_id))
        self.wait(lambda: self.texts("#asset-id") == [asset_id], f"the page of {asset_id!r}")

    def asset_series(self, asset_id):
        self.open("/assets?q=" + quote(asset_id))
        self.wait(lambda: asset_id in self.texts("#assets-table a.asset-link"), f"{asset_id} listed")
        self.d.find_element(By.LINK_TEXT, asset_id).click()
        self.wait(lambda: self.texts("#asset-id") == [asset_id], f"the page of {asset_id}")
        series = self.api.get(cs.asset_path(asset_id, "/series"))
        counts = next(s for s in series["series"] if s["name"] == "finding_count")
        points = counts["points"]
        marked = [str(i) for i, p in enumerate(points) if p["is_anomaly"]]
        if not marked:
            raise Failure("the API marks no anomaly in finding_count: the data does not show one")
        fig = "figure[data-series=finding_count]"
        self.wait(lambda: len(self.css(f"{fig} svg.plot polyline")) == 1, "the finding_count plot")
        if len(self.css(f"{fig} circle.point")) != len(points):
            raise Failure(f"{len(self.css(f'{fig} circle.point'))} points drawn, API {len(points)}")
        got = [g.get_attribute("data-index") for g in self.css(f"{fig} g.anomaly-mark")]
        if got != marked:
            raise Failure(f"anomaly marks at {got}, API {marked}")
        box = self.css(f"{fig} svg.plot")[0].rect
        if box["width"] < 300 or box["height"] < 80:
            raise Failure(f"the plot is {box}")
        if "Anomaly" not in self.texts(f"{fig} figcaption")[0]:
            raise Failure(f"caption {self.texts(f'{fig} figcaption')}")
        history = self.api.get(cs.asset_path(asset_id), limit=1)
        findings = len(history["latest"]["scan_result"]["vulnerabilities"])
        if self.texts("#latest [data-field=findings]") != [n(findings)]:
            raise Failure(f"latest findings {self.texts('#latest [data-field=findings]')}, API {findings}")
        self.d.execute_script("document.getElementById('plots').closest('section').scrollIntoView()")
        self.shot("asset-series")

    def asset_one_scan(self, asset_id, log):
        self.open_asset(asset_id)
        self.wait(lambda: len(self.css("#changes-empty")) == 1, "the empty changes notice")
        log.read(self.d)
        statuses = log.answered(cs.asset_path(asset_id, "/changes"))
        if statuses != [200]:
            raise Failure(f"the changes of {asset_id} were answered {statuses}")

    def asset_markup_as_text(self, asset_id):
        self.open_asset(asset_id)
        self.wait(lambda: self.texts("#latest-findings td[data-field=title]")[:1] == [cs.XSS_TITLE]
                  or self.texts("#latest-findings td[data-field=title]")[1:2] == [cs.XSS_TITLE],
                  "the finding's title as text")
        for field, want in (("location", cs.XSS_LOCATION), ("type", cs.XSS_TYPE)):
            if want not in self.texts(f"#latest-findings td[data-field={field}]"):
                raise Failure(f"{field}: {self.texts(f'#latest-findings td[data-field={field}]')}")
        self.wait(lambda: "<i>second</i> finding" in self.texts("#changes-new td[data-field=title]"),
                  "the new finding among the changes")
        self.assert_nothing_ran()
        if asset_id == cs.XSS_IDS[0]:
            self.shot("asset-markup")

    def list_markup_as_text(self, ids):
        self.open("/assets?q=" + quote("<"))
        expected = self.api_ids(q="<")
        if sorted(expected) != sorted(ids):
            raise Failure(f"the API's search for '<' found {expected}")
        self.wait_ids(expected, "the assets whose ids are markup")
        self.assert_nothing_ran()

    def scanned_asset(self, target):
        self.open_asset(target)
        latest = self.api.get(cs.asset_path(target), limit=1)["latest"]
        job = latest["scan_result"]["metadata"]["scan_job"]
        bom = self.api.get(f"/v1/scans/{job}/cbom")
        mine = [c["name"] for c in bom["components"]
                if any(o.get("location") == target for o in c.get("evidence", {}).get("occurrences", []))]
        if not mine:
            raise Failure(f"the CBOM of {job} names nothing at {target}")
        self.wait(lambda: self.texts("#inventory td[data-field=name]") == mine, f"{len(mine)} components")
        self.wait(lambda: len(self.css("#changes-summary")) == 1, "the changes between its two scans")
        self.d.execute_script("window.scrollTo(0, 0)")
        self.shot("asset-scanned")

    def scans(self, downloads, job_ids):
        self.click_nav("Scans")
        listed = [s["id"] for s in self.api.get("/v1/scans")["scans"]]
        if not set(job_ids) <= set(listed):
            raise Failure(f"the API lists {listed}")
        self.wait(lambda: self.texts("#scans-table td[data-field=id]") == listed, f"jobs {listed}")
        for status, progress in zip(self.texts("#scans-table [data-field=status]"),
                                    self.texts("#scans-table [data-field=progress]")):
            done, total = progress.split("/")
            if status != "done" or done.strip() != total.strip():
                raise Failure(f"a job shows {status} {progress}")
        first = listed[0]
        self.css("#scans-table tbody tr:first-child button[data-download=cbom]")[0].click()
        path = os.path.join(downloads, first + ".cdx.json")
        self.wait(lambda: os.path.exists(path) and not os.path.exists(path + ".crdownload"), f"{path}")
        deadline = time.monotonic() + WAIT
        while True:  # the file may still be being written
            try:
                with open(path) as f:
                    bom = json.load(f)
                break
            except ValueError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        if bom.get("bomFormat") != "CycloneDX":
            raise Failure(f"the CBOM download holds {str(bom)[:200]}")
        if not self.css("#scans-table tbody tr:first-child button[data-download=sarif]"):
            raise Failure("no SARIF download")
        self.shot("scans")

    def scan_job(self, job_id, targets):
        self.css(f"#scans-table a.scan-link")[[a.text for a in self.css("#scans-table a.scan-link")].index(job_id)].click()
        self.wait(lambda: self.texts("#scan-id") == [job_id], f"the page of {job_id}")
        self.wait(lambda: len(self.css("#scan-results tbody tr:not(.empty)")) == targets, f"{targets} results")
        if self.texts("#scan-facts [data-field=status]") != ["done"]:
            raise Failure(f"status {self.texts('#scan-facts [data-field=status]')}")

    def cluster(self):
        self.click_nav("Cluster")
        nodes = self.api.get("/v1/cluster")["nodes"]
        self.wait(lambda: self.texts("#nodes-table td[data-field=id]") == [x["id"] for x in nodes], "the nodes")
        roles = [", ".join(x["roles"]) for x in nodes]
        if self.texts("#nodes-table td[data-field=roles]") != roles:
            raise Failure(f"roles {self.texts('#nodes-table td[data-field=roles]')}, API {roles}")
        if not self.css("#roles-table tbody tr:not(.empty)"):
            raise Failure("no roles listed")
        self.shot("cluster")

    def nothing_injected_ran(self):
        for asset_id in cs.XSS_IDS:
            self.open_asset(asset_id)
            self.wait(lambda: len(self.css("#history tbody tr")) >= 2, "its history")
            self.assert_nothing_ran()

    # ------------------------------------------------------------ with keys

    def key_prompt(self, log):
        self.open("/")
        self.wait(lambda: len(self.css("#key-form")) == 1, "the key prompt")
        if self.css("#role")[0].get_attribute("data-role") != "none":
            raise Failure("the page thinks it has a key")
        log.read(self.d)
        if log.answered("/v1/whoami") != [200]:
            raise Failure(f"whoami answered {log.answered('/v1/whoami')}")
        self.shot("key-prompt")

    def use_key(self, key, role):
        box = self.d.find_element(By.ID, "api-key")
        box.send_keys(key + Keys.ENTER)
        self.wait(lambda: self.css("#role")[0].get_attribute("data-role") == role, f"the {role} role")
        self.wait(lambda: self.texts("main h1")[:1] not in ([], ["An API key is needed"]), "a page past the prompt")

    def read_key(self, key):
        self.use_key(key, "read")
        self.click_nav("Scans")
        self.wait(lambda: len(self.css("#scans-table")) == 1, "the scan jobs (a read key reads them)")
        if not any("need an admin key" in t for t in self.texts("main .notice")):
            raise Failure(f"no note that scans need an admin key: {self.texts('main .notice')}")
        if self.css("#new-scan") or self.css("#new-schedule") or self.css("button[data-delete]"):
            raise Failure("a read key is offered a scan or a schedule")
        self.click_nav("Cluster")
        self.wait(lambda: len(self.css("#bridge-facts")) == 1, "the bridge's facts")
        if self.css("#nodes-table"):
            raise Failure("a read key is shown the nodes (an admin route)")

    def key_in_session_only(self, key):
        kept = self.d.execute_script(
            "return [sessionStorage.getItem('qscan.console.key'), localStorage.length, document.cookie];")
        if kept != [key, 0, ""]:
            raise Failure(f"session, local storage and cookies hold {kept[1:]} beside the key")
        self.d.refresh()
        self.wait(lambda: self.css("#role") and self.css("#role")[0].get_attribute("data-role") == "read",
                  "the key kept across a reload")

    def admin_key(self, key, targets):
        self.css("#forget-key")[0].click()
        self.wait(lambda: len(self.css("#key-form")) == 1, "the key prompt again")
        self.use_key(key, "admin")
        self.click_nav("Scans")
        self.wait(lambda: len(self.css("#new-scan")) == 1, "the scan form")
        if not self.css("#new-schedule"):
            raise Failure("an admin key is not offered schedules")
        self.d.find_element(By.ID, "scan-targets").send_keys(targets[0])
        self.css("#new-scan button[type=submit]")[0].click()
        self.wait(lambda: len(self.texts("#scan-id")) == 1, "the new job's page")
        self.wait(lambda: self.texts("#scan-facts [data-field=status]") == ["done"], "the job done",
                  timeout=cs.SCAN_DEADLINE)
        self.wait(lambda: len(self.css("#scan-results tbody tr:not(.empty)")) == 1, "its result")
        self.shot("scan-job")

    def admin_schedule(self, targets):
        name = "nightly <b>lab</b>"
        self.click_nav("Scans")
        self.wait(lambda: len(self.css("#new-schedule")) == 1, "the schedule form")
        self.d.find_element(By.ID, "schedule-name").send_keys(name)
        self.d.find_element(By.ID, "schedule-targets").send_keys(targets[0])
        self.d.find_element(By.ID, "schedule-every").send_keys("6h")
        self.css("#new-schedule button[type=submit]")[0].click()
        self.wait(lambda: self.texts("#schedules-table td[data-field=name]") == [name], "the schedule listed")
        listed = self.api.get("/v1/schedules")["schedules"]
        if [s["name"] for s in listed] != [name] or listed[0]["targets"] != targets[:1]:
            raise Failure(f"the API lists {listed}")
        self.shot("schedules")
        self.css("#schedules-table button[data-delete]")[0].click()
        self.wait(lambda: not self.css("#schedules-table button[data-delete]"), "the schedule gone")
        if self.api.get("/v1/schedules")["schedules"]:
            raise Failure("the API still lists the schedule")
        self.assert_nothing_ran()
