"""The package installs offline into a venv that sees Debian's packages, and works there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from qscan_server import QscanServer

PACKAGE = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable
OFFLINE = {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_CACHE_DIR": "1"}


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **OFFLINE, **env})


def test_pip_installs_the_package_offline_and_it_answers(tmp_path: Path, server: QscanServer):
    venv = tmp_path / "venv"
    made = run([SYSTEM_PYTHON, "-m", "venv", "--system-site-packages", str(venv)], tmp_path)
    assert made.returncode == 0, made.stderr
    python = str(venv / "bin" / "python")
    # A copy, so the build leaves nothing in the source tree.
    source = tmp_path / "src"
    subprocess.run(["cp", "-r", str(PACKAGE), str(source)], check=True)
    installed = run([python, "-m", "pip", "install", "--no-build-isolation", "--no-index",
                     str(source)], tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    script = ("import asyncio, qscan_client, sys\n"
              "print(qscan_client.__file__)\n"
              "envelope = asyncio.run(qscan_client.integrate_with_scorpius(\n"
              "    [{'asset_id': 'installed', 'vulnerabilities': []}], base_url=sys.argv[1]))\n"
              "print(envelope['enhanced_risk_assessment']['risk_level'])\n")
    used = run([python, "-c", script, server.url], tmp_path)
    assert used.returncode == 0, used.stderr
    module_file, level = used.stdout.split()
    assert module_file.startswith(str(venv)), "imported from the venv, not the source tree"
    assert level in {"CRITICAL", "HIGH", "MEDIUM", "LOW", "MINIMAL"}
    shown = run([python, "-m", "pip", "show", "qscan-client"], tmp_path)
    assert "Version: 0.1.0" in shown.stdout
