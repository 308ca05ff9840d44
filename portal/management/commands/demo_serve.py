import os
import signal
import subprocess
import sys
import time

from django.core.management import get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the whole demo in the foreground: web server, task worker, scheduler and, when "
        "installed, the local X API sandbox and its reply simulator. Ctrl-C stops them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("PARLEY_ADDR", "127.0.0.1:8000"))
        parser.add_argument("--sandbox-port", default=os.environ.get("X_SANDBOX_PORT", "8765"))

    def handle(self, *args, addr, sandbox_port, **options):
        manage = [sys.executable, "manage.py"]
        commands = get_commands()
        processes = [
            ("web", [*manage, "runserver", addr]),
            ("worker", [*manage, "db_worker", "--interval", "1"]),
            ("scheduler", [*manage, "scheduler", "--interval", "10"]),
        ]
        if "x_sandbox" in commands:
            processes.append(("x-sandbox", [*manage, "x_sandbox", "--port", str(sandbox_port)]))
        if "x_sandbox_simulate" in commands:
            processes.append(("x-simulator", [*manage, "x_sandbox_simulate", "--forever"]))

        running = []
        for name, argv in processes:
            self.stdout.write(f"Starting {name}: {' '.join(argv[1:])}")
            # argv is built above from our own manage.py commands, never from input
            proc = subprocess.Popen(argv)  # noqa: S603  # nosec B603
            running.append((name, proc))
        self.stdout.write(
            self.style.SUCCESS(f"Parley is running at http://{addr}/ (Ctrl-C stops it)")
        )
        try:
            while True:
                for name, proc in running:
                    if proc.poll() is not None:
                        self.stderr.write(
                            f"{name} stopped (exit code {proc.returncode}); stopping the rest."
                        )
                        raise KeyboardInterrupt
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for _, proc in running:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGINT)
            deadline = time.time() + 10
            for _, proc in running:
                try:
                    proc.wait(timeout=max(0.1, deadline - time.time()))
                except subprocess.TimeoutExpired:
                    proc.kill()
