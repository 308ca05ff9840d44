import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from social.sandbox.residents import RESIDENTS, add_planned, plan_replies
from social.sandbox.state import SandboxState


class Command(BaseCommand):
    help = (
        "Make a few invented residents reply on X (in the sandbox) to our latest posts, so the "
        "demo shows replies arriving. With --forever, keep adding one now and then."
    )

    def add_arguments(self, parser):
        parser.add_argument("--replies", type=int, default=5, help="Replies to add per round.")
        parser.add_argument("--posts", type=int, default=5, help="How many latest posts to use.")
        parser.add_argument("--forever", action="store_true", help="Keep going until Ctrl-C.")
        parser.add_argument(
            "--interval", type=float, default=45.0, help="Average seconds between replies."
        )
        parser.add_argument("--state-dir", default=str(settings.SANDBOX_STATE_DIR))
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args, replies, posts, forever, interval, state_dir, seed, **options):
        rng = random.Random(seed)  # noqa: S311 - made-up chatter, not secrets  # nosec B311
        state = SandboxState(state_dir)
        residents = [username for username, _ in RESIDENTS]
        try:
            added = self.round(state, rng, residents, posts, replies)
            self.stdout.write(f"Added {added} replies.")
            while forever:
                time.sleep(rng.uniform(interval / 2, interval * 1.5))
                self.round(state, rng, residents, posts, 1)
        except KeyboardInterrupt:
            pass
        finally:
            state.close()

    def round(self, state, rng, residents, posts, count) -> int:
        roots = [str(t["id"]) for t in state.latest_posts(posts, exclude_usernames=residents)]
        if not roots:
            self.stdout.write("No posts in the sandbox yet; nothing to reply to.")
            return 0
        created = add_planned(state, plan_replies(rng, roots, count))
        for tweet in created:
            self.stdout.write(
                f"  reply {tweet['id']} to {tweet['in_reply_to_id']}: {tweet['text']}"
            )
        return len(created)
