"""Page query counts stay the same however many responses, questions or updates there are."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import ConsultationFollow, ConsultationResponse, LiveUpdate
from tests.factories import UserFactory

from .factories import QUESTIONS, make_consultation

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_responses(page, n):
    start = ConsultationResponse.objects.count()
    ConsultationResponse.objects.bulk_create(
        ConsultationResponse(
            page=page,
            reference=f"X-{page.pk}-{start + i}",
            answers={},
            consent_publish=True,
            consent_contact=False,
        )
        for i in range(n)
    )


def test_index_page_query_count_is_bounded(
    client, consultation_index, django_assert_max_num_queries
):
    now = timezone.now()
    for i in range(3):
        page = make_consultation(consultation_index, slug=f"c{i}", tags=["Libraries", "Budget"])
        _add_responses(page, 3)
    client.get(consultation_index.url)
    few = _count(client, consultation_index.url + "?phase=open&topic=libraries&q=library")
    for i in range(3, 15):
        page = make_consultation(
            consultation_index,
            slug=f"c{i}",
            tags=["Libraries", f"Topic {i}"],
            opens_at=now - timedelta(days=30),
            closes_at=now - timedelta(days=i),
        )
        _add_responses(page, 20)
    many = _count(client, consultation_index.url + "?phase=open&topic=libraries&q=library")
    assert many == few
    with django_assert_max_num_queries(14):
        response = client.get(consultation_index.url)
    assert response.content.decode().count('class="parley-card"') == 10  # one page of results


def test_consultation_page_query_count_is_bounded(
    client, consultation, resident, django_assert_max_num_queries
):
    client.force_login(resident)
    ConsultationFollow.objects.create(page=consultation, user=resident)
    client.get(consultation.url)
    few = _count(client, consultation.url)
    _add_responses(consultation, 300)
    for _ in range(20):
        ConsultationFollow.objects.create(page=consultation, user=UserFactory())
    consultation.questions = QUESTIONS * 8
    consultation.save_revision().publish()
    client.get(consultation.url)  # publishing clears cached page lookups; warm them again
    many = _count(client, consultation.url)
    assert many == few
    # 22: includes social's "Discussed on X" lookup (parley_object_extras) and the one query
    # for the questions asked about the consultation.
    with django_assert_max_num_queries(22):
        client.get(consultation.url)


def test_response_form_query_count_does_not_grow_with_questions(client, consultation):
    url = consultation.url + "respond/"
    client.get(url)
    few = _count(client, url)
    consultation.questions = [{**q, "id": f"{q['id']}-{i}"} for i in range(10) for q in QUESTIONS]
    consultation.save_revision().publish()
    _add_responses(consultation, 100)
    assert _count(client, url) == few


def test_meeting_page_query_count_is_bounded(
    client, meeting, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    LiveUpdate.objects.create(meeting=meeting, text="Started", posted_by=officer)
    client.get(meeting.url)
    few = _count(client, meeting.url)
    LiveUpdate.objects.bulk_create(
        LiveUpdate(meeting=meeting, text=f"Update {i}", posted_by=officer) for i in range(200)
    )
    many = _count(client, meeting.url)
    assert many == few
    # most of these are Wagtail's own (routing, breadcrumbs, the staff user bar)
    with django_assert_max_num_queries(24):
        html = client.get(meeting.url).content.decode()
    assert "Showing the latest 50 of 201 updates." in html
    assert _count(client, meeting.url + "updates/latest/") <= 10


def test_admin_responses_list_query_count_is_bounded(client, officer, consultation):
    client.force_login(officer)
    _add_responses(consultation, 5)
    url = f"/admin/consultations/{consultation.pk}/responses/"
    client.get(url)
    few = _count(client, url)
    _add_responses(consultation, 200)
    assert _count(client, url) == few
