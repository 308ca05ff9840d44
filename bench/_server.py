"""Helpers the benches share for a gunicorn they start on loopback (no Django imports here)."""

import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc, timeout: float = 60) -> None:
    """Wait until something accepts connections on `port`; stop if `proc` exits first."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn stopped before it was ready")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start in time")


def start_gunicorn(port: int, workers: int, env: dict, *options: str) -> subprocess.Popen:
    """The project's WSGI app under gunicorn on 127.0.0.1:`port` (`options` are added)."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [
        gunicorn,
        "portal.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--log-level=warning",
        *options,
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own gunicorn
