"""Faults injected on purpose, and proof that nothing is lost or doubled.

- X down for a long time: posts wait and drain when it is back (or, past the retry budget, park
  as failed with the error shown, and drain once a coach sends them again); reply pulling
  resumes from its cursor and stores each reply once.
- A storm of 429s: every post published once, every reply stored once, resets respected.
- A worker killed (SIGKILL, a real child process) after X accepted a post and before we
  recorded it: the next sweep finds the post on X and does not post it again.
- SQLite busy: several processes write at once while another holds the write lock; every
  submission is stored, none twice, none refused.
- The mail server down (connection refused), then back: notifications are kept and retried.

The X sandbox and the mail server are real servers on loopback, on ports of this suite's range.
The search index fault is tested with the search backend (search/), not here.
"""

import json
import os
import signal
import socketserver
import subprocess
import sys
import textwrap
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from portal import notifications
from portal.models import Notification
from social import ingest, services
from social.models import Channel, Post, PostEvent, PullCursor, Reply
from social.sandbox.server import SandboxServer
from tests.social.conftest import Sandbox

Status = Post.Status
ROOT = Path(__file__).resolve().parents[2]


def _port(offset: int) -> int:
    """A port in this suite's range (8200-8299), different for each xdist worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return 8200 + (int(worker) if worker.isdigit() else 0) % 8 * 10 + offset


class RestartableSandbox(Sandbox):
    """The sandbox on a fixed port that can go away and come back with the same state."""

    def __init__(self, state_dir: Path, port: int):
        self.state_dir, self.port = state_dir, port
        super().__init__(SandboxServer(state_dir, port=port).start())

    def down(self):
        self.server.stop()

    def up(self):
        self.server = SandboxServer(self.state_dir, port=self.port).start()
        self.state = self.server.state


@pytest.fixture
def x(tmp_path, settings):
    box = RestartableSandbox(tmp_path / "x-sandbox", _port(0))
    settings.X_API_BASE_URL = box.url
    settings.X_API_TIMEOUT = 1
    settings.SOCIAL_BACKOFF_BASE_SECONDS = 1
    settings.SOCIAL_BACKOFF_CAP_SECONDS = 4
    settings.SOCIAL_MAX_ATTEMPTS = 6
    try:
        yield box
    finally:
        try:
            box.server.stop()
        except Exception:  # noqa: BLE001, S110 - already stopped by the test
            pass


@pytest.fixture
def channel(db):
    return Channel.objects.create(
        name="Harrowfield Borough Council", kind=Channel.Kind.SANDBOX, handle="harrowfieldbc"
    )


def approved(channel, text):
    return Post.objects.create(channel=channel, text=text, status=Status.APPROVED)


def on_x(box, text) -> list[dict]:
    return [t for t in box.state.search(window=False, limit=100)[0] if t["text"] == text]


def make_all_due():
    past = timezone.now() - timedelta(seconds=1)
    Post.objects.filter(status=Status.APPROVED).update(next_attempt_at=past)
    PullCursor.objects.update(next_poll_at=past)


TEXTS = [f"Bin collections move to Tuesdays in ward {n} from 3 March." for n in range(4)]


@pytest.mark.django_db
def test_x_down_for_a_while_posts_wait_and_drain_once_it_is_back(x, channel):
    x.down()
    posts = [approved(channel, text) for text in TEXTS]
    for _ in range(4):  # four sweeps while X is down: within the retry budget
        outcomes = services.publish_due()
        assert outcomes == {"retry": 4}
        make_all_due()
    for post in posts:
        post.refresh_from_db()
        assert post.status == Status.APPROVED and post.last_error
    x.up()
    assert services.publish_due() == {"published": 4}
    for post in posts:
        post.refresh_from_db()
        assert post.status == Status.PUBLISHED
        assert [str(t["id"]) for t in on_x(x, post.text)] == [post.external_id]


@pytest.mark.django_db
def test_x_down_longer_than_the_retry_budget_parks_posts_and_a_coach_drains_them(x, channel, coach):
    x.down()
    posts = [approved(channel, text) for text in TEXTS[:2]]
    for _ in range(django_settings.SOCIAL_MAX_ATTEMPTS + 2):
        services.publish_due()
        make_all_due()
    for post in posts:
        post.refresh_from_db()
        # parked where officers see it, with the error: never dropped
        assert post.status == Status.FAILED and post.last_error
        assert post.events.filter(kind=PostEvent.Kind.FAILED).count() == 1
    x.up()
    assert services.publish_due() == {}  # nothing is retried behind the coach's back
    for post in posts:
        services.post_retry(post=post, by=coach)
    assert services.publish_due() == {"published": 2}
    for post in posts:
        post.refresh_from_db()
        assert post.status == Status.PUBLISHED
        assert len(on_x(x, post.text)) == 1


@pytest.mark.django_db
def test_reply_pulling_resumes_from_its_cursor_after_x_comes_back(x, channel):
    post = approved(channel, "Tell us what you think of the new bus lanes.")
    assert services.post_publish(post_id=post.pk) == "published"
    post.refresh_from_db()
    early = x.bulk(
        [
            {"in_reply_to": post.external_id, "username": f"r{i}", "text": f"Early {i}"}
            for i in range(5)
        ]
    )
    make_all_due()
    assert ingest.pull_post(post_id=post.pk).new == 5
    cursor = PullCursor.objects.get(post=post)
    assert cursor.since_id == early[-1]

    x.down()
    for _ in range(3):
        make_all_due()
        assert ingest.pull_post(post_id=post.pk).outcome == "retry"
    cursor.refresh_from_db()
    assert cursor.since_id == early[-1] and cursor.failures == 3  # the cursor did not move
    assert cursor.state == PullCursor.State.ACTIVE

    x.up()
    late = x.bulk(
        [
            {"in_reply_to": post.external_id, "username": f"l{i}", "text": f"Late {i}"}
            for i in range(130)
        ]
    )
    make_all_due()
    result = ingest.pull_post(post_id=post.pk)
    assert (result.outcome, result.new, result.known) == ("pulled", 130, 0)
    cursor.refresh_from_db()
    assert cursor.since_id == late[-1] and cursor.failures == 0
    assert Reply.objects.filter(post=post).count() == 135
    assert Reply.objects.values("external_id").distinct().count() == 135


@pytest.mark.django_db
def test_a_storm_of_429s_loses_and_doubles_nothing(x, channel):
    posts = [approved(channel, text) for text in TEXTS]
    x.fault("429", count=12, seconds=30)
    before = timezone.now()
    outcomes = services.publish_due()
    assert outcomes == {"retry": 4}
    for post in posts:
        post.refresh_from_db()
        # the reset time X gave is respected: nothing is retried before it
        assert post.next_attempt_at >= before + timedelta(seconds=25)
    assert services.publish_due() == {}  # not due yet: no calls made
    for _ in range(10):
        make_all_due()
        services.publish_due()
        if not Post.objects.filter(status=Status.APPROVED).exists():
            break
    for post in posts:
        post.refresh_from_db()
        assert post.status == Status.PUBLISHED
        assert len(on_x(x, post.text)) == 1

    # and the replies: a storm in the middle of pulling them
    root = posts[0]
    x.bulk(
        [
            {"in_reply_to": root.external_id, "username": f"s{i}", "text": f"Storm {i}"}
            for i in range(250)
        ]
    )
    x.fault("429", count=4, seconds=30)
    for _ in range(12):
        make_all_due()
        ingest.pull_post(post_id=root.pk)
        if Reply.objects.filter(post=root).count() == 250:
            break
    assert Reply.objects.filter(post=root).count() == 250
    assert Reply.objects.values("external_id").distinct().count() == 250
    assert PullCursor.objects.get(post=root).state == PullCursor.State.ACTIVE


# ---- real child processes ------------------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import json, os, sys
    import django
    django.setup()
    from django.conf import settings
    for name, value in json.loads(os.environ.get("CHILD_SETTINGS", "{}")).items():
        setattr(settings, name, value)
    exec(sys.argv[1])
    """
)


class Children:
    """Run Django code in real child processes sharing the test's database."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        if connection.vendor == "sqlite":
            # The test database is in memory: give the children a file copy of it (the same
            # WAL and IMMEDIATE settings as production apply to a file database).
            self.db_file = tmp_path / "shared.sqlite3"
            connection.ensure_connection()
            target = __import__("sqlite3").connect(self.db_file)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.db_file}"
        else:
            s = connection.settings_dict
            self.url = (
                f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
            )

    def env(self, **extra) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": self.url,
            "PYTHONPATH": str(ROOT),
            "PARLEY_VAR_DIR": str(self.tmp_path / "var"),
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        }
        env.update(
            {k: json.dumps(v) if k == "CHILD_SETTINGS" else str(v) for k, v in extra.items()}
        )
        return env

    def start(self, code: str, **env) -> subprocess.Popen:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", CHILD, textwrap.dedent(code)],
            cwd=ROOT,
            env=self.env(**env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        return proc

    def run(self, code: str, timeout=120, **env):
        proc = self.start(code, **env)
        out, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, err[-3000:]
        return json.loads(out.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_after_x_accepted_the_post_is_reconciled_not_reposted(x, channel, tmp_path):
    post = approved(channel, "The library on Mill Lane reopens on 4 May.")
    children = Children(tmp_path)
    # X stores the post, then takes 60 s to answer: the worker is killed while it waits.
    x.fault("hang_after", count=1, seconds=60, method="POST", path="/2/tweets")
    worker = children.start(
        f"print(__import__('social.services').services.post_publish(post_id={post.pk}))",
        X_API_BASE_URL=x.url,
        X_API_TIMEOUT=120,
    )
    deadline = time.monotonic() + 90
    while not on_x(x, post.text):
        assert worker.poll() is None, worker.stderr.read()[-3000:]
        assert time.monotonic() < deadline, "the worker never reached X"
        time.sleep(0.1)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    [tweet] = on_x(x, post.text)

    state = children.run(
        f"""
        from social.models import Post
        p = Post.objects.get(pk={post.pk})
        print(__import__('json').dumps([p.status, p.external_id, p.intent_at is not None]))
        """
    )
    assert state == [Status.APPROVED, "", True]  # killed before it could record anything

    # The next sweep, once the dead worker's lease has run out.
    result = children.run(
        f"""
        import json
        import time_machine
        from datetime import timedelta
        from django.utils import timezone
        from social import services
        from social.models import Post
        with time_machine.travel(timezone.now() + timedelta(minutes=20), tick=True):
            outcome = services.publish_due()
        p = Post.objects.get(pk={post.pk})
        notes = list(p.events.filter(kind="published").values_list("note", flat=True))
        print(json.dumps([outcome, p.status, p.external_id, notes]))
        """,
        X_API_BASE_URL=x.url,
        X_API_TIMEOUT=5,
    )
    outcome, status, external_id, notes = result
    assert outcome == {"published": 1}
    assert status == Status.PUBLISHED and external_id == str(tweet["id"])
    assert len(notes) == 1 and "Found on X" in notes[0]
    assert len(on_x(x, post.text)) == 1  # not posted again


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_while_the_database_is_busy_lose_nothing(tmp_path, home_page):
    from questions.models import QuestionIndexPage
    from tests.factories import UserFactory
    from tests.questions.factories import QuestionFactory

    index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    asker = UserFactory()
    question = QuestionFactory(author=asker, title="Why is the Mill Lane footbridge closed?")
    writers = [UserFactory() for _ in range(4)]
    children = Children(tmp_path)
    per_writer = 8
    url = f"/ask-the-council/{question.pk}/{question.slug}/answer/"

    # One process takes the write lock and sits on it while the writers start.
    holder = children.start(
        """
        import time
        from django.db import connection, transaction
        with transaction.atomic():
            connection.cursor().execute("UPDATE questions_question SET title = title")
            print("locked", flush=True)
            time.sleep(6)
        print("{}")
        """
    )
    assert holder.stdout.readline().strip() == "locked"
    procs = [
        children.start(
            f"""
            import json
            from django.test import Client
            from portal.forms import form_token
            from portal.models import User
            client = Client()
            client.force_login(User.objects.get(pk={writer.pk}))
            codes = []
            for n in range({per_writer}):
                response = client.post("{url}", {{
                    "body": f"Answer {{n}} from writer {writer.pk}: the bridge is being repaired.",
                    "form_started": form_token(), "website": ""}})
                codes.append(response.status_code)
            print(json.dumps(codes))
            """,
            CHILD_SETTINGS={"PARLEY_POST_RATE_LIMIT": "1000/60"},
        )
        for writer in writers
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    holder.communicate(timeout=60)
    assert results == [[302] * per_writer] * len(writers)  # every one accepted, none refused

    counts = children.run(
        f"""
        import json
        from questions.models import Answer, Question
        q = Question.objects.get(pk={question.pk})
        bodies = list(Answer.objects.filter(question=q).values_list("body", flat=True))
        print(json.dumps([len(bodies), len(set(bodies)), q.answer_count]))
        """
    )
    expected = per_writer * len(writers)
    assert counts == [expected, expected, expected]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_answer_sent_twice_at_the_same_moment_is_stored_once(tmp_path, home_page):
    """Two processes post one answer (same form, same token) at the same instant."""
    from portal.forms import form_token
    from questions.models import QuestionIndexPage
    from tests.factories import UserFactory
    from tests.questions.factories import QuestionFactory

    index = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    question = QuestionFactory(author=UserFactory(), title="Where do I report a broken light?")
    answerer = UserFactory()
    children = Children(tmp_path)
    url = f"/ask-the-council/{question.pk}/{question.slug}/answer/"
    token = form_token(time.time() - 60)
    start_at = time.time() + 8  # both children are set up by then
    procs = [
        children.start(
            f"""
            import json, time
            from django.test import Client
            from portal.models import User
            client = Client()
            client.force_login(User.objects.get(pk={answerer.pk}))
            time.sleep(max(0, {start_at} - time.time()))
            response = client.post("{url}", {{
                "body": "Report it online; it is usually fixed within a week.",
                "form_started": "{token}", "website": ""}})
            print(json.dumps([response.status_code, response.get("Location")]))
            """
        )
        for _ in range(2)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert [code for code, _ in results] == [302, 302]
    assert results[0][1] == results[1][1]  # both shown the one answer
    stored = children.run(
        f"""
        import json
        from questions.models import Answer, Question
        print(json.dumps([Answer.objects.filter(question_id={question.pk}).count(),
                          Question.objects.get(pk={question.pk}).answer_count]))
        """
    )
    assert stored == [1, 1]


# ---- the mail server -----------------------------------------------------------------------


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: every message received is kept."""

    def handle(self):
        self.wfile.write(b"220 parley-test ESMTP\r\n")
        data_mode, lines = False, []
        while line := self.rfile.readline():
            if data_mode:
                if line in (b".\r\n", b".\n"):
                    self.server.messages.append(b"".join(lines).decode("utf-8", "replace"))
                    data_mode, lines = False, []
                    self.wfile.write(b"250 OK\r\n")
                else:
                    lines.append(line)
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-parley-test\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                data_mode = True
                self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 Bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


class SMTPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port):
        self.messages = []
        super().__init__(("127.0.0.1", port), SMTPHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.mark.django_db
def test_mail_server_down_then_back_notifications_are_retried_and_sent_once(
    resident, settings, django_capture_on_commit_callbacks
):
    port = _port(5)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = False
    with django_capture_on_commit_callbacks(execute=True):
        sent = [
            notifications.notify(
                user=resident, kind="test", subject=f"Update {n}", body="Something changed."
            )
            for n in range(3)
        ]
    for n in sent:
        n.refresh_from_db()
        assert n.sent_at is None and n.attempts == 1 and n.last_error  # kept, not lost

    # still down at the first retry
    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert notifications.retry_due_notifications() == 0
    assert set(Notification.objects.values_list("attempts", flat=True)) == {2}

    server = SMTPServer(port)
    try:
        assert notifications.retry_due_notifications() == 0  # the backoff is respected
        Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        assert notifications.retry_due_notifications() == 3
        assert notifications.retry_due_notifications() == 0  # nothing sent twice
    finally:
        server.shutdown()
        server.server_close()
    assert sorted(m.split("Subject: ")[1].split("\n")[0].strip() for m in server.messages) == [
        "Update 0",
        "Update 1",
        "Update 2",
    ]
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert mail.outbox == []
