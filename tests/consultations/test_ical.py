"""iCalendar downloads are valid RFC 5545."""

import re
from datetime import UTC, datetime

import pytest

from consultations import ical

from .factories import make_consultation, make_meeting

pytestmark = pytest.mark.django_db


def assert_valid_icalendar(body: bytes) -> list[dict]:
    """Check the rules calendar clients rely on; return each VEVENT's unfolded properties."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends with CRLF
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75, line
    unfolded = re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in unfolded
    assert any(line.startswith("PRODID:") for line in unfolded)
    stack, events, current = [], [], None
    for line in unfolded:
        name, _, value = line.partition(":")
        assert re.fullmatch(r"[A-Z-]+(;[^:]*)?", name), line
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                events.append(current)
                current = None
        elif current is not None and stack[-1] == "VEVENT":
            current[name] = value
    assert stack == []
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event
        for key in ("DTSTAMP", "DTSTART", "DTEND"):
            assert re.fullmatch(r"\d{8}T\d{6}Z", event[key])
        assert event["DTEND"] > event["DTSTART"]
        for key in ("SUMMARY", "DESCRIPTION", "LOCATION"):
            if key in event:
                # unescaped commas, semicolons and newlines are not allowed in TEXT
                assert not re.search(r"(?<!\\)[,;]", event[key]), event[key]
    return events


def test_text_escaping_and_folding():
    assert ical.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 80
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_consultation_closing_date_calendar(client, consultation_index):
    page = make_consultation(
        consultation_index,
        title="Parking, permits; and visitors",
        summary="Tell us about parking, permits and visitor bays; we read everything.",
        closes_at=datetime(2030, 4, 13, 22, 59, tzinfo=UTC),
        opens_at=datetime(2020, 1, 1, tzinfo=UTC),
    )
    response = client.get(page.url + "calendar/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.ics"')
    [event] = assert_valid_icalendar(response.content)
    assert event["DTEND"] == "20300413T225900Z"
    assert event["SUMMARY"] == "Consultation closes: Parking\\, permits\\; and visitors"
    assert event["UID"].startswith(f"consultation-{page.pk}-closes@")
    assert "BEGIN:VALARM" in response.content.decode()


def test_meeting_calendar(client, meeting_index):
    meeting = make_meeting(
        meeting_index,
        starts_at=datetime(2030, 3, 12, 18, 30, tzinfo=UTC),
        ends_at=datetime(2030, 3, 12, 20, 30, tzinfo=UTC),
        venue="Council Chamber, Civic Centre",
        venue_address="Market Square\nHarrowfield\nHF1 2CC",
        summary="Cabinet will consider the budget, the parking review and the library report.",
        webcast_url="https://harrowfield.example/webcasts/cabinet",
    )
    response = client.get(meeting.url + "calendar/")
    [event] = assert_valid_icalendar(response.content)
    assert event["DTSTART"] == "20300312T183000Z"
    assert event["DTEND"] == "20300312T203000Z"
    assert event["LOCATION"] == (
        "Council Chamber\\, Civic Centre\\, Market Square Harrowfield HF1 2CC"
    )
    assert "\\n" in event["DESCRIPTION"]
