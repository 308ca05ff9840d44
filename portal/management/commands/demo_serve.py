import os
import signal
import subprocess
import sys
import time

from django.core.management import get_commands
from django.core.management.base import BaseCommand

STOP_GRACE_SECONDS = 10


def child_environment(addr: str, sandbox_port: str, environ=None) -> dict:
    """What every child sees: the same address and sandbox port as the web server.

    The worker posts to the sandbox on `sandbox_port` and writes links and emails with the
    address the web server listens on, unless X_API_BASE_URL or PARLEY_BASE_URL say otherwise.
    """
    env = dict(os.environ if environ is None else environ)
    env["PARLEY_ADDR"] = addr
    env["X_SANDBOX_PORT"] = str(sandbox_port)
    env.setdefault("X_API_BASE_URL", f"http://127.0.0.1:{sandbox_port}")
    host, _, port = addr.rpartition(":")
    if host in ("", "0.0.0.0", "[::]"):  # noqa: S104 - naming it, not binding to it  # nosec B104
        host = "127.0.0.1"
    env.setdefault("PARLEY_BASE_URL", f"http://{host}:{port}" if port else f"http://{host}")
    return env


def demo_processes(addr: str, sandbox_port: str, commands=None) -> list[tuple[str, list[str]]]:
    manage = [sys.executable, "manage.py"]
    commands = get_commands() if commands is None else commands
    processes = [
        # No autoreloader: one process per child, so stopping it stops the server.
        ("web", [*manage, "runserver", "--noreload", addr]),
        ("worker", [*manage, "db_worker", "--interval", "1"]),
        ("scheduler", [*manage, "scheduler", "--interval", "10"]),
    ]
    if "x_sandbox" in commands:
        processes.append(("x-sandbox", [*manage, "x_sandbox", "--port", str(sandbox_port)]))
    if "x_sandbox_simulate" in commands:
        processes.append(("x-simulator", [*manage, "x_sandbox_simulate", "--forever"]))
    return processes


def _default_sigint() -> None:
    """In the child: Ctrl-C stops it, even when we were started with SIGINT ignored (as
    `nohup cmd &` does), so the SIGINT we pass on is not lost."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Supervisor:
    """Children in process groups of their own, so stopping one stops all it started too."""

    def __init__(self, env: dict | None = None, write=print):
        self.env = env
        self.write = write
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        # argv is built from our own manage.py commands, never from input
        proc = subprocess.Popen(  # noqa: S603  # nosec B603
            argv, env=self.env, start_new_session=True, preexec_fn=_default_sigint
        )
        self.running.append((name, proc))
        return proc

    def first_stopped(self):
        for name, proc in self.running:
            if proc.poll() is not None:
                return name, proc
        return None

    @staticmethod
    def _signal(proc, sig) -> None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """SIGINT to every group, then SIGKILL to any group still there after `grace`."""
        for _, proc in self.running:
            self._signal(proc, signal.SIGINT)
        deadline = time.monotonic() + grace
        for _, proc in self.running:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        # Whatever a child left behind in its group (a reloader's server, a worker's thread
        # pool) goes too, even when the child itself exited.
        for _, proc in self.running:
            self._signal(proc, signal.SIGKILL)
            if proc.poll() is None:
                proc.wait()


class Command(BaseCommand):
    help = (
        "Run the whole demo in the foreground: web server, task worker, scheduler and, when "
        "installed, the local X API sandbox and its reply simulator. Ctrl-C stops them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("PARLEY_ADDR", "127.0.0.1:8000"))
        parser.add_argument("--sandbox-port", default=os.environ.get("X_SANDBOX_PORT", "8765"))

    def handle(self, *args, addr, sandbox_port, **options):
        supervisor = Supervisor(env=child_environment(addr, sandbox_port))

        def terminate(signum, frame):
            raise KeyboardInterrupt

        # Children have their own process groups, so Ctrl-C reaches only us: we pass it on.
        # A `kill` (SIGTERM) or a closed terminal (SIGHUP) stops everything the same way, and
        # SIGINT is caught even if we were started with it ignored.
        signal.signal(signal.SIGINT, terminate)
        signal.signal(signal.SIGTERM, terminate)
        signal.signal(signal.SIGHUP, terminate)
        try:
            for name, argv in demo_processes(addr, sandbox_port):
                self.stdout.write(f"Starting {name}: {' '.join(argv[1:])}")
                supervisor.start(name, argv)
            self.stdout.write(
                self.style.SUCCESS(f"Parley is running at http://{addr}/ (Ctrl-C stops it)")
            )
            while True:
                stopped = supervisor.first_stopped()
                if stopped:
                    name, proc = stopped
                    self.stderr.write(
                        f"{name} stopped (exit code {proc.returncode}); stopping the rest."
                    )
                    break
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            self.stdout.write("Stopping ...")
            supervisor.stop()
