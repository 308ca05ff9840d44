from django.conf import settings
from django.core.management.base import BaseCommand

from social.sandbox.server import SandboxServer


class Command(BaseCommand):
    help = (
        "Run the local X API v2 sandbox (a real HTTP server with X's shapes, codes and headers). "
        "Its tweets are kept under SANDBOX_STATE_DIR, so they survive a restart."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--state-dir", default=str(settings.SANDBOX_STATE_DIR))
        parser.add_argument("--verbose-log", action="store_true", help="Log every request.")

    def handle(self, *args, host, port, state_dir, verbose_log, **options):
        server = SandboxServer(state_dir, host=host, port=port, quiet=not verbose_log)
        counts = server.state.counts()
        self.stdout.write(
            self.style.SUCCESS(
                f"X API sandbox on {server.base_url} (state in {state_dir}: "
                f"{counts['tweets']} tweets, {counts['accounts']} accounts). Ctrl-C stops it."
            )
        )
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            server.state.close()
