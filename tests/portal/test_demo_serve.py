"""`demo_serve`: children share the address and sandbox port, and stopping stops them all."""

import os
import sys
import time
from pathlib import Path

from portal.management.commands.demo_serve import Supervisor, child_environment, demo_processes


def test_children_get_the_address_and_sandbox_port():
    env = child_environment("127.0.0.1:8300", "8301", environ={"PATH": "/bin"})
    assert env["PARLEY_ADDR"] == "127.0.0.1:8300"
    assert env["X_SANDBOX_PORT"] == "8301"
    # The worker posts to the sandbox that demo_serve starts, and links to this server.
    assert env["X_API_BASE_URL"] == "http://127.0.0.1:8301"
    assert env["PARLEY_BASE_URL"] == "http://127.0.0.1:8300"
    assert env["PATH"] == "/bin"


def test_explicit_settings_win_and_wildcard_addresses_link_to_loopback():
    env = child_environment(
        "0.0.0.0:8300",  # noqa: S104  # nosec B104
        "8301",
        environ={"X_API_BASE_URL": "https://api.twitter.com"},
    )
    assert env["X_API_BASE_URL"] == "https://api.twitter.com"
    assert env["PARLEY_BASE_URL"] == "http://127.0.0.1:8300"
    env = child_environment("8300", "8301", environ={"PARLEY_BASE_URL": "https://example.org"})
    assert env["PARLEY_BASE_URL"] == "https://example.org"


def test_the_demo_runs_every_part_on_the_given_ports():
    processes = dict(demo_processes("127.0.0.1:8300", "8301", commands={"x_sandbox": "social"}))
    assert processes["web"][2:] == ["runserver", "--noreload", "127.0.0.1:8300"]
    assert processes["x-sandbox"][2:] == ["x_sandbox", "--port", "8301"]
    assert "worker" in processes and "scheduler" in processes
    assert "x-simulator" not in processes


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is as good as gone (it only waits for its parent to read its exit code).
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[-1][:1] != "Z"


PARENT = """
import subprocess, sys, time, signal
{ignore}
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
open(sys.argv[1], "w").write(str(child.pid))
time.sleep(120)
"""


def _start(supervisor, tmp_path, name, ignore_sigint=False):
    pidfile = tmp_path / f"{name}.pid"
    ignore = "signal.signal(signal.SIGINT, signal.SIG_IGN)" if ignore_sigint else ""
    proc = supervisor.start(name, [sys.executable, "-c", PARENT.format(ignore=ignore), pidfile])
    for _ in range(200):
        if pidfile.exists() and pidfile.read_text():
            return proc.pid, int(pidfile.read_text())
        time.sleep(0.05)
    raise AssertionError(f"{name} did not start")


def test_stopping_stops_children_and_what_they_started(tmp_path):
    supervisor = Supervisor()
    pids = [_start(supervisor, tmp_path, "web"), _start(supervisor, tmp_path, "worker")]
    stubborn = _start(supervisor, tmp_path, "sandbox", ignore_sigint=True)
    supervisor.stop(grace=1)
    everyone = [pid for pair in [*pids, stubborn] for pid in pair]
    for _ in range(100):  # a killed process may take a moment to be gone
        if not any(_alive(pid) for pid in everyone):
            break
        time.sleep(0.05)
    assert [pid for pid in everyone if _alive(pid)] == []


def test_a_child_that_dies_is_noticed(tmp_path):
    supervisor = Supervisor()
    supervisor.start("quick", [sys.executable, "-c", "raise SystemExit(3)"])
    for _ in range(200):
        if supervisor.first_stopped():
            break
        time.sleep(0.05)
    name, proc = supervisor.first_stopped()
    assert name == "quick" and proc.returncode == 3
    supervisor.stop(grace=1)
