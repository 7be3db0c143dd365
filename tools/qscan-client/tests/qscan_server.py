"""A real `qscan serve` child process for the tests.

Started as `qscan serve --listen 127.0.0.1:0 --data-dir DIR [extra...]`; the bound
port is read from the line it prints on stdout once it listens
(`listening on http://127.0.0.1:PORT`, `https://` with --tls-cert). The binary
is $QSCAN_BINARY, else the repository's build/bin/qscan. Every wait has a deadline.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
STARTUP_DEADLINE = 30.0
STOP_DEADLINE = 20.0
LISTENING = re.compile(r"listening on (https?)://127\.0\.0\.1:(\d+)")
REPO = Path(__file__).resolve().parents[3]


def qscan_binary() -> str:
    """The qscan binary under test."""
    binary = os.environ.get("QSCAN_BINARY") or str(REPO / "build" / "bin" / "qscan")
    if not os.access(binary, os.X_OK):
        raise RuntimeError(f"no qscan binary at {binary} (set QSCAN_BINARY)")
    return binary


class QscanServer:
    """One `qscan serve` on 127.0.0.1 with a free port; `start()` waits until it listens."""

    def __init__(self, data_dir: Path, extra: list[str] | tuple[str, ...] = (),
                 name: str = "serve") -> None:
        self.data_dir = Path(data_dir)
        self.extra = list(extra)
        self.name = name
        self.port = 0
        self.scheme = "http"
        self.proc: subprocess.Popen[bytes] | None = None
        self._log_path = self.data_dir.parent / f"{name}.stderr"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{HOST}:{self.port}"

    def start(self) -> "QscanServer":
        """Starts the process and waits for its listening line."""
        args = [qscan_binary(), "serve", "--listen", f"{HOST}:0", "--data-dir",
                str(self.data_dir), *self.extra]
        with open(self._log_path, "ab") as log:
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=log)
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_drain, args=(self.proc, lines), daemon=True).start()
        self.scheme, self.port = self._wait_listening(lines)
        return self

    def _wait_listening(self, lines: "queue.Queue[str | None]") -> tuple[str, int]:
        deadline = time.monotonic() + STARTUP_DEADLINE
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if line is None:
                raise RuntimeError(f"{self.name} exited before listening: {self.stderr_tail()}")
            match = LISTENING.search(line)
            if match:
                return match.group(1), int(match.group(2))
        raise RuntimeError(f"{self.name}: no listening line within {STARTUP_DEADLINE} s")

    def kill(self) -> None:
        """SIGKILL: no flush, no goodbye."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=STOP_DEADLINE)

    def stop(self) -> int | None:
        """SIGTERM, SIGKILL past the deadline; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_DEADLINE)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode

    def stderr_tail(self) -> str:
        try:
            return self._log_path.read_bytes()[-2000:].decode("utf-8", "replace")
        except OSError:
            return ""


def _drain(proc: subprocess.Popen[bytes], lines: "queue.Queue[str | None]") -> None:
    assert proc.stdout is not None
    for raw in proc.stdout:
        lines.put(raw.decode("utf-8", "replace"))
    lines.put(None)


def api_key_line(binary: str, key: str, name: str, role: str, rate: str = "",
                 burst: str = "") -> str:
    """A line of an --api-keys file for `key` (its digest, as `qscan api-key hash` prints it)."""
    digest = subprocess.run([binary, "api-key", "hash"], input=key.encode(), check=True,
                            capture_output=True, timeout=30).stdout.decode().strip()
    return " ".join(x for x in (digest, name, role, rate, burst) if x) + "\n"
