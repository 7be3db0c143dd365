#!/usr/bin/env python3
"""The scenario of tools/deploy-test: deploy/docker-compose.yml run for real.

tools/deploy-test sets up podman, its API socket (DOCKER_HOST), the images and
the health-check loop, then runs this with the compose project, the bridge's
and Prometheus's published URLs and a folder for logs. In order:

  up        `up -d --no-build`: every service started, health checks passed;
  cluster   GET /v1/cluster through the bridge: two persistence workers, the
            scanner and the bridge are up;
  direct    curl: POST predict for a new asset, then GET /v1/assets/{id} has it once;
  contract  tests/openapi/check_openapi.py --base-url against the bridge;
  kill      a bounded load of unique assets; one worker container SIGKILLed
            (`podman kill`) mid-load; every request answered 200 and every
            acknowledged asset stored exactly once (GET /v1/assets/{id} total 1);
  scale     `up -d --scale worker=3`: a new node joins (it admits its own key
            through the shared allow-list) and takes tasks under load;
  metrics   Prometheus scrapes every qscan node, the new worker too;
  down      `stop`: every container exits 0 within its grace period; `down -v`
            removes containers, network and volumes.

Prints one line per check, the time of each step, and `N passed, M failed`;
exits 1 when a check failed. Requests go only to 127.0.0.1; every wait and
every request has a deadline; the loads are bounded.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse

REQUEST_TIMEOUT = 30.0


class Run:
    def __init__(self, args):
        self.args = args
        self.passed = 0
        self.failed = []
        self.steps = []  # (name, seconds)
        self.token = f"d{int(time.time()):x}"
        self.bridge = urllib.parse.urlsplit(args.bridge)
        self.log = open(os.path.join(args.logs, "compose.log"), "a")

    # ---- reporting

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}" + (f" ({detail})" if detail else ""), flush=True)
        else:
            self.failed.append(name)
            print(f"FAIL {name}" + (f": {detail}" if detail else ""), flush=True)
        return ok

    def elapsed(self):
        return time.time() - self.args.started_at

    def step(self, name):
        run = self

        class Step:
            def __enter__(self):
                self.t0 = time.monotonic()
                print(f"== {name} (at {run.elapsed():.0f} s)", flush=True)

            def __exit__(self, *exc):
                run.steps.append((name, time.monotonic() - self.t0))
                return False

        return Step()

    # ---- commands

    def sh(self, argv, timeout=120, check_name=None):
        """Runs argv, its output in compose.log; returns (rc, output)."""
        self.log.write(f"\n$ {' '.join(argv)}\n")
        self.log.flush()
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=timeout)
            out = p.stdout.decode("utf-8", "replace")
            rc = p.returncode
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode("utf-8", "replace") + f"\n(timed out after {timeout} s)"
            rc = -1
        self.log.write(out)
        self.log.flush()
        if check_name is not None:
            tail = " | ".join(out.strip().splitlines()[-5:])
            self.check(check_name, rc == 0, "" if rc == 0 else f"exit {rc}: {tail}")
        return rc, out

    def compose(self, *args, timeout=300, check_name=None):
        files = [x for f in self.args.compose_file for x in ("-f", f)]
        return self.sh(["docker-compose", "-p", self.args.project, *files, *args],
                       timeout=timeout, check_name=check_name)

    def containers(self, service):
        rc, out = self.compose("ps", "-q", service, timeout=60)
        return [line.strip() for line in out.splitlines() if rc == 0 and len(line.strip()) >= 12]

    def podman(self, *args, timeout=60):
        return self.sh(["podman", *args], timeout=timeout)

    # ---- HTTP (the bridge's published port)

    def request(self, method, path, body=None, timeout=REQUEST_TIMEOUT, conn=None):
        own = conn is None
        if own:
            conn = http.client.HTTPConnection(self.bridge.hostname, self.bridge.port, timeout=timeout)
        try:
            headers = {}
            if body is not None:
                body = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            try:
                doc = json.loads(data) if data else None
            except ValueError:
                doc = None
            return resp.status, doc
        finally:
            if own:
                conn.close()

    def cluster_nodes(self):
        try:
            status, doc = self.request("GET", "/v1/cluster", timeout=10)
        except (OSError, http.client.HTTPException):
            return None
        if status != 200 or not isinstance(doc, dict):
            return None
        return doc.get("nodes", [])

    def stored_total(self, asset):
        try:
            status, doc = self.request("GET", "/v1/assets/" + urllib.parse.quote(asset, safe=""), timeout=10)
        except (OSError, http.client.HTTPException):
            return None
        if status == 404:
            return 0
        if status != 200 or not isinstance(doc, dict):
            return None
        return doc.get("total")


def wait_until(fn, seconds, interval=0.5):
    deadline = time.monotonic() + seconds
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def up_workers(nodes):
    return [n for n in nodes or [] if "persistence" in n.get("roles", []) and n.get("state") == "up"]


def node_state(nodes, node_id):
    for n in nodes or []:
        if n.get("id") == node_id:
            return n
    return None


# --------------------------------------------------------------------------- load


class Load:
    """REQUESTS predict calls of one asset each, on THREADS keep-alive connections."""

    def __init__(self, run, prefix, requests, threads):
        self.run, self.prefix, self.requests, self.threads = run, prefix, requests, threads
        self.lock = threading.Lock()
        self.next = 0
        self.sent = 0
        self.acknowledged = []
        self.degraded = 0
        self.failures = []  # (asset, why)
        self.pool = []

    def start(self):
        for _ in range(self.threads):
            t = threading.Thread(target=self._work, daemon=True)
            t.start()
            self.pool.append(t)
        return self

    def join(self, timeout):
        deadline = time.monotonic() + timeout
        for t in self.pool:
            t.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self.pool)

    def _work(self):
        b = self.run.bridge
        conn = None
        while True:
            with self.lock:
                i = self.next
                self.next += 1
            if i >= self.requests:
                break
            asset = f"{self.prefix}{i}"
            body = {"scan_results": [{"asset_id": asset, "vulnerabilities": [
                {"type": "weak_crypto", "severity": "high", "algorithm": "RSA-1024"}]}]}
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(b.hostname, b.port, timeout=REQUEST_TIMEOUT)
                status, doc = self.run.request("POST", "/ai-threat-predictor/predict", body=body, conn=conn)
                with self.lock:
                    if status == 200:
                        self.acknowledged.append(asset)
                        if isinstance(doc, dict) and doc.get("degraded") is True:
                            self.degraded += 1
                    else:
                        self.failures.append((asset, f"status {status}"))
            except (OSError, http.client.HTTPException) as e:
                with self.lock:
                    self.failures.append((asset, f"{type(e).__name__}: {e}"))
                if conn is not None:
                    conn.close()
                conn = None
            with self.lock:
                self.sent += 1
        if conn is not None:
            conn.close()


def check_stored_once(run, name, assets, seconds=30):
    """Every asset stored exactly once; waits up to SECONDS for stragglers."""
    wrong = {}
    pending = list(assets)
    deadline = time.monotonic() + seconds
    while True:
        wrong = {}
        for a in pending:
            total = run.stored_total(a)
            if total != 1:
                wrong[a] = total
        if not wrong or time.monotonic() >= deadline or any((t or 0) > 1 for t in wrong.values()):
            break
        pending = list(wrong)
        time.sleep(1)
    sample = ", ".join(f"{a}: {t}" for a, t in list(wrong.items())[:5])
    return run.check(name, not wrong and len(assets) > 0,
                     f"{len(assets)} assets, each total 1" if not wrong else
                     f"{len(wrong)} of {len(assets)} not stored exactly once (total per asset, "
                     f"None = no answer), e.g. {sample}")


# ------------------------------------------------------------------------ steps


def step_up(run):
    with run.step("up"):
        run.compose("up", "-d", "--no-build", timeout=300, check_name="up -d: every service started healthy")
        rc, out = run.compose("ps", timeout=60)
        print(out.rstrip(), flush=True)

    with run.step("cluster ready"):
        def health():
            try:
                return run.request("GET", "/v1/health", timeout=5)[0] == 200
            except (OSError, http.client.HTTPException):
                return False
        run.check("bridge answers GET /v1/health on the published port", wait_until(health, 60),
                  run.args.bridge)

        def ready():
            nodes = run.cluster_nodes()
            ids = {n.get("id"): n.get("state") for n in nodes or []}
            return (len(up_workers(nodes)) >= 2 and ids.get("scanner1") == "up"
                    and ids.get("bridge") == "up") and nodes
        nodes = wait_until(ready, 60)
        summary = ", ".join(f"{n.get('id')} {n.get('state')} {'/'.join(n.get('roles', []))}"
                            for n in run.cluster_nodes() or [])
        run.check("GET /v1/cluster: 2 persistence workers, scanner1 and bridge up", bool(nodes), summary)


def curl(run, *args):
    rc, out = run.sh(["curl", "-sS", "--max-time", "20", *args], timeout=30)
    return rc, out


def step_direct(run):
    with run.step("direct checks (curl)"):
        asset = f"{run.token}-direct-1"
        body = json.dumps({"scan_results": [{"asset_id": asset, "asset_type": "web_service",
                                             "vulnerabilities": [{"type": "weak_crypto", "severity": "high",
                                                                  "algorithm": "RSA-1024"}]}]})
        rc, out = curl(run, "-w", "\n%{http_code}", "-H", "Content-Type: application/json", "--data", body,
                       f"{run.args.bridge}/ai-threat-predictor/predict")
        lines = out.rstrip().rsplit("\n", 1)
        ok = rc == 0 and len(lines) == 2 and lines[1] == "200"
        try:
            answer = json.loads(lines[0]) if ok else {}
        except ValueError:
            answer = {}
        preds = answer.get("predictions", [])
        good = ok and len(preds) == 1 and answer.get("degraded") is False
        run.check("curl POST /ai-threat-predictor/predict -> 200, one prediction, not degraded", good,
                  asset if good else out[-300:])
        def read_back():
            rc, out = curl(run, "-w", "\n%{http_code}", f"{run.args.bridge}/v1/assets/{asset}")
            lines = out.rstrip().rsplit("\n", 1)
            doc = {}
            if rc == 0 and len(lines) == 2:
                try:
                    doc = json.loads(lines[0])
                except ValueError:
                    doc = {}
            ok = len(lines) == 2 and lines[1] == "200" and doc.get("asset_id") == asset and doc.get("total") == 1
            return ok, out
        deadline = time.monotonic() + 5  # a write may trail its answer by a moment
        got, out = read_back()
        while not got and time.monotonic() < deadline:
            time.sleep(0.5)
            got, out = read_back()
        run.check("curl GET /v1/assets/{id} -> 200, the asset stored once (read through the bridge)", got,
                  "" if got else out[-300:])


def step_contract(run):
    with run.step("contract (check_openapi.py --base-url)"):
        here = os.path.dirname(os.path.abspath(__file__))
        script = os.path.join(here, "..", "openapi", "check_openapi.py")
        log = os.path.join(run.args.logs, "contract.log")
        with open(log, "w") as f:
            try:
                p = subprocess.run([sys.executable, script, "--base-url", run.args.bridge, run.args.spec],
                                   stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT, timeout=300)
                rc = p.returncode
            except subprocess.TimeoutExpired:
                rc = -1
        with open(log) as f:
            lines = f.read().splitlines()
        fails = [line for line in lines if line.startswith("FAIL ")]
        for line in fails[:40]:
            print(f"     contract: {line}", flush=True)
        if len(fails) > 40:
            print(f"     contract: ... and {len(fails) - 40} more (see {log})", flush=True)
        last = lines[-1] if lines else "(no output)"
        run.check("the OpenAPI contract holds through the published bridge port", rc == 0, last)


def step_kill(run):
    with run.step("kill a worker under load"):
        workers = run.containers("worker")
        if not run.check("two worker containers", len(workers) == 2, " ".join(w[:12] for w in workers)):
            return
        victim = workers[0]
        rc, out = run.podman("exec", victim, "qscan", "keys", "show", "/var/lib/qscan/keys")
        victim_id = next((line.split(":", 1)[1].strip() for line in out.splitlines()
                          if line.startswith("node id:")), None)
        load = Load(run, f"{run.token}-kill-", requests=400, threads=4).start()
        wait_until(lambda: load.sent >= 100, 60, interval=0.05)
        rc, _ = run.podman("kill", victim)
        killed_at = load.sent
        run.check("podman kill a worker mid-load", rc == 0, f"{victim[:12]} ({victim_id}) after {killed_at} requests")
        finished = load.join(240)
        run.check("the load finished", finished, f"{load.sent} of {load.requests} sent")
        sample = "; ".join(f"{a}: {w}" for a, w in load.failures[:5])
        run.check("every request answered 200", not load.failures and len(load.acknowledged) == load.requests,
                  f"{len(load.acknowledged)} of {load.requests}, {load.degraded} degraded" if not load.failures
                  else f"{len(load.failures)} failed, e.g. {sample}")
        check_stored_once(run, "every acknowledged asset stored exactly once (GET /v1/assets/{id} total 1)",
                          load.acknowledged)
        dead = wait_until(lambda: (node_state(run.cluster_nodes(), victim_id) or {}).get("state") == "dead", 20)
        run.check("the coordinator declares the killed worker dead", dead, victim_id or "")
        # podman applies no restart policy to a container stopped by `podman kill`
        # (Docker's does after a crash): compose starts it again, with its own
        # volume, so with its key and node id.
        rc, out = run.podman("inspect", "--format", "{{.State.Status}} exit {{.State.ExitCode}}", victim)
        print(f"     killed worker's container: {out.strip()}", flush=True)
        run.compose("up", "-d", "--no-build", timeout=240, check_name="up -d starts the killed worker again")
        back = wait_until(lambda: (node_state(run.cluster_nodes(), victim_id) or {}).get("state") == "up", 60)
        run.check("it rejoins under the same node id (its key kept in its own volume)", back, victim_id or "")


def step_scale(run):
    with run.step("scale workers to 3"):
        before = {n.get("id") for n in run.cluster_nodes() or []}
        run.compose("up", "-d", "--no-build", "--scale", "worker=3", timeout=240,
                    check_name="up -d --scale worker=3")
        workers = run.containers("worker")
        run.check("three worker containers", len(workers) == 3, " ".join(w[:12] for w in workers))

        def new_node():
            nodes = run.cluster_nodes()
            fresh = [n for n in up_workers(nodes) if n.get("id") not in before]
            return fresh[0] if fresh else None
        fresh = wait_until(new_node, 60)
        if not run.check("the new worker joined: up in GET /v1/cluster", fresh is not None,
                         fresh.get("id") if fresh else f"known before: {sorted(before)}"):
            return
        new_id = fresh["id"]
        load = Load(run, f"{run.token}-scale-", requests=300, threads=4).start()

        def took_tasks():
            n = node_state(run.cluster_nodes(), new_id)
            return n if n and n.get("tasks_done", 0) > 0 else None
        node = wait_until(took_tasks, 90, interval=1)
        load.join(240)
        run.check("the new worker took tasks (tasks_done > 0)", node is not None,
                  f"{new_id}: tasks_done {node.get('tasks_done')}" if node else f"{new_id} did none")
        run.check("every request answered 200 while scaling", not load.failures
                  and len(load.acknowledged) == load.requests,
                  f"{len(load.acknowledged)} of {load.requests}" + (
                      f"; e.g. {load.failures[0]}" if load.failures else ""))
        check_stored_once(run, "every asset of that load stored exactly once", load.acknowledged)
        print("     " + ", ".join(f"{n.get('id')} {n.get('state')} tasks_done={n.get('tasks_done')}"
                                  for n in run.cluster_nodes() or []), flush=True)


def step_metrics(run):
    with run.step("prometheus"):
        base = urllib.parse.urlsplit(run.args.prometheus)

        def scraped():
            try:
                conn = http.client.HTTPConnection(base.hostname, base.port, timeout=10)
                conn.request("GET", "/api/v1/targets?state=active")
                resp = conn.getresponse()
                doc = json.loads(resp.read())
                conn.close()
            except (OSError, http.client.HTTPException, ValueError):
                return None
            targets = [t for t in doc.get("data", {}).get("activeTargets", [])
                       if t.get("labels", {}).get("job") == "qscan"]
            up = sorted(t["labels"].get("node", "?") for t in targets if t.get("health") == "up")
            return up if len(up) >= 6 else None
        up = wait_until(scraped, 45, interval=2)
        run.check("Prometheus scrapes coordinator, scanner1, bridge and the 3 workers", up is not None,
                  ", ".join(up) if up else "fewer than 6 qscan targets up")


def step_down(run):
    with run.step("stop and down"):
        t0 = time.monotonic()
        run.compose("stop", "-t", "30", timeout=240, check_name="stop: every container stopped")
        stop_s = time.monotonic() - t0
        rc, ids = run.podman("ps", "-a", "-q", "--filter", f"label=com.docker.compose.project={run.args.project}")
        rows = []
        if rc == 0 and ids.split():
            rc, out = run.podman("inspect", "--format", "{{.Name}} {{.State.Status}} {{.State.ExitCode}}",
                                 *ids.split())
            rows = [line.split() for line in out.splitlines() if line.strip()]
        bad = [r for r in rows if len(r) != 3 or r[1] != "exited" or r[2] != "0"]
        run.check("every container exited 0 on SIGTERM (SIGINT for postgres)", rc == 0 and rows and not bad,
                  f"{len(rows)} containers in {stop_s:.1f} s" if not bad else " ".join("/".join(r) for r in bad))
        run.compose("down", "-v", "--remove-orphans", "-t", "30", timeout=240,
                    check_name="down -v: containers, network and volumes removed")
        rc, left = run.podman("ps", "-a", "-q", "--filter", f"label=com.docker.compose.project={run.args.project}")
        rc2, vols = run.podman("volume", "ls", "-q", "--filter", f"label=com.docker.compose.project={run.args.project}")
        run.check("nothing of the project is left", rc == 0 and rc2 == 0 and not left.strip() and not vols.strip(),
                  f"containers: {left.split()} volumes: {vols.split()}" if left.strip() or vols.strip() else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--project", required=True)
    ap.add_argument("--compose-file", required=True, action="append", help="repeat for overrides")
    ap.add_argument("--bridge", required=True, help="http://127.0.0.1:PORT (the published bridge port)")
    ap.add_argument("--prometheus", required=True)
    ap.add_argument("--spec", required=True)
    ap.add_argument("--logs", required=True)
    ap.add_argument("--started-at", type=float, default=time.time(), help="epoch seconds the run started")
    ap.add_argument("--keep", action="store_true", help="leave the stack up (no stop/down)")
    args = ap.parse_args()
    run = Run(args)
    try:
        step_up(run)
        if not run.failed:
            step_direct(run)
            step_contract(run)
            step_kill(run)
            step_scale(run)
            step_metrics(run)
    finally:
        if not args.keep:
            step_down(run)
    print("== times: " + ", ".join(f"{name} {s:.0f} s" for name, s in run.steps)
          + f"; total {run.elapsed():.0f} s", flush=True)
    for name in run.failed:
        print(f"failed: {name}", flush=True)
    print(f"{run.passed} passed, {len(run.failed)} failed", flush=True)
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
