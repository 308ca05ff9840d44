"""Reply ingestion benchmark: replies stored per second through tweepy against the sandbox.

Loads N replies (10,000 by default; about a third nested under other replies) into a fresh
in-process X API sandbox across 50 posts, runs one pull of every post, and prints replies
stored per second and the HTTP calls made. Then pulls again and prints the new rows, which
must be 0 (ingestion is idempotent). Uses a throwaway SQLite database and sandbox state.

    .venv/bin/python bench/ingest.py [--replies 10000] [--posts 50]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=50)
    parser.add_argument("--target", type=float, default=500.0, help="replies/s to meet")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="parley-bench-ingest-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["PARLEY_VAR_DIR"] = str(workdir / "var")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"

    import django

    django.setup()
    from django.core.management import call_command

    print(f"Setting up a fresh database in {workdir} ...", flush=True)
    call_command("migrate", verbosity=0)

    import requests

    from social import ingest, services
    from social.adapters.x import use_base_url
    from social.models import Channel, Post, Reply
    from social.sandbox.server import SandboxServer

    server = SandboxServer(workdir / "x-sandbox", port=0).start()
    try:
        base = server.base_url
        for route in ("create", "search", "me", "timeline", "lookup"):
            requests.post(
                f"{base}/_sandbox/limits", json={"route": route, "limit": 10**9}, timeout=10
            ).raise_for_status()
        channel = Channel.objects.create(
            name="Benchmark", handle="benchcouncil", kind=Channel.Kind.SANDBOX, monthly_budget=10**6
        )
        with use_base_url(base):
            for n in range(args.posts):
                post = Post.objects.create(
                    channel=channel,
                    text=f"Benchmark post {n}: tell us what you think.",
                    status=Post.Status.APPROVED,
                )
                assert services.post_publish(post_id=post.pk) == "published"
            roots = list(Post.objects.filter(channel=channel).values_list("external_id", flat=True))

            rng = random.Random(7)  # noqa: S311
            top_count = args.replies - args.replies // 3
            top = [
                {
                    "in_reply_to": roots[i % len(roots)],
                    "username": f"resident{rng.randrange(2000)}",
                    "name": "Bench resident",
                    "text": f"Top-level reply {i} about the proposal, with a few words more.",
                }
                for i in range(top_count)
            ]
            print(f"Loading {args.replies} replies into the sandbox ...", flush=True)
            ids = []
            for start in range(0, len(top), 2000):
                response = requests.post(
                    f"{base}/_sandbox/replies/bulk",
                    json={"replies": top[start : start + 2000]},
                    timeout=120,
                )
                response.raise_for_status()
                ids += response.json()["ids"]
            nested = [
                {
                    "in_reply_to": rng.choice(ids),
                    "username": f"resident{rng.randrange(2000)}",
                    "text": f"Nested reply {i}: I agree with this.",
                }
                for i in range(args.replies - top_count)
            ]
            for start in range(0, len(nested), 2000):
                requests.post(
                    f"{base}/_sandbox/replies/bulk",
                    json={"replies": nested[start : start + 2000]},
                    timeout=120,
                ).raise_for_status()

            def calls() -> int:
                return requests.get(f"{base}/_sandbox/stats", timeout=10).json()["total_calls"]

            before = calls()
            started = time.perf_counter()
            first = ingest.pull_due(everything=True, limit=10**6)
            elapsed = time.perf_counter() - started
            first_calls = calls() - before
            stored = Reply.objects.count()

            before = calls()
            started = time.perf_counter()
            second = ingest.pull_due(everything=True, limit=10**6)
            second_elapsed = time.perf_counter() - started
            second_calls = calls() - before
    finally:
        server.stop()

    rate = stored / elapsed if elapsed else 0.0
    print()
    print(f"replies in the sandbox     {args.replies} across {args.posts} posts")
    print(
        f"first pull                 {first.polled} posts, {first.total('new')} new rows, "
        f"{elapsed:.2f} s"
    )
    print(f"replies stored per second  {rate:,.0f}  (target {args.target:,.0f})")
    print(f"HTTP calls (first pull)    {first_calls}  (adapter counted {first.total('calls')})")
    print(
        f"second pull                {second.polled} posts, {second.total('new')} new rows, "
        f"{second_calls} HTTP calls, {second_elapsed:.2f} s"
    )
    ok = stored == args.replies and second.total("new") == 0 and rate >= args.target
    print("result                     " + ("OK" if ok else "BELOW TARGET OR WRONG COUNT"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
