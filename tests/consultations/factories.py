"""Builders for consultation and meeting pages in tests."""

from datetime import timedelta

from django.utils import timezone

from consultations.models import (
    ConsultationIndexPage,
    ConsultationPage,
    MeetingIndexPage,
    MeetingPage,
)

QUESTIONS = [
    {
        "type": "single_choice",
        "id": "q-option",
        "value": {
            "question": "Which option do you prefer?",
            "hint": "",
            "required": True,
            "choices": ["Option A: later weekday opening", "Option B: close on Wednesdays"],
        },
    },
    {
        "type": "agree_scale",
        "id": "q-agree",
        "value": {
            "question": "Do you agree with the proposed Saturday hours?",
            "hint": "",
            "required": True,
            "include_dont_know": True,
        },
    },
    {
        "type": "multiple_choice",
        "id": "q-uses",
        "value": {
            "question": "What do you use the library for?",
            "hint": "Select all that apply.",
            "required": False,
            "choices": ["Borrowing books", "Computers", "Study space", "Children's activities"],
        },
    },
    {
        "type": "short_text",
        "id": "q-postcode",
        "value": {
            "question": "What is the first half of your postcode?",
            "hint": "",
            "required": False,
            "max_length": 10,
        },
    },
    {
        "type": "long_text",
        "id": "q-comments",
        "value": {
            "question": "Is there anything else you want to tell us?",
            "hint": "",
            "required": False,
            "max_length": 500,
        },
    },
]


def make_index(home_page, slug="consultations") -> ConsultationIndexPage:
    existing = ConsultationIndexPage.objects.filter(slug=slug).first()
    if existing:
        return existing
    index = ConsultationIndexPage(title="Consultations", slug=slug)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def make_consultation(index, *, slug="library-hours", publish=True, now=None, **fields):
    now = now or timezone.now()
    values = {
        "title": "Library opening hours review",
        "summary": "We want to change library opening hours to save money.",
        "decision_to_make": "Whether to change opening hours at our six libraries.",
        "decision_maker": "Cabinet",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=10),
        "questions": QUESTIONS,
    }
    values.update(fields)
    tags = values.pop("tags", [])
    page = ConsultationPage(slug=slug, live=publish, **values)
    index.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
        page.save()
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def make_meeting_index(home_page) -> MeetingIndexPage:
    existing = MeetingIndexPage.objects.first()
    if existing:
        return existing
    index = MeetingIndexPage(title="Meetings", slug="meetings")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def make_meeting(index, *, slug="cabinet-march", now=None, **fields):
    now = now or timezone.now()
    values = {
        "title": "Cabinet, 12 March 2026",
        "committee": "Cabinet",
        "starts_at": now - timedelta(minutes=30),
        "ends_at": now + timedelta(hours=2),
        "venue": "Council Chamber, Harrowfield Town Hall",
    }
    values.update(fields)
    page = MeetingPage(slug=slug, **values)
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page
