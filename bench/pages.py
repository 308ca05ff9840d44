#!/usr/bin/env python
"""Page throughput: a question thread with 200 answers against a bare Django view.

Both are served by the same gunicorn server (same workers, same middleware) on a free
loopback port; a fixed number of requests is sent by a few concurrent clients to each, and
requests per second are printed for both with their ratio. The target is a thread page at
40% or more of the bare view's rate.

    .venv/bin/python bench/pages.py [--requests 2000] [--clients 4] [--workers 2]

Signed-out readers are measured (most of the traffic). The database is a throwaway SQLite
file with persistent connections (DATABASE_CONN_MAX_AGE=60, as production deployments set;
override it in the environment). A second run with the whole-page cache switched off shows
what a fully routed and rendered request costs.
"""

import argparse
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._server import free_port, start_gunicorn, wait_for  # noqa: E402

ANSWERS = 200
COMMENTS = 200


def build_database() -> str:
    """Migrate a fresh database and create one thread with 200 answers and 200 comments."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import Site

    from portal.models import User
    from questions.models import Answer, Comment, Question, QuestionIndexPage
    from questions.services import recount_question

    call_command("migrate", verbosity=0, interactive=False)
    home = Site.objects.get(is_default_site=True).root_page
    index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home.add_child(instance=index)
    index.save_revision().publish()
    people = [
        User.objects.create_user(email=f"bench{i}@example.com", display_name=f"Resident {i}")
        for i in range(20)
    ]
    officer = people[0]
    officer.job_title, officer.department = "Highways Inspection Manager", "Highways"
    officer.save()
    question = Question.objects.create(
        title="Why are potholes patched again and again instead of the road being resurfaced?",
        body="Millbrook Lane has had the same holes filled four times this year.\n\n"
        "Is there a plan? https://example.com/roads",
        author=people[1],
        status=Question.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    question.tags.set(["potholes", "roads"])
    answers = Answer.objects.bulk_create(
        [
            Answer(
                question=question,
                author=people[i % 20],
                body=f"Answer {i}: our street had the same problem last winter.\n\n"
                "The council fixed it after we reported it twice with photos.",
                is_official=i == 0,
                official_title=officer.official_title if i == 0 else "",
                vote_count=i % 7,
            )
            for i in range(ANSWERS)
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(
                question=question,
                answer=answers[i % ANSWERS],
                author=people[(i + 5) % 20],
                body=f"Comment {i}: thanks, that is useful to know.",
            )
            for i in range(COMMENTS)
        ]
    )
    recount_question(question.pk)
    question.refresh_from_db()
    return f"/ask-the-council/{question.pk}/{question.slug}/"


def hammer(port: int, path: str, total: int, clients: int, expect: bytes) -> float:
    """Send `total` GETs from `clients` threads; return requests per second."""
    counter = {"left": total}
    lock = threading.Lock()
    errors = []

    def worker():
        while True:
            with lock:
                if counter["left"] <= 0:
                    return
                counter["left"] -= 1
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                if response.status != 200 or expect not in body:
                    errors.append(response.status)
            finally:
                conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} bad responses from {path}: {errors[:5]}")
    return total / elapsed


def serve_and_measure(args, env: dict, thread_path: str, page_cache_seconds: str):
    """Start gunicorn, warm it up, then time the bare view and the thread page."""
    port = free_port()
    proc = start_gunicorn(
        port,
        args.workers,
        {**env, "PARLEY_THREAD_PAGE_CACHE_SECONDS": page_cache_seconds},
        "--worker-class=sync",
    )
    try:
        wait_for(port, proc)
        # Warm every worker: imports, templates, caches.
        for path, expect in (("/bench/bare/", b"ok"), (thread_path, b"200 answers")):
            hammer(port, path, 50 * args.workers, args.clients, expect)
        bare = hammer(port, "/bench/bare/", args.requests, args.clients, b"ok")
        page = hammer(port, thread_path, args.requests, args.clients, b"200 answers")
        return bare, page
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per page")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="parley-bench-pages-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.pages_settings",
        "PARLEY_VAR_DIR": var_dir,
        "DATABASE_URL": f"sqlite:///{var_dir}/bench.sqlite3",
        "PYTHONPATH": str(ROOT),
        # persistent database connections, as any production gunicorn deployment sets
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
    }
    os.environ.update(env)
    try:
        print("Building a thread with 200 answers and 200 comments...", flush=True)
        thread_path = build_database()
        results = {
            label: serve_and_measure(args, env, thread_path, seconds)
            for label, seconds in (("default", "60"), ("render", "0"))
        }
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    bare, page = results["default"]
    print(
        f"gunicorn: {args.workers} sync workers; {args.clients} concurrent clients; "
        f"{args.requests} requests per page; a signed-out reader; "
        f"DATABASE_CONN_MAX_AGE={env['DATABASE_CONN_MAX_AGE']}"
    )
    print(f"bare Django view:                         {bare:8.1f} requests/s")
    print(f"thread page (200 answers, 200 comments):  {page:8.1f} requests/s")
    print(f"ratio thread/bare:                        {page / bare:8.1%}  (target: 40% or more)")
    bare0, page0 = results["render"]
    print(
        "whole-page cache off (every request routed and rendered, answers from the fragment "
        f"cache): bare {bare0:.1f}/s, thread {page0:.1f}/s, ratio {page0 / bare0:.1%}"
    )


if __name__ == "__main__":
    main()
