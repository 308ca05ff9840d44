"""What the public sees ("Discussed on X"), the periodic job and the sandbox commands."""

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory

from portal.scheduling import periodic_jobs
from social import services
from social.sandbox.state import SandboxState

from .factories import approved_post

pytestmark = pytest.mark.django_db


def extras(obj, place):
    request = RequestFactory().get("/")
    template = Template("{% parley_extras obj place %}")
    return template.render(Context({"obj": obj, "place": place, "request": request}))


def test_discussed_on_x_links_published_posts_about_the_page(sandbox, channel, home_page):
    post = approved_post(channel)
    post.topic = home_page
    post.save()
    assert "Discussed on X" not in extras(home_page, "thread")
    services.post_publish(post_id=post.pk)
    post.refresh_from_db()
    html = extras(home_page, "page")
    assert "Discussed on X" in html
    assert post.external_url in html
    assert extras(home_page, "after_answers").count("Discussed on X") == 0


def test_withdrawn_posts_are_not_linked(sandbox, channel, home_page, coach):
    post = approved_post(channel)
    post.topic = home_page
    post.save()
    services.post_publish(post_id=post.pk)
    services.post_withdraw(post=post, by=coach)
    assert "Discussed on X" not in extras(home_page, "thread")


def test_publishing_sweep_is_a_periodic_job():
    assert "social.publish_due_posts" in {job.name for job in periodic_jobs()}


def test_simulator_adds_plausible_replies_to_the_latest_posts(tmp_path, capsys):
    state = SandboxState(tmp_path)
    council = state.account_for_token("sandbox-harrowfieldbc")
    post = state.create_tweet(council, "Tell us about the new library hours")
    call_command(
        "x_sandbox_simulate", "--state-dir", str(tmp_path), "--replies", "6", "--seed", "4"
    )
    conversation = state.conversation(post["id"])
    assert len(conversation) == 7
    assert all(t["text"] for t in conversation)
    assert "Added 6 replies." in capsys.readouterr().out
