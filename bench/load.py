#!/usr/bin/env python
"""Load: simulated residents against the site under gunicorn, then an exactly-once audit.

    .venv/bin/python bench/load.py [--users 50] [--duration 60] [--database sqlite|postgres|both]

For each database (SQLite in WAL mode; PostgreSQL too when a server answers on 127.0.0.1:5432,
in the `parley_load` database, dropped and created afresh), a throwaway site is migrated and
seeded (question threads, an open consultation, one account per simulated user), gunicorn
serves it on loopback, and every simulated user signs in through the real sign-in form and
then, for the duration, reads threads and lists, searches (similar questions, consultation
search), asks, answers, votes and responds to the consultation, with CSRF tokens and the
forms' hidden fields taken from the pages as a browser would. Each user connects from its own
loopback address (127.0.0.N), as different residents would, so per-address limits apply to
each one; they keep to a resident's pace for writes (the per-person limits stay in force).

Afterwards the database is checked: every write the site accepted is stored exactly once
(each carries a unique reference in its text), every vote state matches what its last
accepted click asked for, every counter matches its rows, and there were no 5xx responses.
It prints requests/s, latency percentiles and counts by outcome, and exits non-zero when the
audit fails. The forms' minimum time to fill (against bots) is off: simulated users type fast.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._server import start_gunicorn, wait_for  # noqa: E402

PASSWORD = "load-test-passphrase-2026"  # noqa: S105 - throwaway accounts
PG_URL = os.environ.get("LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432/parley_load")
SEED_QUESTIONS = 30
WORDS = ["library", "bins", "recycling", "parking", "potholes", "bus", "school", "park"]
# A resident's pace: at most this many of each write per simulated user per run (the site's
# per-person hourly limits are higher than these).
CAPS = {"ask": 4, "answer": 12, "respond": 3, "vote": 60}

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_FORM_STARTED = re.compile(r'name="form_started" value="([^"]+)"')


# ---- setting up ------------------------------------------------------------------------------


def port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_port(start: int) -> int:
    for port in range(start, start + 50):
        if port_free(port):
            return port
    raise SystemExit("no free port")


def postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def run_django(env: dict, code: str) -> str:
    """Run Django code in a child process (so each database gets a fresh setup)."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        raise SystemExit(f"setup failed:\n{result.stderr[-4000:]}")
    return result.stdout


SEED = """
import json
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site
from portal.models import User
from questions.models import Answer, Question, QuestionIndexPage
from questions.services import recount_question
from tests.consultations.factories import make_consultation, make_index

call_command("migrate", verbosity=0, interactive=False)
home = Site.objects.get(is_default_site=True).root_page
index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
home.add_child(instance=index)
index.save_revision().publish()
consultation = make_consultation(make_index(home))
users = []
for n in range(USERS):
    user = User.objects.create_user(
        email=f"load{n}@example.com", password=PASSWORD, display_name=f"Resident {n}",
        email_verified=True,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    users.append(user)
threads = []
for i in range(SEED_QUESTIONS):
    word = WORDS[i % len(WORDS)]
    q = Question.objects.create(
        title=f"What is the plan for {word} in ward {i}?",
        body=f"Residents in ward {i} would like to know about {word}.",
        author=users[i % len(users)],
        status=Question.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=i),
    )
    q.tags.set([word])
    for j in range(5):
        Answer.objects.create(
            question=q, author=users[(i + j + 1) % len(users)],
            body=f"Answer {j}: the council said it would look at {word} next month.",
        )
    recount_question(q.pk)
    q.refresh_from_db()
    threads.append({"id": q.pk, "path": f"/ask-the-council/{q.pk}/{q.slug}/"})
call_command("update_index", verbosity=0)
print(json.dumps({"threads": threads, "consultation": consultation.url}))
"""


def seed(env: dict, users: int) -> dict:
    code = (
        f"USERS = {users}\nPASSWORD = {PASSWORD!r}\nSEED_QUESTIONS = {SEED_QUESTIONS}\n"
        f"WORDS = {WORDS!r}\n" + SEED
    )
    return json.loads(run_django(env, code).strip().splitlines()[-1])


# ---- a simulated resident --------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.by_action: Counter = Counter()
        self.accepted: dict[str, list[str]] = defaultdict(list)  # kind -> references
        self.votes: dict[tuple[int, int], bool] = {}  # (user n, question id) -> voted
        self.failures: list[str] = []

    def record(self, status: int, latency: float, action: str):
        with self.lock:
            self.latencies.append(latency)
            self.statuses[status] += 1
            self.by_action[action] += 1


class Resident:
    def __init__(self, n: int, port: int, site: dict, stats: Stats, stop_at: float, run_id: str):
        self.n, self.port, self.site, self.stats = n, port, site, stats
        self.stop_at, self.run_id = stop_at, run_id
        self.address = f"127.0.0.{10 + n % 240}"
        self.cookies: dict[str, str] = {}
        self.conn = None
        self.done: Counter = Counter()
        self.random = random.Random(f"{run_id}-{n}")  # noqa: S311 - a load mix, not security
        self.known_threads = list(site["threads"])

    # HTTP with a cookie jar, from this resident's own loopback address
    def request(self, method: str, path: str, data=None, action="read"):
        body = None
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
                )
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # a keep-alive connection the server closed between requests: reconnect
                self.conn.close()
                self.conn = None
                if attempt == 0 and method == "GET":
                    continue
                self.stats.record(0, time.perf_counter() - started, action)
                return 0, {}, b""
            latency = time.perf_counter() - started
            break
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
        self.stats.record(response.status, latency, action)
        return response.status, dict(response.getheaders()), content

    def form(self, path: str, action: str):
        status, _, body = self.request("GET", path, action=action)
        html = body.decode("utf-8", "replace")
        csrf = _CSRF.search(html)
        started = _FORM_STARTED.search(html)
        if status != 200 or not csrf:
            return None
        fields = {"csrfmiddlewaretoken": csrf.group(1), "website": ""}
        if started:
            fields["form_started"] = started.group(1)
        return fields, html

    def sign_in(self) -> bool:
        got = self.form("/accounts/login/", "sign-in")
        if got is None:
            return False
        fields, _ = got
        fields.update({"login": f"load{self.n}@example.com", "password": PASSWORD})
        status, headers, _ = self.request("POST", "/accounts/login/", fields, "sign-in")
        return status == 302 and "sessionid" in self.cookies

    def ref(self) -> str:
        return f"ld{self.run_id}u{self.n}x{sum(self.done.values())}"

    # what residents do
    def read(self):
        self.request(
            "GET", self.random.choice(["/ask-the-council/", "/ask-the-council/?view=unanswered"])
        )
        thread = self.random.choice(self.known_threads)
        self.request("GET", thread["path"])

    def search(self):
        word = self.random.choice(WORDS)
        self.request("GET", "/ask-the-council/suggest/?" + urlencode({"q": word}), action="search")
        consultations = self.site["consultation"].rsplit("/", 2)[0] + "/"
        self.request("GET", consultations + "?" + urlencode({"q": word}), action="search")

    def ask(self):
        got = self.form("/ask-the-council/ask/", "ask")
        if got is None:
            return
        fields, _ = got
        ref = self.ref()
        word = self.random.choice(WORDS)
        fields.update(
            {
                "title": f"When will the council decide about {word}, reference {ref}?",
                "body": f"Asked during the load run ({ref}).",
                "tags": word,
                "checked": "1",
            }
        )
        status, headers, _ = self.request("POST", "/ask-the-council/ask/", fields, "ask")
        location = headers.get("Location", "")
        match = re.search(r"/ask-the-council/(\d+)/([^/]+)/", location)
        if status == 302 and match:
            self.done["ask"] += 1
            with self.stats.lock:
                self.stats.accepted["ask"].append(ref)
            path = urlsplit(location).path
            self.known_threads.append({"id": int(match.group(1)), "path": path})
        elif status not in (429,):
            self.stats.failures.append(f"ask: {status}")

    def answer(self):
        thread = self.random.choice(self.known_threads)
        got = self.form(thread["path"], "answer")
        if got is None:
            return
        fields, html = got
        if f'action="{thread["path"]}answer/"' not in html:
            return  # cannot answer this one (its own question, or pending moderation)
        ref = self.ref()
        fields["body"] = f"From what I have heard, it is on the agenda next month ({ref})."
        status, headers, _ = self.request("POST", thread["path"] + "answer/", fields, "answer")
        if status == 302 and "#answer-" in headers.get("Location", ""):
            self.done["answer"] += 1
            with self.stats.lock:
                self.stats.accepted["answer"].append(ref)
        elif status != 429:
            self.stats.failures.append(f"answer: {status}")

    def vote(self):
        thread = self.random.choice(self.site["threads"])
        got = self.form(thread["path"], "vote")
        if got is None:
            return
        fields, html = got
        match = re.search(
            rf'action="{re.escape(thread["path"])}vote/".*?name="state" value="(on|off)"',
            html,
            re.S,
        )
        if not match:
            return
        fields = {"csrfmiddlewaretoken": fields["csrfmiddlewaretoken"], "state": match.group(1)}
        status, _, _ = self.request("POST", thread["path"] + "vote/", fields, "vote")
        if status == 302:
            self.done["vote"] += 1
            with self.stats.lock:
                self.stats.votes[(self.n, thread["id"])] = match.group(1) == "on"
        elif status != 429:
            self.stats.failures.append(f"vote: {status}")

    def respond(self):
        path = self.site["consultation"] + "respond/"
        got = self.form(path, "respond")
        if got is None:
            return
        fields, _ = got
        ref = self.ref()
        fields.update(
            {
                "q_q-option": "Option A: later weekday opening",
                "q_q-agree": "Agree",
                "q_q-uses": ["Borrowing books", "Study space"],
                "q_q-postcode": "HF4",
                "q_q-comments": f"Please keep Saturday story time ({ref}).",
                "consent_publish": "yes",
                "consent_contact": "no",
                "name": "",
                "email": "",
            }
        )
        status, headers, _ = self.request("POST", path, fields, "respond")
        if status == 302 and "/respond/received/" in headers.get("Location", ""):
            self.done["respond"] += 1
            with self.stats.lock:
                self.stats.accepted["respond"].append(ref)
        elif status != 429:
            self.stats.failures.append(f"respond: {status}")

    def run(self):
        if "sessionid" not in self.cookies:
            return
        mix = [
            ("read", 45),
            ("search", 20),
            ("vote", 15),
            ("answer", 10),
            ("ask", 5),
            ("respond", 5),
        ]
        names = [name for name, _ in mix]
        weights = [w for _, w in mix]
        while time.monotonic() < self.stop_at:
            action = self.random.choices(names, weights)[0]
            if action in CAPS and self.done[action] >= CAPS[action]:
                action = "read"
            getattr(self, action)()
        if self.conn is not None:
            self.conn.close()


# ---- the audit -------------------------------------------------------------------------------

AUDIT = """
import json, re
from collections import Counter
from consultations.models import ConsultationResponse
from questions.models import Answer, Question, Vote

accepted = json.loads(ACCEPTED)
pattern = re.compile(r"ld" + RUN_ID + r"u\\d+x\\d+")

def refs(texts):
    found = Counter()
    for text in texts:
        found.update(pattern.findall(text or ""))
    return found

stored = {
    "ask": refs(Question.objects.values_list("title", flat=True)),
    "answer": refs(Answer.objects.values_list("body", flat=True)),
    "respond": refs(
        json.dumps(r) for r in ConsultationResponse.objects.values_list("answers", flat=True)
    ),
}
report = {"missing": {}, "doubled": {}, "unacknowledged": {}, "counters": []}
for kind, refs_ in accepted.items():
    missing = [r for r in refs_ if stored[kind][r] == 0]
    doubled = [r for r in refs_ if stored[kind][r] > 1]
    extra = [r for r in stored[kind] if r not in set(refs_)]
    report["missing"][kind] = missing
    report["doubled"][kind] = doubled
    report["unacknowledged"][kind] = extra
wrong_votes = []
for key, voted in json.loads(VOTES):
    user_n, question_id = key
    email = f"load{user_n}@example.com"
    has = Vote.objects.filter(user__email=email, question_id=question_id).exists()
    if has != voted:
        wrong_votes.append(key)
report["wrong_votes"] = wrong_votes
for q in Question.objects.all():
    votes = Vote.objects.filter(question=q).count()
    answers = Answer.objects.filter(question=q, status=Answer.Status.PUBLISHED).count()
    if q.vote_count != votes or q.answer_count != answers:
        report["counters"].append([q.pk, q.vote_count, votes, q.answer_count, answers])
report["rows"] = {k: sum(v.values()) for k, v in stored.items()}
print(json.dumps(report))
"""


def audit(env: dict, stats: Stats, run_id: str) -> dict:
    code = (
        f"ACCEPTED = {json.dumps(json.dumps(stats.accepted))}\n"
        f"VOTES = {json.dumps(json.dumps([[list(k), v] for k, v in stats.votes.items()]))}\n"
        f"RUN_ID = {run_id!r}\n" + AUDIT
    )
    return json.loads(run_django(env, code).strip().splitlines()[-1])


# ---- one run ---------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run_once(database: str, args) -> dict:
    var_dir = tempfile.mkdtemp(prefix=f"parley-load-{database}-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "PARLEY_VAR_DIR": var_dir,
        "PYTHONPATH": str(ROOT),
        "PARLEY_FORM_MIN_SECONDS": "0",
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
    }
    env.pop("REDIS_URL", None)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{var_dir}/load.sqlite3"
    else:
        env["DATABASE_URL"] = PG_URL
        name = urlsplit(PG_URL).path.lstrip("/")
        admin_url = PG_URL.rsplit("/", 1)[0] + "/postgres"
        run_django(
            {**env, "DATABASE_URL": admin_url},
            "from django.db import connection\n"
            "connection.ensure_connection(); connection.connection.autocommit = True\n"
            "with connection.cursor() as c:\n"
            f"    c.execute('DROP DATABASE IF EXISTS {name} WITH (FORCE)')\n"
            f"    c.execute('CREATE DATABASE {name}')\n",
        )
    try:
        print(f"[{database}] migrating and seeding {args.users} accounts...", flush=True)
        site = seed(env, args.users)
        port = pick_port(args.port)
        proc = start_gunicorn(
            port,
            args.workers,
            env,
            f"--threads={args.threads}",
            "--worker-class=gthread",
            "--timeout=120",
        )
        try:
            wait_for(port, proc, timeout=120)
            stats, warmup = Stats(), Stats()
            run_id = f"{random.randrange(10**6):06d}"  # noqa: S311
            residents = [Resident(n, port, site, warmup, 0, run_id) for n in range(args.users)]
            # Everyone signs in first (through the form), outside the measured period.
            signing_in = [threading.Thread(target=r.sign_in) for r in residents]
            for t in signing_in:
                t.start()
            for t in signing_in:
                t.join()
            signed_in = sum(1 for r in residents if "sessionid" in r.cookies)
            if signed_in < args.users:
                stats.failures.append(f"{args.users - signed_in} users could not sign in")
            stop_at = time.monotonic() + args.duration
            for r in residents:
                r.stats, r.stop_at = stats, stop_at
            threads = [threading.Thread(target=r.run) for r in residents]
            print(f"[{database}] {args.users} users for {args.duration:g} s...", flush=True)
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        report = audit(env, stats, run_id)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    total = sum(stats.statuses.values())
    server_errors = sum(n for status, n in stats.statuses.items() if status >= 500)
    problems = {
        "5xx responses": server_errors,
        "dropped connections": stats.statuses.get(0, 0),
        "accepted writes missing": sum(len(v) for v in report["missing"].values()),
        "accepted writes stored twice": sum(len(v) for v in report["doubled"].values()),
        "vote states wrong": len(report["wrong_votes"]),
        "counters out of step": len(report["counters"]),
        "unexpected refusals": len(stats.failures),
    }
    result = {
        "database": database,
        "users": args.users,
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "p50_ms": round(percentile(stats.latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(stats.latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(stats.latencies, 99) * 1000, 1),
        "statuses": dict(sorted(stats.statuses.items())),
        "requests_by_action": dict(stats.by_action),
        "accepted_writes": {k: len(v) for k, v in stats.accepted.items()}
        | {"vote": sum(1 for _ in stats.votes)},
        "stored_rows_with_run_reference": report["rows"],
        "stored_but_not_acknowledged": {k: len(v) for k, v in report["unacknowledged"].items()},
        "signed_in": signed_in,
        "problems": problems,
        "failures_sample": stats.failures[:10],
        "ok": not any(problems.values()),
    }
    return result


def print_result(r: dict) -> None:
    print(f"\n== {r['database']}: {r['users']} users, {r['seconds']} s")
    print(f"signed in:         {r['signed_in']} of {r['users']} (before the clock started)")
    print(f"requests:          {r['requests']}  ({r['requests_per_second']} requests/s)")
    print(f"latency:           p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms")
    print(f"status codes:      {r['statuses']}")
    print(f"by action:         {r['requests_by_action']}")
    print(f"accepted writes:   {r['accepted_writes']}")
    print(f"stored (audited):  {r['stored_rows_with_run_reference']}")
    print(f"stored, no answer: {r['stored_but_not_acknowledged']}")
    print(f"problems:          {r['problems']}")
    if r["failures_sample"]:
        print(f"failures (sample): {r['failures_sample']}")
    print("exactly once, zero 5xx: " + ("yes" if r["ok"] else "NO"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres", "both"],
        default="both",
        help="both: SQLite, then PostgreSQL when a server answers on 127.0.0.1:5432",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--port", type=int, default=8200, help="first port to try")
    parser.add_argument("--redis-url", default="", help="shared cache for rate limits")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)

    databases = ["sqlite"] if args.database == "sqlite" else []
    if args.database in ("postgres", "both"):
        if postgres_available():
            databases.append("postgres")
        elif args.database == "postgres":
            raise SystemExit("no PostgreSQL server on 127.0.0.1:5432")
    if args.database == "both":
        databases.insert(0, "sqlite")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    results = [run_once(db, args) for db in databases]
    for r in results:
        print_result(r)
    if args.json:
        print(json.dumps(results))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
