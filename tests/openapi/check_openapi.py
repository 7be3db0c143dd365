#!/usr/bin/env python3
"""Checks that a running qscan bridge answers as docs/api/openapi.yaml says.

usage: check_openapi.py QSCAN_BINARY SPEC
       check_openapi.py --base-url http://HOST:PORT [--fault-injection] [--cve-id ID] SPEC

Starts `QSCAN_BINARY serve --listen 127.0.0.1:0 --data-dir TMP` (and a second
instance with API keys and a small body limit, for 401/403/429/413), sends real
requests to every documented route (every alias, the /quantum prefix, and the
error cases), and checks for each answer that:
  - its status is the one the request should get, and is documented for that
    path and method;
  - its Content-Type is the documented media type (application/json or text/plain);
  - its JSON body validates against the documented schema (OpenAPI 3.0 schemas
    converted to JSON Schema 2020-12: `nullable`, `$ref` to components);
  - the headers documented as `required: true` are present and fit their schema.
It also checks that every documented path+method got at least one 2xx answer.

With --base-url it starts nothing and checks the server already running there
(a `qscan serve`, or a cluster's bridge such as deploy/docker-compose.yml's),
which must take requests without API keys: the same checks as the first
server's, with the asset ids and the Idempotency-Key made unique to this run,
so a server that keeps its data can be checked again. Left out there: the keyed
server's checks; the degraded answers, unless --fault-injection says the server
runs with it; the known CVE's lookup (and its coverage), unless --cve-id names
one its catalogue holds. Its scan job targets 127.0.0.1:1 and [::1]:1, which
the server's (or its scanners') --scan-allow must admit (the default does).

Prints one line per mismatch, then `N passed, M failed`; exits 1 on any failure.
Uses only 127.0.0.1 (or the --base-url host); every request and every wait has a deadline.
Needs python3 with PyYAML and jsonschema (Debian: python3-yaml, python3-jsonschema).
"""

import copy
import http.client
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

try:
    import yaml
    import jsonschema
except ImportError as e:  # pragma: no cover
    print(f"check_openapi: needs PyYAML and jsonschema ({e})", file=sys.stderr)
    sys.exit(2)

HOST = "127.0.0.1"
# Prepended to every asset id and Idempotency-Key the checks send ("" for the
# servers this script starts; unique per run with --base-url).
ID_PREFIX = ""
STARTUP_DEADLINE = 30.0    # seconds for the server to print its listening line
REQUEST_TIMEOUT = 20.0     # seconds for any one request
STOP_DEADLINE = 20.0       # seconds for SIGTERM to end the server

# Keys for the second server (at least 16 characters each).
USER_KEY = "user-key-0123456789abcdef"
ADMIN_KEY = "admin-key-0123456789abcdef"
SLOW_KEY = "slow-key-0123456789abcdef"

OAS_ONLY = {"nullable", "example", "discriminator", "xml", "externalDocs", "deprecated"}


# --------------------------------------------------------------------------- spec


class Spec:
    """The OpenAPI document, with its schemas converted to JSON Schema."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = yaml.safe_load(f)
        self.problems = []
        if not str(self.doc.get("openapi", "")).startswith("3.0"):
            self.problems.append(f"spec: openapi is {self.doc.get('openapi')!r}, expected 3.0.x")
        schemas = self.doc.get("components", {}).get("schemas", {})
        self.defs = {name: self.convert(s) for name, s in schemas.items()}
        validator_cls = jsonschema.Draft202012Validator
        for name, s in self.defs.items():
            try:
                validator_cls.check_schema(s)
            except jsonschema.SchemaError as e:
                self.problems.append(f"spec: components.schemas.{name} is not a valid schema: {e.message}")
        self.check_refs(self.doc, "#")

    # OpenAPI 3.0 schema -> JSON Schema 2020-12.
    def convert(self, s):
        if not isinstance(s, dict):
            return s
        if "$ref" in s:  # OpenAPI 3.0: siblings of $ref are ignored
            ref = s["$ref"]
            prefix = "#/components/schemas/"
            if not ref.startswith(prefix):
                raise ValueError(f"unsupported schema $ref {ref}")
            out = {"$ref": "#/$defs/" + ref[len(prefix):]}
            return out
        out = {}
        for key, value in s.items():
            if key in OAS_ONLY:
                continue
            if key == "properties":
                out[key] = {name: self.convert(sub) for name, sub in value.items()}
            elif key in ("items", "not"):
                out[key] = self.convert(value)
            elif key == "additionalProperties":
                out[key] = self.convert(value) if isinstance(value, dict) else value
            elif key in ("allOf", "anyOf", "oneOf"):
                out[key] = [self.convert(sub) for sub in value]
            else:
                out[key] = copy.deepcopy(value)
        if s.get("nullable") is True:
            out = {"anyOf": [{"type": "null"}, out]}
        return out

    def check_refs(self, node, where):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                try:
                    self.resolve(ref)
                except KeyError:
                    self.problems.append(f"spec: {where}: $ref {ref} does not resolve")
            for k, v in node.items():
                self.check_refs(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                self.check_refs(v, f"{where}/{i}")

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise KeyError(ref)
        node = self.doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node[part]
        return node

    def deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self.resolve(node["$ref"])
        return node

    def validator(self, oas_schema):
        root = dict(self.convert(oas_schema))
        if "$ref" in root:
            root = {"allOf": [root]}
        root["$defs"] = self.defs
        return jsonschema.Draft202012Validator(root)

    def operation(self, path, method):
        item = self.doc.get("paths", {}).get(path)
        if item is None:
            return None
        return item.get(method.lower())

    def operations(self):
        for path, item in self.doc.get("paths", {}).items():
            for method in ("get", "post", "put", "patch", "delete"):
                if method in item:
                    yield path, method.upper()


# ------------------------------------------------------------------------- server


def seed_catalogue(binary, data_dir):
    """A one-CVE catalogue in DATA_DIR/cves.db, so GET /v1/cves/{id} has something to answer."""
    os.makedirs(data_dir, exist_ok=True)
    feed = os.path.join(data_dir, "feed.json")
    with open(feed, "w") as f:
        json.dump({"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{"cve": {
            "id": "CVE-2024-3400", "published": "2024-04-12T08:15:06.230",
            "lastModified": "2024-04-19T01:00:01.597", "vulnStatus": "Analyzed",
            "descriptions": [{"lang": "en", "value": "A command injection in GlobalProtect."}],
            "metrics": {"cvssMetricV31": [{"type": "Primary", "cvssData": {
                "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
                "baseScore": 10.0, "baseSeverity": "CRITICAL"}}]}}}]}, f)
    subprocess.run([binary, "intel", "import-nvd", feed, "--data-dir", data_dir], check=True,
                   stdout=subprocess.DEVNULL)


class Server:
    """One `qscan serve` child on 127.0.0.1 with a free port."""

    def __init__(self, binary, workdir, name, extra_args=()):
        self.name = name
        self.data_dir = os.path.join(workdir, name + "-data")
        self.log_path = os.path.join(workdir, name + ".stderr")
        self.port = None
        self.stdout_lines = queue.Queue()
        args = [binary, "serve", "--listen", f"{HOST}:0", "--data-dir", self.data_dir, *extra_args]
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self.log)
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for raw in self.proc.stdout:
            self.stdout_lines.put(raw.decode("utf-8", "replace"))
        self.stdout_lines.put(None)

    def wait_listening(self):
        deadline = time.monotonic() + STARTUP_DEADLINE
        pattern = re.compile(r"listening on http://(\[[^\]]+\]|[^\s:/]+):(\d+)")
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"{self.name}: no 'listening on' line within {STARTUP_DEADLINE:.0f} s")
            try:
                line = self.stdout_lines.get(timeout=min(left, 0.5))
            except queue.Empty:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name}: exited with {self.proc.returncode} before listening: "
                                       + self.stderr_tail())
                continue
            if line is None:
                self.proc.wait(timeout=5)
                raise RuntimeError(f"{self.name}: stdout closed before listening "
                                   f"(exit {self.proc.returncode}): " + self.stderr_tail())
            m = pattern.search(line)
            if m:
                host = m.group(1).strip("[]")
                if host != HOST:
                    raise RuntimeError(f"{self.name}: listening on {host}, expected {HOST}")
                self.port = int(m.group(2))
                return

    def stderr_tail(self):
        try:
            if not self.log.closed:
                self.log.flush()
            with open(self.log_path, "rb") as f:
                return f.read()[-2000:].decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        """SIGTERM, then SIGKILL past the deadline; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_DEADLINE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()
        return self.proc.returncode


# ------------------------------------------------------------------------ checker


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case name -> value
        self.body = body
        self.json = None

    def header(self, name):
        return self.headers.get(name.lower())


def describe(err):
    """One line for a schema error; for anyOf/oneOf, the innermost reason."""
    while err.context:
        # A nullable value that is not null: the reason is in the non-null branch.
        candidates = [e for e in err.context
                      if not (e.validator == "type" and e.validator_value == "null")] or err.context
        inner = jsonschema.exceptions.best_match(candidates)
        if inner is None:
            break
        err = inner
    where = "/".join(map(str, err.absolute_path)) or "(root)"
    message = err.message if len(err.message) <= 200 else err.message[:200] + "..."
    return f"at {where}: {message}"


class Remote:
    """A server this script did not start (--base-url): only its address."""

    def __init__(self, url):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme != "http" or not parsed.hostname or parsed.path not in ("", "/"):
            raise ValueError(f"--base-url: expected http://HOST:PORT, got {url!r}")
        self.name = "remote"
        self.host = parsed.hostname
        self.port = parsed.port or 80


def send(port, method, path, body=None, headers=None, timeout=REQUEST_TIMEOUT, host=HOST):
    """One request on its own connection; returns an Answer."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        elif isinstance(body, str):
            body = body.encode()
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        return Answer(resp.status, hdrs, data)
    finally:
        conn.close()


class Checker:
    def __init__(self, spec):
        self.spec = spec
        self.passed = 0
        self.failures = []
        self.ok_operations = set()  # (path template, METHOD) that answered 2xx and matched
        self._validators = {}

    def _validator(self, key, oas_schema):
        if key not in self._validators:
            self._validators[key] = self.spec.validator(oas_schema)
        return self._validators[key]

    def fail(self, label, problems):
        self.failures.append((label, problems))
        print(f"FAIL {label}", flush=True)
        for p in problems:
            print(f"     - {p}", flush=True)

    def request(self, server, method, path, template, expect, label=None, body=None, headers=None,
                extra=None, check_request_body=True):
        """Sends one request and checks its answer against the spec.

        template: the documented path (None for a path that is not documented;
        then the answer is checked against components.responses.NotFound).
        expect: the status this request must get. extra(answer) may return more
        problems (contract checks the schema cannot express).
        """
        label = label or f"{method} {path} -> {expect}"
        problems = []
        try:
            answer = send(server.port, method, path, body=body, headers=headers,
                          host=getattr(server, "host", HOST))
        except (OSError, http.client.HTTPException) as e:
            self.fail(label, [f"request failed: {type(e).__name__}: {e}"])
            return None

        if answer.status != expect:
            problems.append(f"status {answer.status}, expected {expect}; body: {answer.body[:300]!r}")

        # Which documented response applies.
        response = None
        if template is None:
            if answer.status == 404:
                response = self.spec.deref({"$ref": "#/components/responses/NotFound"})
            else:
                problems.append(f"status {answer.status} for an undocumented path")
        else:
            op = self.spec.operation(template, method)
            if op is None:
                if answer.status == 405:
                    response = self.spec.deref({"$ref": "#/components/responses/MethodNotAllowed"})
                else:
                    problems.append(f"{method} {template} is not documented")
            else:
                responses = op.get("responses", {})
                response = responses.get(str(answer.status))
                if response is None:
                    problems.append(f"status {answer.status} is not documented for {method} {template} "
                                    f"(documented: {', '.join(sorted(responses))})")
                else:
                    response = self.spec.deref(response)
                # The request body we sent should fit the documented request schema.
                if (check_request_body and 200 <= expect < 300 and isinstance(body, (dict, list))
                        and "requestBody" in op):
                    rb = self.spec.deref(op["requestBody"])
                    schema = rb.get("content", {}).get("application/json", {}).get("schema")
                    if schema is not None:
                        v = self._validator(("req", template, method), schema)
                        for err in sorted(v.iter_errors(body), key=lambda e: list(e.absolute_path)):
                            problems.append("request body does not fit the documented request schema "
                                            + describe(err))

        if response is not None:
            problems += self._check_response(answer, response, (template, method, answer.status))

        if not problems and extra is not None:
            try:
                problems += extra(answer) or []
            except Exception as e:  # a contract check that could not read the answer
                problems.append(f"contract check raised {type(e).__name__}: {e}")

        if problems:
            self.fail(label, problems)
        else:
            self.passed += 1
            if template is not None and 200 <= answer.status < 300:
                self.ok_operations.add((template, method))
        return answer

    def _check_response(self, answer, response, key):
        problems = []
        content = response.get("content", {})
        ctype = answer.header("Content-Type") or ""
        media = ctype.split(";")[0].strip().lower()
        if content:
            if media not in content:
                problems.append(f"Content-Type {ctype!r}, documented: {', '.join(content)}")
            elif media == "application/json":
                try:
                    answer.json = json.loads(answer.body)
                except ValueError as e:
                    problems.append(f"body is not JSON ({e}): {answer.body[:200]!r}")
                else:
                    schema = content[media].get("schema")
                    if schema is not None:
                        v = self._validator(("resp",) + key, schema)
                        errors = sorted(v.iter_errors(answer.json), key=lambda e: list(e.absolute_path))
                        for err in errors[:10]:
                            problems.append("body " + describe(err))
                        if len(errors) > 10:
                            problems.append(f"... and {len(errors) - 10} more schema errors")
            elif media.startswith("text/"):
                try:
                    answer.body.decode("utf-8")
                except UnicodeDecodeError:
                    problems.append("text body is not UTF-8")
        for name, h in response.get("headers", {}).items():
            h = self.spec.deref(h)
            value = answer.header(name)
            if value is None:
                if h.get("required"):
                    problems.append(f"required header {name} is missing")
                continue
            schema = dict(h.get("schema", {}))
            if schema.get("type") == "integer":
                if not re.fullmatch(r"\d+", value):
                    problems.append(f"header {name}: {value!r} is not an integer")
                    continue
                instance = int(value)
            else:
                instance = value
            v = self._validator(("hdr", name, json.dumps(schema, sort_keys=True)), schema)
            for err in v.iter_errors(instance):
                problems.append(f"header {name}: {err.message[:200]}")
        return problems

    def coverage(self, skipped=()):
        missing = [f"{m} {p}" for p, m in self.spec.operations()
                   if (p, m) not in self.ok_operations and (p, m) not in skipped]
        if missing:
            self.fail("every documented operation answered 2xx as documented",
                      [f"never exercised successfully: {x}" for x in missing])
        else:
            self.passed += 1


# ------------------------------------------------------------------------ samples


def sample_batch(prefix):
    """Three scan results: the client's shape, Scorpius findings, the older shape."""
    prefix = ID_PREFIX + prefix
    return [
        {
            "asset_id": f"{prefix}-api-gateway-01",
            "asset_type": "web_service",
            "vulnerabilities": [
                {"type": "weak_crypto", "severity": "high", "algorithm": "RSA-1024",
                 "location": "/api/auth", "cwe_id": "CWE-327", "cvss_score": 7.5,
                 "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
                 "cve_id": "CVE-2023-0001", "title": "Weak RSA key", "confidence": 0.9},
                {"type": "deprecated_hash", "severity": "MEDIUM", "algorithm": "SHA-1"},
                {"type": "tls", "severity": "low", "algorithm": "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
            ],
            "quantum_risk_score": 0.7,
            "timestamp": "2026-11-25T10:00:00",
            "metadata": {"scanner": "openapi-check"},
            "unknown_member": {"kept": True},
        },
        {
            "asset_id": f"{prefix}-vault-contract",
            "asset_type": "smart_contract",
            "vulnerabilities": [
                {"id": "SLITHER-1", "title": "Reentrancy in withdraw()", "category": "reentrancy",
                 "severity": "HIGH", "severity_value": 3, "confidence": "Medium",
                 "description": "External call before state update",
                 "location": {"filename": "Vault.sol", "line": 42, "column": 5},
                 "cwe_id": 841, "swc_id": "SWC-107", "recommendation": "Use checks-effects-interactions",
                 "references": ["https://swcregistry.io/docs/SWC-107"], "tags": ["slither"]},
                {"title": "Weak randomness", "severity_value": 2, "confidence": 0.4,
                 "location": "Lottery.sol:10"},
            ],
            "timestamp": "2026-11-25T10:00:00.123456+00:00",
            "metadata": {},
        },
        {
            "target_id": f"{prefix}-legacy-host",
            "target_type": "server",
            "scan_time": "2026-11-25T10:00:00+00:00",
            "findings": [
                {"vulnerability_type": "weak_crypto", "severity": "critical",
                 "details": {"algorithm": "DES", "location": "/etc/ssl", "quantum_vulnerable": True}},
                {"vulnerability_type": "key_exchange", "severity": "high",
                 "details": {"algorithm": "ECDH-P256", "quantum_vulnerable": True}},
            ],
            "risk_score": 0.8,
            "scan_metadata": {"source": "older-scorpius"},
        },
    ]


def has_z(ts):
    return isinstance(ts, str) and ts.rstrip().endswith(("Z", "z"))


def expect_items(list_key, n):
    def check(a):
        items = a.json.get(list_key, [])
        probs = []
        if len(items) != n:
            probs.append(f"{list_key}: {len(items)} items, expected {n} (one per scan result)")
        for i, it in enumerate(items):
            for k in ("predicted_at", "detected_at"):
                if has_z(it.get(k)):
                    probs.append(f"{list_key}[{i}].{k} ends with Z: {it.get(k)}")
        return probs
    return check


def expect_error(code):
    def check(a):
        got = a.json["error"]["code"]
        return [] if got == code else [f"error.code {got!r}, expected {code!r}"]
    return check


def expect_role(role):
    def check(a):
        got = a.json.get("role")
        return [] if got == role else [f"role {got!r}, expected {role!r}"]
    return check


def all_of(*checks):
    def check(a):
        out = []
        for c in checks:
            out += c(a) or []
        return out
    return check


# -------------------------------------------------------------------------- cases


ALIASES = {
    "predict": ["/ai-threat-predictor/predict", "/api/v1/ai-threat-predictor/predict"],
    "anomalies": ["/ai-threat-predictor/detect-anomalies", "/api/v1/ai-threat-predictor/anomalies"],
    "health": ["/ai-threat-predictor/health", "/api/v1/ai-threat-predictor/health", "/health", "/healthz"],
    "model_info": ["/ai-threat-predictor/model-info", "/api/v1/ai-threat-predictor/model/info"],
    "train": ["/ai-threat-predictor/train", "/api/v1/ai-threat-predictor/model/train"],
    "status": ["/status", "/v1/status"],
}


def send_to(srv, method, path, **kwargs):
    return send(srv.port, method, path, host=getattr(srv, "host", HOST), **kwargs)


def run_main_server(ck, srv, fault_injection=True, cve_id="CVE-2024-3400"):
    J = {"Content-Type": "application/json"}

    # Health, every alias, the /quantum prefix and a trailing slash.
    def healthy(a):
        return [] if a.json.get("status") == "healthy" else [f"status {a.json.get('status')!r}, not 'healthy'"]
    for p in ALIASES["health"]:
        ck.request(srv, "GET", p, p, 200, extra=healthy)
        ck.request(srv, "GET", "/quantum" + p, p, 200, label=f"GET /quantum{p} -> 200", extra=healthy)
    ck.request(srv, "GET", "/ai-threat-predictor/health/", "/ai-threat-predictor/health", 200,
               label="GET /ai-threat-predictor/health/ (trailing slash) -> 200", extra=healthy)
    ck.request(srv, "GET", "/v1/health", "/v1/health", 200)
    ck.request(srv, "GET", "/v1/cluster", "/v1/cluster", 200)
    ck.request(srv, "GET", "/v1/whoami", "/v1/whoami", 200, extra=expect_role("open"))

    for p in ALIASES["model_info"] + ALIASES["status"]:
        ck.request(srv, "GET", p, p, 200)
        ck.request(srv, "GET", "/quantum" + p, p, 200, label=f"GET /quantum{p} -> 200")

    # Predict and detect-anomalies, every alias, bare and under /quantum.
    for key, list_key in (("predict", "predictions"), ("anomalies", "anomalies")):
        for p in ALIASES[key]:
            for prefix in ("", "/quantum"):
                batch = {"scan_results": sample_batch(f"oa{len(prefix)}"), "extra_request_member": 1}
                def warned(a):
                    w = a.json.get("warnings") or []
                    return [] if any("older" in x for x in w) else [f"no warning about the older shape: {w}"]
                ck.request(srv, "POST", prefix + p, p, 200, label=f"POST {prefix}{p} -> 200",
                           body=batch, extra=all_of(expect_items(list_key, 3), warned))
        ck.request(srv, "POST", ALIASES[key][0], ALIASES[key][0], 200,
                   label=f"POST {ALIASES[key][0]} empty batch -> 200",
                   body={"scan_results": []}, extra=expect_items(list_key, 0))

    # A body without Content-Type is read as JSON; "+json" types are accepted.
    ck.request(srv, "POST", "/ai-threat-predictor/predict", "/ai-threat-predictor/predict", 200,
               label="POST predict without Content-Type -> 200",
               body=json.dumps({"scan_results": sample_batch("noct")[:1]}),
               extra=expect_items("predictions", 1))
    ck.request(srv, "POST", "/ai-threat-predictor/predict", "/ai-threat-predictor/predict", 200,
               label="POST predict application/vnd.api+json; charset=utf-8 -> 200",
               body=json.dumps({"scan_results": sample_batch("plus")[:1]}),
               headers={"Content-Type": "application/vnd.api+json; charset=utf-8"},
               extra=expect_items("predictions", 1))

    # Enhance: full and empty.
    def enhanced(n):
        def check(a):
            j = a.json
            probs = []
            for k in ("original_results", "ai_predictions", "anomaly_detections"):
                if len(j.get(k, [])) != n:
                    probs.append(f"{k}: {len(j.get(k, []))} items, expected {n}")
            for i, r in enumerate(j.get("original_results", [])):
                if has_z(r.get("timestamp")):
                    probs.append(f"original_results[{i}].timestamp ends with Z: {r.get('timestamp')}")
            if has_z(j.get("analysis_timestamp")):
                probs.append("analysis_timestamp ends with Z")
            risk = j["enhanced_risk_assessment"]
            if n == 0 and risk != {"overall_risk": 0.0, "risk_factors": []}:
                probs.append(f"empty batch: enhanced_risk_assessment is {risk}")
            if n > 0:
                q = [r["quantum_risk_score"] for r in j["original_results"]]
                t = [p["threat_score"] for p in j["ai_predictions"]]
                an = [x["is_anomaly"] for x in j["anomaly_detections"]]
                avg_q = sum(q) / len(q)
                avg_t = sum(t) / len(t) if t else 0.0
                rate = sum(1 for x in an if x) / len(an) if an else 0.0
                want = min(0.4 * avg_q + 0.4 * avg_t + 0.2 * rate, 1.0)
                if abs(risk["overall_risk"] - want) > 1e-6:
                    probs.append(f"overall_risk {risk['overall_risk']}, expected {want} from the answers")
                level = ("CRITICAL" if want >= 0.8 else "HIGH" if want >= 0.6 else "MEDIUM" if want >= 0.4
                         else "LOW" if want >= 0.2 else "MINIMAL")
                if risk["risk_level"] != level:
                    probs.append(f"risk_level {risk['risk_level']}, expected {level}")
            return probs
        return check
    for prefix in ("", "/quantum"):
        batch = sample_batch(f"en{len(prefix)}")
        batch[0]["timestamp"] = "2026-11-25T10:00:00Z"
        ck.request(srv, "POST", prefix + "/v1/enhance", "/v1/enhance", 200,
                   label=f"POST {prefix}/v1/enhance -> 200", body={"scan_results": batch},
                   extra=enhanced(3))
    ck.request(srv, "POST", "/v1/enhance", "/v1/enhance", 200, label="POST /v1/enhance empty batch -> 200",
               body={"scan_results": []}, extra=enhanced(0))

    # Train, both aliases and both model types.
    def trained(n, model_type):
        def check(a):
            j = a.json
            probs = []
            if j["stored_examples"] != n:
                probs.append(f"stored_examples {j['stored_examples']}, expected {n}")
            if j["model_type"] != model_type:
                probs.append(f"model_type {j['model_type']}, expected {model_type}")
            return probs
        return check
    train_data = sample_batch("tr")
    train_data[0]["vulnerabilities"][0]["exploited"] = True
    for p in ALIASES["train"]:
        ck.request(srv, "POST", p, p, 200, body={"training_data": train_data, "model_type": "threat_predictor"},
                   extra=trained(3, "threat_predictor"))
        ck.request(srv, "POST", "/quantum" + p, p, 200, label=f"POST /quantum{p} anomaly_detector -> 200",
                   body={"training_data": train_data[:1], "model_type": "anomaly_detector"},
                   extra=trained(1, "anomaly_detector"))
    ck.request(srv, "POST", ALIASES["train"][0], ALIASES["train"][0], 200,
               label="POST train without model_type -> 200",
               body={"training_data": train_data[:2]}, extra=trained(2, "threat_predictor"))

    # An asset's metric series: ten scans through detect-anomalies, then the series.
    for day in range(1, 11):
        ck.request(srv, "POST", "/ai-threat-predictor/detect-anomalies",
                   "/ai-threat-predictor/detect-anomalies", 200,
                   label=f"POST detect-anomalies series scan {day} -> 200",
                   body={"scan_results": [{"asset_id": ID_PREFIX + "oa-series", "timestamp": f"2026-01-{day:02d}T10:00:00",
                                           "vulnerabilities": [{"type": "weak_crypto", "severity": "high",
                                                                "algorithm": "RSA-2048"}] * (1 + day % 2)}]},
                   extra=expect_items("anomalies", 1))
    series_tmpl = "/v1/assets/{asset_id}/series"
    def ten_points(a):
        counts = a.json["series"][0]
        return [] if len(counts["points"]) == 10 and counts["name"] == "finding_count" else [
            f"finding_count series: {counts}"]
    ck.request(srv, "GET", f"/v1/assets/{ID_PREFIX}oa-series/series", series_tmpl, 200, extra=ten_points,
               label="GET /v1/assets/oa-series/series -> 200")
    ck.request(srv, "GET", "/v1/assets/no-such-asset/series", series_tmpl, 404, extra=expect_error("not_found"))

    # Asset history (the predict calls above stored these assets).
    asset = ID_PREFIX + "oa0-api-gateway-01"
    tmpl = "/v1/assets/{asset_id}"
    first = ck.request(srv, "GET", f"/v1/assets/{asset}", tmpl, 200,
                       extra=lambda a: [] if a.json["total"] >= 2 and a.json["latest"] is not None
                       else [f"total {a.json['total']}, latest {a.json['latest']!r}"])
    page = ck.request(srv, "GET", f"/v1/assets/{asset}?limit=1", tmpl, 200,
                      extra=lambda a: [] if len(a.json["history"]) == 1 and a.json["next"]
                      else ["limit=1: expected one entry and a next cursor"])
    if page is not None and page.json and page.json.get("next"):
        cursor = urllib.parse.quote(page.json["next"], safe="")
        ck.request(srv, "GET", f"/v1/assets/{asset}?limit=1&cursor={cursor}", tmpl, 200,
                   label="GET /v1/assets/{asset_id}?cursor=NEXT -> 200")
    ck.request(srv, "GET", f"/quantum/v1/assets/{asset}", tmpl, 200, label="GET /quantum/v1/assets/{asset_id} -> 200")
    odd = ID_PREFIX + "oa0-legacy-host"
    ck.request(srv, "GET", "/v1/assets/" + urllib.parse.quote(odd, safe=""), tmpl, 200,
               label="GET /v1/assets/{older-shape asset} -> 200")
    ck.request(srv, "GET", "/v1/assets/no-such-asset", tmpl, 404, extra=expect_error("not_found"))

    # The estate: the asset list, the overview, what changed.
    def lists_asset(a):
        ids = [r["asset_id"] for r in a.json["assets"]]
        return [] if asset in ids and a.json["total"] >= 1 else [f"{asset} not in {ids}"]
    ck.request(srv, "GET", "/v1/assets?limit=500", "/v1/assets", 200, extra=lists_asset)
    ck.request(srv, "GET", "/v1/assets/", "/v1/assets", 200, label="GET /v1/assets/ -> 200 (the list)")
    ck.request(srv, "GET", f"/v1/assets?q={urllib.parse.quote(asset.upper())}&sort=asset_id&order=asc",
               "/v1/assets", 200, extra=lists_asset, label="GET /v1/assets?q=ASSET (any case) -> 200")
    ck.request(srv, "GET", "/v1/assets?limit=2&sort=last_seen", "/v1/assets", 200,
               extra=lambda a: [] if len(a.json["assets"]) == 2 else ["not 2 rows"])
    ck.request(srv, "GET", "/v1/assets?risk_level=CRITICAL", "/v1/assets", 200,
               extra=lambda a: [] if all(r["risk_level"] == "CRITICAL" for r in a.json["assets"])
               else ["a row of another level"])
    for bad in ("sort=name", "order=up", "limit=501", "offset=-1", "risk_level=SEVERE"):
        ck.request(srv, "GET", "/v1/assets?" + bad, "/v1/assets", 400, extra=expect_error("invalid_request"),
                   label=f"GET /v1/assets?{bad} -> 400")
    ck.request(srv, "GET", "/v1/overview", "/v1/overview", 200,
               extra=lambda a: [] if a.json["assets"] >= 1 and sum(a.json["by_risk_level"].values())
               == a.json["assets"] else [f"levels do not add up: {a.json}"])
    changes_tmpl = "/v1/assets/{asset_id}/changes"
    ck.request(srv, "GET", f"/v1/assets/{asset}/changes", changes_tmpl, 200)
    if first is not None and first.json:
        ids = [e["id"] for e in first.json["history"]]
        ck.request(srv, "GET", f"/v1/assets/{asset}/changes?from={ids[-1]}&to={ids[0]}", changes_tmpl, 200,
                   label="GET /v1/assets/{asset_id}/changes?from=&to= -> 200",
                   extra=lambda a: [] if a.json["from"]["id"] == ids[-1] and a.json["to"]["id"] == ids[0]
                   else [f"not from {ids[-1]} to {ids[0]}"])
    ck.request(srv, "GET", f"/v1/assets/{asset}/changes?from=999999999", changes_tmpl, 400,
               extra=expect_error("invalid_request"))
    ck.request(srv, "GET", "/v1/assets/no-such-asset/changes", changes_tmpl, 404, extra=expect_error("not_found"))
    if cve_id:
        ck.request(srv, "GET", f"/v1/cves/{cve_id}", "/v1/cves/{cve_id}", 200)
    ck.request(srv, "GET", "/v1/cves/CVE-2017-0144", "/v1/cves/{cve_id}", 404,
               extra=expect_error("not_found"), label="GET /v1/cves/{unknown} -> 404")
    ck.request(srv, "GET", f"/v1/assets/{asset}?limit=0", tmpl, 400, extra=expect_error("invalid_request"))
    ck.request(srv, "GET", f"/v1/assets/{asset}?limit=abc", tmpl, 400, extra=expect_error("invalid_request"))
    ck.request(srv, "GET", f"/v1/assets/{asset}?cursor=%00garbage", tmpl, 400,
               extra=expect_error("invalid_request"))

    # Scan jobs, against a loopback port nothing listens on (the check needs no
    # servers of its own): accepted, followed to the end, reported.
    scans = "/v1/scans"
    job_tmpl = "/v1/scans/{scan_id}"
    accepted = ck.request(srv, "POST", scans, scans, 202,
                          body={"targets": ["tls://127.0.0.1:1", "ssh://[::1]:1"],
                                "options": {"timeout_ms": 500}, "ticket": "T-1"},
                          extra=lambda a: [] if a.header("Location") == "/v1/scans/" + a.json["id"]
                          else ["Location does not name the job"])
    if accepted is not None and accepted.json:
        job = "/v1/scans/" + accepted.json["id"]
        status = None
        for _ in range(200):
            status = send_to(srv, "GET", job)
            if status.status == 200 and json.loads(status.body)["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        ck.request(srv, "GET", job, job_tmpl, 200,
                   extra=lambda a: [] if a.json["status"] == "done" and len(a.json["results"]) == 2
                   and a.json["request"]["ticket"] == "T-1" else [f"not done with 2 results: {a.json}"])
        ck.request(srv, "GET", job + "?limit=1", job_tmpl, 200, label="GET /v1/scans/{scan_id}?limit=1 -> 200",
                   extra=lambda a: [] if len(a.json["results"]) == 1 and a.json["next"] else ["no next page"])
        ck.request(srv, "GET", job + "?limit=0", job_tmpl, 400, extra=expect_error("invalid_request"))
        ck.request(srv, "GET", job + "/cbom", job_tmpl + "/cbom", 200,
                   extra=lambda a: [] if json.loads(a.body)["bomFormat"] == "CycloneDX" else ["not a CBOM"])
        ck.request(srv, "GET", job + "/sarif", job_tmpl + "/sarif", 200,
                   extra=lambda a: [] if json.loads(a.body)["version"] == "2.1.0" else ["not SARIF"])
    ck.request(srv, "GET", "/v1/scans/scan-nope", job_tmpl, 404, extra=expect_error("not_found"))
    ck.request(srv, "GET", "/v1/scans/scan-nope/cbom", job_tmpl + "/cbom", 404, extra=expect_error("not_found"))
    ck.request(srv, "POST", scans, scans, 403, label="POST /v1/scans outside --scan-allow -> 403",
               body={"targets": ["tls://192.0.2.1:443"]}, extra=expect_error("target_not_allowed"))
    ck.request(srv, "POST", scans, scans, 422, label="POST /v1/scans bad target -> 422",
               body={"targets": ["gopher://x"]}, extra=expect_error("invalid_request"))
    ck.request(srv, "POST", scans, scans, 400, label="POST /v1/scans malformed JSON -> 400",
               body="{", headers=J, extra=expect_error("malformed_json"))
    ck.request(srv, "GET", scans, scans, 200, label="GET /v1/scans -> 200 (the list)",
               extra=lambda a: [] if a.json["total"] >= 1 and a.json["scans"]
               and a.json["scans"][0]["links"]["self"].startswith("/v1/scans/") else [f"no job listed: {a.json}"])
    ck.request(srv, "GET", scans + "?limit=1&status=done", scans, 200,
               extra=lambda a: [] if len(a.json["scans"]) <= 1
               and all(j["status"] == "done" for j in a.json["scans"]) else ["not one done job"])
    ck.request(srv, "GET", scans + "?status=sleeping", scans, 400, extra=expect_error("invalid_request"))

    # Schedules: made, listed, read, run, deleted.
    sch, one = "/v1/schedules", "/v1/schedules/{schedule_id}"
    made = ck.request(srv, "POST", sch, sch, 201, body={"targets": ["tls://127.0.0.1:1"], "every": "1h",
                                                       "jitter": "1s", "name": "<i>hourly</i>", "ticket": "T-2"},
                      extra=lambda a: [] if a.header("Location") == "/v1/schedules/" + a.json["id"]
                      and a.json["name"] == "<i>hourly</i>" else [f"Location {a.header('Location')!r}"])
    ck.request(srv, "POST", sch, sch, 201, label="POST /v1/schedules cron -> 201",
               body={"targets": ["tls://127.0.0.1:1"], "cron": "*/5 3-4 * * 1-5"})
    ck.request(srv, "POST", sch, sch, 422, label="POST /v1/schedules every and cron -> 422",
               body={"targets": ["tls://127.0.0.1:1"], "every": "1h", "cron": "0 3 * * *"},
               extra=expect_error("invalid_request"))
    ck.request(srv, "POST", sch, sch, 422, label="POST /v1/schedules bad cron -> 422",
               body={"targets": ["tls://127.0.0.1:1"], "cron": "61 * * * *"}, extra=expect_error("invalid_request"))
    ck.request(srv, "POST", sch, sch, 403, label="POST /v1/schedules outside --scan-allow -> 403",
               body={"targets": ["tls://192.0.2.1:443"], "every": "1d"}, extra=expect_error("target_not_allowed"))
    ck.request(srv, "GET", sch, sch, 200, extra=lambda a: [] if len(a.json["schedules"]) >= 2 else ["not listed"])
    if made is not None and made.json:
        path = "/v1/schedules/" + made.json["id"]
        ck.request(srv, "GET", path, one, 200)
        ck.request(srv, "DELETE", path, one, 204)
        ck.request(srv, "DELETE", path, one, 404, label="DELETE /v1/schedules/{gone} -> 404",
                   extra=expect_error("not_found"))
    ck.request(srv, "GET", "/v1/schedules/sch-nope", one, 404, extra=expect_error("not_found"))
    ck.request(srv, "PUT", "/v1/schedules/sch-nope", one, 405, label="PUT /v1/schedules/{id} -> 405",
               extra=lambda a: [] if a.header("Allow") == "GET, HEAD, DELETE" else [f"Allow {a.header('Allow')!r}"])
    ck.request(srv, "DELETE", scans, scans, 405, label="DELETE /v1/scans -> 405",
               extra=lambda a: [] if a.header("Allow") == "GET, HEAD, POST" else [f"Allow {a.header('Allow')!r}"])

    # Metrics.
    ck.request(srv, "GET", "/metrics", "/metrics", 200,
               extra=lambda a: [] if b"qscan_http_requests_total" in a.body else ["no qscan_http_requests_total"])
    ck.request(srv, "GET", "/quantum/metrics", "/metrics", 200, label="GET /quantum/metrics -> 200")

    # Error cases on every analysis route.
    posts = ALIASES["predict"] + ALIASES["anomalies"] + ["/v1/enhance"] + ALIASES["train"]
    for p in posts:
        lst = "training_data" if "train" in p else "scan_results"
        ck.request(srv, "POST", p, p, 400, label=f"POST {p} malformed JSON -> 400",
                   body='{"' + lst + '": [', headers=J, extra=expect_error("malformed_json"))
        ck.request(srv, "POST", p, p, 422, label=f"POST {p} missing {lst} -> 422",
                   body={"something_else": []}, extra=expect_error("invalid_request"))
        ck.request(srv, "POST", p, p, 415, label=f"POST {p} text/plain -> 415",
                   body=json.dumps({lst: []}), headers={"Content-Type": "text/plain"},
                   extra=expect_error("unsupported_media_type"))
        ck.request(srv, "GET", p, p, 405, label=f"GET {p} -> 405",
                   extra=lambda a: [] if a.header("Allow") == "POST" else [f"Allow {a.header('Allow')!r}"])

    bad_results = {"scan_results": [
        {"asset_type": "web_service"},                                       # no asset_id
        {"asset_id": "", "vulnerabilities": "none"},                         # empty id, not an array
        {"asset_id": "x", "vulnerabilities": [{"severity": "catastrophic"}]},
        {"asset_id": "y", "quantum_risk_score": 1.5, "timestamp": "yesterday", "metadata": []},
        {"asset_id": "z", "vulnerabilities": [{"cvss_score": 11, "confidence": 2, "cwe_id": "weak"}]},
        "not an object",
    ]}

    def details_paths(*want):
        def check(a):
            paths = [d["path"] for d in a.json["error"]["details"]]
            missing = [w for w in want if w not in paths]
            return [f"details lack {missing}; got {paths}"] if missing else []
        return check
    ck.request(srv, "POST", "/ai-threat-predictor/predict", "/ai-threat-predictor/predict", 422,
               label="POST predict invalid scan results -> 422 with every problem", body=bad_results,
               extra=all_of(expect_error("invalid_request"),
                            details_paths("scan_results[0].asset_id", "scan_results[1].asset_id",
                                          "scan_results[1].vulnerabilities",
                                          "scan_results[2].vulnerabilities[0].severity",
                                          "scan_results[3].quantum_risk_score", "scan_results[3].timestamp",
                                          "scan_results[3].metadata",
                                          "scan_results[4].vulnerabilities[0].cvss_score",
                                          "scan_results[4].vulnerabilities[0].confidence",
                                          "scan_results[4].vulnerabilities[0].cwe_id",
                                          "scan_results[5]")))
    ck.request(srv, "POST", "/ai-threat-predictor/detect-anomalies", "/ai-threat-predictor/detect-anomalies",
               422, label="POST detect-anomalies scan_results not an array -> 422",
               body={"scan_results": {"asset_id": "a"}}, extra=expect_error("invalid_request"))
    ck.request(srv, "POST", "/v1/enhance", "/v1/enhance", 422, label="POST /v1/enhance body is an array -> 422",
               body=[{"asset_id": "a"}], extra=expect_error("invalid_request"))
    ck.request(srv, "POST", "/ai-threat-predictor/train", "/ai-threat-predictor/train", 422,
               label="POST train bad model_type -> 422",
               body={"training_data": [], "model_type": "neural_net"}, extra=details_paths("model_type"))
    ck.request(srv, "POST", "/ai-threat-predictor/predict", "/ai-threat-predictor/predict", 400,
               label="POST predict JSON nested too deep -> 400",
               body='{"scan_results": ' + "[" * 200 + "]" * 200 + "}", headers=J, extra=expect_error("too_deep"))
    ck.request(srv, "POST", "/ai-threat-predictor/predict", "/ai-threat-predictor/predict", 400,
               label="POST predict empty body -> 400", body=b"", headers=J, extra=expect_error("malformed_json"))

    # HEAD is answered wherever GET is: the GET answer's status and headers, no body.
    for p in ALIASES["health"] + ALIASES["model_info"] + ALIASES["status"] + [
            "/v1/health", "/metrics", "/v1/cluster", f"/v1/assets/{asset}"]:
        label = f"HEAD {p} -> like GET, no body"
        try:
            get, head = send_to(srv, "GET", p), send_to(srv, "HEAD", p)
        except (OSError, http.client.HTTPException) as e:
            ck.fail(label, [f"request failed: {type(e).__name__}: {e}"])
            continue
        probs = []
        if head.status != get.status:
            probs.append(f"status {head.status}, GET gave {get.status}")
        if head.body:
            probs.append(f"a body of {len(head.body)} bytes")
        for name in ("content-type", "x-request-id", "content-length"):
            if not head.header(name):
                probs.append(f"no {name} header")
        if head.header("content-type") != get.header("content-type"):
            probs.append(f"Content-Type {head.header('content-type')!r}, GET gave {get.header('content-type')!r}")
        if probs:
            ck.fail(label, probs)
        else:
            ck.passed += 1

    # 405 on GET routes, 404 on unknown paths.
    for p in ALIASES["health"] + ALIASES["model_info"] + ALIASES["status"] + ["/v1/health", "/metrics"]:
        ck.request(srv, "POST", p, p, 405, label=f"POST {p} -> 405", body={},
                   extra=lambda a: [] if a.header("Allow") == "GET, HEAD" else [f"Allow {a.header('Allow')!r}"])
    ck.request(srv, "DELETE", f"/v1/assets/{asset}", tmpl, 405, label="DELETE /v1/assets/{asset_id} -> 405")
    ck.request(srv, "OPTIONS", "/status", "/status", 405, label="OPTIONS /status -> 405")
    # Methods that are only part of the allowed one's name are other methods all the same.
    ck.request(srv, "GE", "/status", "/status", 405, label="GE /status (not GET) -> 405")
    ck.request(srv, "POS", "/ai-threat-predictor/predict", "/ai-threat-predictor/predict", 405,
               label="POS /ai-threat-predictor/predict (not POST) -> 405", body={"scan_results": []})
    for p in ("/", "/nope", "/quantum", "/quantumx/status", "/ai-threat-predictor",
              "/v1/assets/a/b", "/v1/assets/a/b/changes", "/api/v1/ai-threat-predictor/detect-anomalies"):
        ck.request(srv, "GET", p, None, 404, extra=expect_error("not_found"))

    # Idempotency-Key: replay, reuse on another route, too long.
    key = ID_PREFIX + "openapi-check-key-1"
    body = {"scan_results": sample_batch("idem")[:2]}
    a1 = ck.request(srv, "POST", "/ai-threat-predictor/predict", "/ai-threat-predictor/predict", 200,
                    label="POST predict with Idempotency-Key -> 200", body=body, headers={"Idempotency-Key": key})
    def replayed(a):
        probs = []
        if a.header("Idempotent-Replayed") != "true":
            probs.append("no Idempotent-Replayed: true")
        if a1 is not None and a.body != a1.body:
            probs.append("replayed body differs from the first answer")
        return probs
    ck.request(srv, "POST", "/api/v1/ai-threat-predictor/predict", "/api/v1/ai-threat-predictor/predict", 200,
               label="POST predict (alias) same Idempotency-Key -> 200 replayed", body=body,
               headers={"Idempotency-Key": key}, extra=replayed)
    ck.request(srv, "POST", "/ai-threat-predictor/detect-anomalies", "/ai-threat-predictor/detect-anomalies", 422,
               label="POST detect-anomalies reusing a predict Idempotency-Key -> 422", body=body,
               headers={"Idempotency-Key": key}, extra=expect_error("idempotency_key_reused"))
    ck.request(srv, "POST", "/v1/enhance", "/v1/enhance", 400, label="POST /v1/enhance Idempotency-Key > 256 bytes -> 400",
               body=body, headers={"Idempotency-Key": "k" * 300}, extra=expect_error("invalid_request"))

    # Degraded mode (the server runs with --fault-injection): still 200, flagged.
    if not fault_injection:
        return
    def degraded(list_key):
        def check(a):
            probs = []
            if a.header("X-Qscan-Degraded") != "true":
                probs.append("no X-Qscan-Degraded: true")
            if a.json.get("degraded") is not True or not a.json.get("degraded_reasons"):
                probs.append(f"degraded {a.json.get('degraded')!r}, degraded_reasons {a.json.get('degraded_reasons')!r}")
            return probs + expect_items(list_key, 2)(a)
        return check
    faulty = sample_batch("fault")[:2]
    faulty[0]["metadata"] = {"qscan_fault": "crash-predictor"}
    ck.request(srv, "POST", "/ai-threat-predictor/predict", "/ai-threat-predictor/predict", 200,
               label="POST predict with a crashing predictor -> 200 degraded",
               body={"scan_results": faulty}, extra=degraded("predictions"))
    faulty[0]["metadata"] = {"qscan_fault": "crash-anomaly"}
    ck.request(srv, "POST", "/ai-threat-predictor/detect-anomalies", "/ai-threat-predictor/detect-anomalies", 200,
               label="POST detect-anomalies with a crashing shard -> 200 degraded",
               body={"scan_results": faulty}, extra=degraded("anomalies"))
    for p in ALIASES["health"][:1]:
        ck.request(srv, "GET", p, p, 200, label=f"GET {p} after worker crashes -> 200 healthy", extra=healthy)
    ck.request(srv, "GET", "/status", "/status", 200, label="GET /status after worker crashes -> 200")


def run_keyed_server(ck, srv):
    """The second server: API keys, a 1 KiB body limit."""
    bearer = lambda k: {"Authorization": f"Bearer {k}"}
    for p in ALIASES["health"]:
        ck.request(srv, "GET", p, p, 200, label=f"[keys] GET {p} without a key -> 200")
    for p in ALIASES["status"] + ALIASES["model_info"] + ["/v1/health", "/metrics", "/v1/assets/a"]:
        tmpl = "/v1/assets/{asset_id}" if p.startswith("/v1/assets/") else p
        ck.request(srv, "GET", p, tmpl, 401, label=f"[keys] GET {p} without a key -> 401",
                   extra=expect_error("unauthorized"))
    ck.request(srv, "GET", "/v1/whoami", "/v1/whoami", 200, label="[keys] GET /v1/whoami without a key -> 200",
               extra=expect_role("none"))
    ck.request(srv, "GET", "/v1/whoami", "/v1/whoami", 200, label="[keys] GET /v1/whoami user key -> 200",
               headers=bearer(USER_KEY), extra=expect_role("read"))
    ck.request(srv, "GET", "/v1/whoami", "/v1/whoami", 401, label="[keys] GET /v1/whoami unknown key -> 401",
               headers=bearer("not-a-known-key-000000"), extra=expect_error("unauthorized"))
    ck.request(srv, "GET", "/status", "/status", 401, label="[keys] GET /status unknown key -> 401",
               headers=bearer("not-a-known-key-000000"), extra=expect_error("unauthorized"))
    ck.request(srv, "GET", "/status", "/status", 200, label="[keys] GET /status Bearer user key -> 200",
               headers=bearer(USER_KEY))
    ck.request(srv, "GET", "/v1/health", "/v1/health", 200, label="[keys] GET /v1/health X-API-Key -> 200",
               headers={"X-API-Key": USER_KEY})
    small = {"scan_results": sample_batch("k")[:1]}
    for p in ALIASES["predict"] + ALIASES["anomalies"] + ["/v1/enhance"]:
        ck.request(srv, "POST", p, p, 401, label=f"[keys] POST {p} without a key -> 401", body=small,
                   extra=expect_error("unauthorized"))
    ck.request(srv, "POST", "/ai-threat-predictor/predict", "/ai-threat-predictor/predict", 200,
               label="[keys] POST predict user key -> 200", body=small, headers=bearer(USER_KEY),
               extra=expect_items("predictions", 1))
    train = {"training_data": sample_batch("k")[:1]}
    for p in ALIASES["train"]:
        ck.request(srv, "POST", p, p, 401, label=f"[keys] POST {p} without a key -> 401", body=train,
                   extra=expect_error("unauthorized"))
        ck.request(srv, "POST", p, p, 403, label=f"[keys] POST {p} user key -> 403", body=train,
                   headers=bearer(USER_KEY), extra=expect_error("forbidden"))
        ck.request(srv, "POST", p, p, 200, label=f"[keys] POST {p} admin key -> 200", body=train,
                   headers={"X-API-Key": ADMIN_KEY})
    # Rate limit: the slow key allows 1 request, then 429.
    ck.request(srv, "GET", "/status", "/status", 200, label="[keys] GET /status slow key, first -> 200",
               headers=bearer(SLOW_KEY))
    ck.request(srv, "GET", "/status", "/status", 429, label="[keys] GET /status slow key, second -> 429",
               headers=bearer(SLOW_KEY), extra=expect_error("rate_limited"))
    ck.request(srv, "POST", "/ai-threat-predictor/predict", "/ai-threat-predictor/predict", 429,
               label="[keys] POST predict slow key -> 429", body=small, headers=bearer(SLOW_KEY),
               extra=expect_error("rate_limited"))
    # Body limit (1024 bytes): 413 from the server itself.
    big = {"scan_results": [{"asset_id": f"big-{i}", "metadata": {"pad": "x" * 200}} for i in range(20)]}
    ck.request(srv, "POST", "/ai-threat-predictor/predict", "/ai-threat-predictor/predict", 413,
               label="[keys] POST predict 4 KiB body over a 1 KiB limit -> 413", body=big,
               headers=bearer(USER_KEY), check_request_body=False, extra=expect_error("payload_too_large"))
    # Headers past the server's header limit: 431.
    ck.request(srv, "GET", "/health", "/health", 431, label="[keys] GET /health with 64 KiB of headers -> 431",
               headers={"X-Padding": "p" * 65536}, extra=expect_error("headers_too_large"))


USAGE = ("usage: check_openapi.py QSCAN_BINARY SPEC\n"
         "       check_openapi.py --base-url http://HOST:PORT [--fault-injection] [--cve-id ID] SPEC")


def main_remote(argv):
    """--base-url: check a server that is already running."""
    global ID_PREFIX
    url, spec_path, fault_injection, cve_id = None, None, False, None
    args = list(argv[1:])
    while args:
        a = args.pop(0)
        if a.startswith("--base-url="):
            url = a.split("=", 1)[1]
        elif a == "--base-url" and args:
            url = args.pop(0)
        elif a == "--fault-injection":
            fault_injection = True
        elif a.startswith("--cve-id="):
            cve_id = a.split("=", 1)[1]
        elif a == "--cve-id" and args:
            cve_id = args.pop(0)
        elif not a.startswith("-") and spec_path is None:
            spec_path = a
        else:
            print(USAGE, file=sys.stderr)
            return 2
    if not url or not spec_path:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        srv = Remote(url)
    except ValueError as e:
        print(f"check_openapi: {e}", file=sys.stderr)
        return 2
    ID_PREFIX = f"r{int(time.time() * 1000):x}{os.getpid() % 0x10000:04x}-"
    spec = Spec(spec_path)
    ck = Checker(spec)
    for p in spec.problems:
        ck.fail("spec is well-formed", [p])
    if not spec.problems:
        ck.passed += 1
    print(f"checking {url} (asset ids start with {ID_PREFIX})", flush=True)
    try:
        send_to(srv, "GET", "/health")
    except (OSError, http.client.HTTPException) as e:
        ck.fail("server answers", [f"GET {url}/health: {type(e).__name__}: {e}"])
    else:
        run_main_server(ck, srv, fault_injection=fault_injection, cve_id=cve_id)
        ck.coverage(skipped=() if cve_id else (("/v1/cves/{cve_id}", "GET"),))
    failed = len(ck.failures)
    print(f"{ck.passed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv):
    if any(a == "--base-url" or a.startswith("--base-url=") for a in argv[1:]):
        return main_remote(argv)
    if len(argv) != 3:
        print(USAGE, file=sys.stderr)
        return 2
    binary, spec_path = argv[1], argv[2]
    if not os.access(binary, os.X_OK):
        print(f"check_openapi: {binary} is not an executable", file=sys.stderr)
        return 2
    spec = Spec(spec_path)
    ck = Checker(spec)
    for p in spec.problems:
        ck.fail("spec is well-formed", [p])
    if not spec.problems:
        ck.passed += 1

    workdir = tempfile.mkdtemp(prefix="qscan-openapi-")
    servers = []
    try:
        seed_catalogue(binary, os.path.join(workdir, "main-data"))
        main_srv = Server(binary, workdir, "main", ["--fault-injection"])
        servers.append(main_srv)
        keys_file = os.path.join(workdir, "api-keys")
        with open(keys_file, "w") as f:
            f.write("# key name role [rate/s] [burst]\n")
            f.write(f"{USER_KEY} scorpius user 1000 1000\n")
            f.write(f"{ADMIN_KEY} ops admin 1000 1000\n")
            f.write(f"{SLOW_KEY} slow user 0.001 1\n")
        keyed_srv = Server(binary, workdir, "keys", ["--api-keys", keys_file, "--body-limit", "1024"])
        servers.append(keyed_srv)
        try:
            main_srv.wait_listening()
            keyed_srv.wait_listening()
        except RuntimeError as e:
            ck.fail("server starts", [str(e)])
        else:
            run_main_server(ck, main_srv)
            run_keyed_server(ck, keyed_srv)
            ck.coverage()
    finally:
        for s in servers:
            code = s.stop()
            if code not in (0, -signal.SIGTERM):
                how = (f"killed by signal {-code} ({signal.Signals(-code).name})"
                       if isinstance(code, int) and code < 0 else f"exit code {code}")
                ck.fail(f"{s.name} server exits cleanly on SIGTERM",
                        [f"{how}; stderr tail: {s.stderr_tail().strip()}"])
        shutil.rmtree(workdir, ignore_errors=True)

    failed = len(ck.failures)
    print(f"{ck.passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
