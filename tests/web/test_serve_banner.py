"""No server banner in production (issue 13, hole 8): ``flask serve`` (waitress) sends no Server header, where
Werkzeug's development server (``flask run``) answers with "Werkzeug/… Python/…". A real process on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_flask_serve_sends_no_server_banner(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "FLASK_APP": "portal",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "SECRET_KEY": "x" * 32,
        "SESSION_COOKIE_SECURE": "0",
        "POLKU_BASE_URL": f"http://127.0.0.1:{port}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5) as response:
                    headers = response.headers
                    break
            except OSError as error:
                if server.poll() is not None:
                    raise AssertionError(server.stderr.read().decode()) from error
                time.sleep(0.2)
        else:
            raise AssertionError("flask serve did not answer")
        assert response.status == 200
        assert "Server" not in headers, headers.get("Server")
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=10)
