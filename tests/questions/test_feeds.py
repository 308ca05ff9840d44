import xml.etree.ElementTree as ET

import pytest

from questions.models import Question
from tests.questions.conftest import thread_path

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _rss_titles(response):
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    return [item.findtext("title") for item in root.iter("item")]


def _atom_titles(response):
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_all_questions_feeds(client, make_question):
    public = make_question(title="When does the Fenwick Park café open?")
    make_question(title="A question still waiting for moderation?", status="pending")
    rss = client.get("/ask-the-council/feed/rss/")
    assert rss.status_code == 200
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert _rss_titles(rss) == [public.title]
    atom = client.get("/ask-the-council/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert _atom_titles(atom) == [public.title]
    assert f"http://testserver{thread_path(public)}" in atom.content.decode()


def test_topic_feeds(client, make_question):
    bins = make_question(title="When are bins collected on Orchard Close?", tags=["bins"])
    make_question(title="Where can I park near the library?", tags=["parking"])
    assert _rss_titles(client.get("/ask-the-council/topics/bins/feed/rss/")) == [bins.title]
    assert _atom_titles(client.get("/ask-the-council/topics/bins/feed/atom/")) == [bins.title]
    assert client.get("/ask-the-council/topics/nothing/feed/rss/").status_code == 404


def test_thread_feed_lists_answers_official_marked(
    client, question, answer, officer, answer_factory
):
    answer_factory(
        question=question,
        author=officer,
        is_official=True,
        official_title=officer.official_title,
        body="Reopens Monday.",
    )
    rss = client.get(f"{thread_path(question)}feed/rss/")
    titles = _rss_titles(rss)
    assert "Official answer from Dan Okafor" in titles
    assert f"Answer from {answer.author.display_name}" in titles
    atom = client.get(f"{thread_path(question)}feed/atom/")
    assert len(_atom_titles(atom)) == 2


def test_thread_feed_is_404_for_questions_the_public_cannot_see(client, make_question):
    pending = make_question(status=Question.Status.PENDING)
    assert client.get(f"{thread_path(pending)}feed/rss/").status_code == 404


def test_feed_text_is_escaped(client, make_question):
    make_question(title="Is <script>alert(1)</script> allowed in titles?")
    body = client.get("/ask-the-council/feed/rss/").content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
