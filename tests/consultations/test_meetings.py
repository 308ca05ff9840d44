from datetime import timedelta

import pytest
from django.utils import timezone

from consultations import signals
from consultations.models import LiveUpdate, MeetingDecision
from portal.forms import form_token

from .factories import make_consultation, make_meeting

pytestmark = pytest.mark.django_db


def _post(client, meeting, text):
    return client.post(
        meeting.url + "updates/", {"text": text, "form_started": form_token(), "website": ""}
    )


def test_officer_posts_a_live_update_from_the_meeting_page(
    client, officer, meeting, django_capture_on_commit_callbacks
):
    sent = []

    def receiver(sender, update, **kwargs):
        sent.append(update)

    signals.live_update_posted.connect(receiver)
    try:
        client.force_login(officer)
        page_html = client.get(meeting.url).content.decode()
        assert "Post a live update" in page_html
        assert 'data-parley-module="live-updates"' in page_html
        with django_capture_on_commit_callbacks(execute=True):
            response = _post(client, meeting, "Item 4: the report on library hours is agreed.")
    finally:
        signals.live_update_posted.disconnect(receiver)

    assert response.status_code == 302
    assert response["Location"].endswith("#live-updates")
    update = LiveUpdate.objects.get()
    assert update.posted_by == officer
    assert update.meeting_id == meeting.pk
    assert sent == [update]
    assert update.get_absolute_url() == f"{meeting.url}#update-{update.pk}"


@pytest.mark.parametrize("role", ["resident", "coach", "committee_member"])
def test_live_updates_are_refused_for_residents_and_other_roles(as_role, meeting, role):
    client, _ = as_role(role)
    assert "Post a live update" not in client.get(meeting.url).content.decode()
    assert _post(client, meeting, "I am not an officer").status_code == 403
    assert LiveUpdate.objects.count() == 0


def test_anonymous_people_are_sent_to_sign_in(client, meeting):
    response = _post(client, meeting, "Hello")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert LiveUpdate.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Enter the update"), ("x" * 501, "The update must be 500 characters or fewer")],
)
def test_bad_updates_show_errors_and_store_nothing(client, officer, meeting, text, message):
    client.force_login(officer)
    response = _post(client, meeting, text)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert LiveUpdate.objects.count() == 0


def test_updates_are_shown_newest_first_and_escaped(client, officer, meeting):
    now = timezone.now()
    LiveUpdate.objects.create(meeting=meeting, text="First", posted_by=officer, posted_at=now)
    LiveUpdate.objects.create(
        meeting=meeting,
        text="Second <script>alert(1)</script>",
        posted_by=officer,
        posted_at=now + timedelta(minutes=5),
    )
    html = client.get(meeting.url).content.decode()
    assert html.index("Second") < html.index("First")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_json_endpoint_gives_updates_after_an_id(client, officer, meeting):
    first = LiveUpdate.objects.create(meeting=meeting, text="First", posted_by=officer)
    second = LiveUpdate.objects.create(
        meeting=meeting,
        text="Second & <b>bold</b>",
        posted_by=officer,
        posted_at=timezone.now() + timedelta(minutes=1),
    )
    data = client.get(meeting.url + "updates/latest/").json()
    assert [u["id"] for u in data["updates"]] == [second.pk, first.pk]
    assert data["live"] is True
    data = client.get(meeting.url + f"updates/latest/?after={first.pk}").json()
    assert [u["id"] for u in data["updates"]] == [second.pk]
    assert "<b>" not in data["updates"][0]["html"]
    assert "&amp;" in data["updates"][0]["html"]
    assert set(data["updates"][0]) == {"id", "html", "posted_at", "time", "anchor"}
    assert "posted_by" not in str(data)  # no officer's account details in the public feed


def test_past_meeting_does_not_poll(client, meeting_index):
    past = make_meeting(
        meeting_index,
        slug="past",
        starts_at=timezone.now() - timedelta(days=10),
        ends_at=timezone.now() - timedelta(days=10) + timedelta(hours=2),
    )
    html = client.get(past.url).content.decode()
    assert 'data-parley-module="live-updates"' not in html
    assert "No live updates were posted from this meeting." in html


def test_consultation_links_to_the_decision_that_concludes_it(
    client, consultation_index, meeting_index
):
    now = timezone.now()
    page = make_consultation(
        consultation_index,
        slug="decided",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=20),
        we_asked="<p>We asked which hours suit you.</p>",
        you_said="<p>You said evenings.</p>",
        we_did="<p>We open until 7pm.</p>",
        decision="Cabinet agreed evening opening.",
    )
    meeting = make_meeting(
        meeting_index,
        slug="cabinet-decided",
        starts_at=now - timedelta(days=5),
        ends_at=now - timedelta(days=5) + timedelta(hours=2),
        decisions=[
            MeetingDecision(
                title="Library opening hours", text="Agreed evening opening.", consultation=page
            )
        ],
    )
    decision = meeting.decisions.get()
    page.decision_meeting = meeting
    page.save_revision().publish()

    html = client.get(page.url).content.decode()
    assert f'href="{meeting.url}#{decision.anchor}"' in html
    for heading in ("We asked", "You said", "We did", "The decision"):
        assert heading in html
    meeting_html = client.get(meeting.url).content.decode()
    assert f'id="{decision.anchor}"' in meeting_html
    assert f'href="{page.url}"' in meeting_html


def test_officers_can_also_post_updates_in_the_admin(
    client, officer, meeting, django_capture_on_commit_callbacks
):
    sent = []

    def receiver(sender, update, **kwargs):
        sent.append(update)

    signals.live_update_posted.connect(receiver)
    try:
        client.force_login(officer)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/admin/snippets/consultations/liveupdate/add/",
                {"meeting": meeting.pk, "text": "Item 2: declarations of interest, none."},
            )
    finally:
        signals.live_update_posted.disconnect(receiver)
    assert response.status_code == 302
    update = LiveUpdate.objects.get()
    assert update.posted_by == officer
    assert sent == [update]


def test_the_live_update_form_links_the_house_rules(client, officer, meeting, home_page):
    from wagtail.models import Site

    from portal.models import SiteSettings, StandardPage

    rules = StandardPage(title="House rules", slug="house-rules")
    home_page.add_child(instance=rules)
    rules.save_revision().publish()
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.house_rules_page = rules
    site_settings.save()
    client.force_login(officer)
    html = client.get(meeting.url).content.decode()
    form = html.split('class="parley-live__form"')[1].split("</form>")[0]
    assert "By posting an update you agree to follow our" in form
    assert f'<a class="govuk-link" href="{rules.url}">house rules</a>' in form
