"""The demo tour: in demo mode only, five steps, each linking to the page it talks about."""

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.SANDBOX_STATE_DIR = tmp_path / "x-sandbox"
    call_command("seed_demo", stdout=io.StringIO())


def test_the_tour_walks_through_the_five_steps_in_demo_mode(
    client, demo, settings, django_assert_max_num_queries
):
    settings.PARLEY_DEMO_MODE = True
    home = client.get("/").content.decode()
    assert 'href="/tour/">Take the demo tour</a>' in home

    with django_assert_max_num_queries(20):
        response = client.get("/tour/")
    assert response.status_code == 200
    html = response.content.decode()
    steps = re.findall(r'<h2 class="govuk-heading-m">(\d)\. ([^<]+)</h2>', html)
    assert [n for n, _ in steps] == ["1", "2", "3", "4", "5"]
    for email in ["resident@example.com", "moderator@example.com", "coach@example.com"]:
        assert email in html
    assert "councillor@example.com" in html and "parley-demo-2026" in html
    links = re.findall(r'<a class="govuk-link" href="([^"]+)">', html)
    for expected in [
        "/ask-the-council/ask/",
        "/admin/moderation/",
        "/admin/social/queue/",
        "/admin/social/inbox/",
        "/scrutiny/evidence/",
        "/inquiries/road-safety-near-schools/dashboard/",
        "/meetings/",
    ]:
        assert expected in links, expected
    assert re.search(r'href="/consultations/[-\w]+/">Respond: ', html)
    assert re.search(r'href="/consultations/[-\w]+/">An outcome: ', html)
    client.force_login(_user("councillor@example.com"))
    for url in links:
        if url.startswith("/") and not url.startswith(("/admin/", "/scrutiny/")):
            assert client.get(url).status_code in (200, 302), url


def test_there_is_no_tour_outside_demo_mode(client, demo, settings):
    settings.PARLEY_DEMO_MODE = False
    assert client.get("/tour/").status_code == 404
    assert "demo tour" not in client.get("/").content.decode()


def _user(email):
    from portal.models import User

    return User.objects.get(email=email)
