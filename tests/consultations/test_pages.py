from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail import hooks

from consultations.models import (
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationResponse,
    LiveUpdate,
    MeetingPage,
    Phase,
)

from .factories import make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(consultation_index):
    now = timezone.now()
    day = timedelta(days=1)
    return {
        "open": make_consultation(
            consultation_index, slug="parking", title="Residents' parking zone", tags=["Parking"]
        ),
        "upcoming": make_consultation(
            consultation_index,
            slug="cycle-lane",
            title="Station Road cycle lane",
            opens_at=now + 5 * day,
            closes_at=now + 40 * day,
            tags=["Transport"],
        ),
        "closed": make_consultation(
            consultation_index,
            slug="care-home",
            title="Elmhurst House care home",
            opens_at=now - 60 * day,
            closes_at=now - 5 * day,
        ),
        "decided": make_consultation(
            consultation_index,
            slug="libraries",
            title="Library opening hours",
            opens_at=now - 90 * day,
            closes_at=now - 30 * day,
            we_asked="<p>We asked.</p>",
            you_said="<p>You said.</p>",
            we_did="<p>We did.</p>",
            decision="Cabinet agreed new hours.",
            tags=["Libraries"],
        ),
    }


def _titles(client, index, query=""):
    html = client.get(index.url + query).content.decode()
    return [
        t
        for t in (
            "Residents&#x27; parking zone",
            "Station Road cycle lane",
            "Elmhurst House care home",
            "Library opening hours",
        )
        if f">{t}</a>" in html
    ]


def test_index_filters_by_phase_topic_and_words_without_javascript(
    client, consultation_index, spread
):
    assert _titles(client, consultation_index) == [
        "Residents&#x27; parking zone",
        "Station Road cycle lane",
        "Elmhurst House care home",
        "Library opening hours",
    ]
    assert _titles(client, consultation_index, "?phase=open") == ["Residents&#x27; parking zone"]
    assert _titles(client, consultation_index, "?phase=upcoming") == ["Station Road cycle lane"]
    assert _titles(client, consultation_index, "?phase=closed") == ["Elmhurst House care home"]
    assert _titles(client, consultation_index, "?phase=decided") == ["Library opening hours"]
    assert _titles(client, consultation_index, "?phase=open&phase=decided") == [
        "Residents&#x27; parking zone",
        "Library opening hours",
    ]
    assert _titles(client, consultation_index, "?topic=transport") == ["Station Road cycle lane"]
    assert _titles(client, consultation_index, "?q=care+home") == ["Elmhurst House care home"]
    assert _titles(client, consultation_index, "?q=Parking") == ["Residents&#x27; parking zone"]
    html = client.get(consultation_index.url + "?phase=open&q=zone").content.decode()
    assert "(remove this filter)" in html
    assert "Clear all filters" in html
    assert (
        "No consultations match" in client.get(consultation_index.url + "?q=zzz").content.decode()
    )
    # nonsense in the query string is ignored rather than an error
    assert client.get(consultation_index.url + "?phase=bogus&page=99").status_code == 200


def test_each_phase_shows_the_right_call_to_action(client, spread):
    open_html = client.get(spread["open"].url).content.decode()
    assert "Respond to this consultation" in open_html
    assert "Add the closing date to your calendar" in open_html
    assert 'aria-current="step"' in open_html
    upcoming_html = client.get(spread["upcoming"].url).content.decode()
    assert "This consultation opens" in upcoming_html
    assert "Respond to this consultation" not in upcoming_html
    closed_html = client.get(spread["closed"].url).content.decode()
    assert "We are reading every response" in closed_html
    decided_html = client.get(spread["decided"].url).content.decode()
    assert "Cabinet agreed new hours." in decided_html
    assert 'id="we-asked"' in decided_html and 'id="we-did"' in decided_html
    assert "Respond to this consultation" not in decided_html


def test_extras_hook_is_rendered_on_consultation_and_meeting_pages(client, consultation, meeting):
    def extra(request, obj, place):
        if place == "page":
            return f'<p class="extra">Discussed on X: {obj.pk}</p>'
        return None

    with hooks.register_temporarily("parley_object_extras", extra):
        assert f"Discussed on X: {consultation.pk}" in client.get(consultation.url).content.decode()
        assert f"Discussed on X: {meeting.pk}" in client.get(meeting.url).content.decode()


def test_home_page_lists_open_consultations(client, home_page, spread):
    html = client.get("/").content.decode()
    assert "Open consultations" in html
    assert "Residents&#x27; parking zone" in html
    assert "Station Road cycle lane" not in html
    assert "Library opening hours" not in html


def test_pages_are_searchable():
    consultation_fields = {f.field_name for f in ConsultationPage.search_fields}
    assert {"title", "summary", "body", "decision", "we_did"} <= consultation_fields
    meeting_fields = {f.field_name for f in MeetingPage.search_fields}
    assert {"title", "committee", "agenda"} <= meeting_fields


def test_page_tree_rules():
    assert ConsultationIndexPage.subpage_types == ["consultations.ConsultationPage"]
    assert ConsultationPage.parent_page_types == ["consultations.ConsultationIndexPage"]
    assert MeetingPage.parent_page_types == ["consultations.MeetingIndexPage"]


def test_demo_has_every_phase_responses_an_outcome_and_live_updates(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    pages = list(ConsultationPage.objects.live())
    assert len(pages) >= 6
    phases = {p.phase for p in pages}
    assert phases == {Phase.UPCOMING, Phase.OPEN, Phase.CLOSED, Phase.DECIDED}
    decided = [p for p in pages if p.phase == Phase.DECIDED]
    assert any(p.we_asked and p.you_said and p.we_did and p.decision_meeting for p in decided)
    consents = set(ConsultationResponse.objects.values_list("consent_publish", "consent_contact"))
    assert len(consents) == 4
    assert MeetingPage.objects.count() == 3
    assert LiveUpdate.objects.count() >= 5
    for page in [*pages, *MeetingPage.objects.all()]:
        assert client.get(page.url).status_code == 200


@pytest.mark.parametrize(
    ("today", "offset", "expected"),
    [
        ("2026-12-19", 5, "2026-12-28"),  # Christmas Eve moves on past the holidays
        ("2026-12-19", 1, "2026-12-21"),  # a Sunday moves on to the Monday
        ("2026-12-19", -1, "2026-12-18"),  # a past Saturday moves back to the Friday
        ("2026-12-28", -3, "2026-12-23"),  # Boxing Day, in the past, moves back before it
        ("2026-12-19", 3, "2026-12-22"),  # a working day stays put
    ],
)
def test_demo_dates_fall_on_working_days_and_never_cross_today(today, offset, expected):
    import time_machine

    from consultations.demo import _at, _working_day

    with time_machine.travel(f"{today} 12:00", tick=False):
        assert _working_day(offset).isoformat() == expected
        assert _at(offset, 18, 30).date().isoformat() == expected
        # Closing times are left where they are: online consultations close on any day.
        unmoved = _at(offset, 23, 59, working=False).date()
        assert (unmoved - timezone.localdate()).days == offset
