"""Consultation responses as evidence: consent travels with them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations.models import ConsultationResponse
from scrutiny import services
from scrutiny.models import Consent, Evidence, SourceKind
from tests.consultations.factories import make_consultation
from tests.consultations.factories import make_index as make_consultation_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(home_page):
    return make_consultation(make_consultation_index(home_page))


def _response(consultation, *, consent, user=None, comment="Open later on Thursdays please."):
    r = ConsultationResponse.objects.create(
        page=consultation,
        user=user,
        answers={
            "q-option": {
                "question": "Which option do you prefer?",
                "kind": "single_choice",
                "position": 1,
                "answer": "Option A: later weekday opening",
            },
            "q-comments": {
                "question": "Is there anything else you want to tell us?",
                "kind": "long_text",
                "position": 2,
                "answer": comment,
            },
        },
        consent_publish=consent,
        consent_contact=False,
        name="" if user else "Marta",
    )
    r.reference = f"HBC-CR-2026-{r.pk:06d}"
    r.save(update_fields=["reference"])
    return r


def test_promoting_a_response_snapshots_question_wording_and_consent(
    consultation, officer, inquiry, resident
):
    response = _response(consultation, consent=True, user=resident)
    result = services.evidence_promote(source=response, inquiry=inquiry, by=officer)
    e = result.evidence
    assert result.created
    assert e.source_kind == SourceKind.CONSULTATION_RESPONSE
    assert e.text == (
        "Which option do you prefer?\nOption A: later weekday opening\n\n"
        "Is there anything else you want to tell us?\nOpen later on Thursdays please."
    )
    assert e.consent == Consent.PUBLIC
    assert e.author_user == resident and e.author_name == resident.public_name
    assert e.title.startswith(f"Response {response.reference}")
    assert e.source_url.endswith(f"/responses/{response.reference}/")
    again = services.evidence_promote(source=response, inquiry=inquiry, by=officer)
    assert not again.created and again.evidence.pk == e.pk
    assert Evidence.objects.count() == 1


def test_a_response_without_consent_can_never_become_public_evidence(
    consultation, officer, inquiry, client
):
    response = _response(consultation, consent=False, comment="My neighbour at no. 4 is unwell.")
    e = services.evidence_promote(source=response, inquiry=inquiry, by=officer).evidence
    assert e.consent == Consent.COMMITTEE_ONLY
    with pytest.raises(ValidationError):
        services.evidence_set_public(evidences=[e], public=True, by=officer)
    client.force_login(officer)
    r = client.post(reverse("scrutiny:triage"), {"ids": [e.pk], "action": "public"})
    assert r.status_code == 400
    e.refresh_from_db()
    assert not e.is_public
    client.logout()
    for url in (inquiry.url, inquiry.url + "evidence/"):
        assert "no. 4" not in client.get(url).content.decode()


def test_editing_the_answers_later_flags_the_evidence_not_the_snapshot(
    consultation, officer, inquiry, django_capture_on_commit_callbacks
):
    response = _response(consultation, consent=True)
    e = services.evidence_promote(source=response, inquiry=inquiry, by=officer).evidence
    with django_capture_on_commit_callbacks(execute=True):
        response.answers["q-comments"]["answer"] = "Changed my mind."
        response.save()
    e.refresh_from_db()
    assert e.source_state == "edited" and "Thursdays" in e.text and e.verify()
    with django_capture_on_commit_callbacks(execute=True):
        response.delete()
    e.refresh_from_db()
    assert e.source_state == "removed" and e.verify()


def test_admin_response_list_offers_promotion_and_shows_use(
    consultation, officer, inquiry, client, django_assert_max_num_queries
):
    responses = [_response(consultation, consent=i % 2 == 0) for i in range(30)]
    services.evidence_promote(source=responses[0], inquiry=inquiry, by=officer)
    client.force_login(officer)
    url = reverse("consultations_admin:responses", args=[consultation.pk])
    html = client.get(url).content.decode()
    assert "Promote selected to evidence" in html
    assert "Promote to evidence" in html
    assert f"Used as evidence in {inquiry.title}" in html
    client.get(url)
    with django_assert_max_num_queries(60):
        client.get(url)


def test_bulk_promotion_from_the_response_list(consultation, officer, inquiry, client):
    responses = [_response(consultation, consent=True) for _ in range(5)]
    client.force_login(officer)
    ids = [r.pk for r in responses]
    url = reverse("scrutiny:promote_bulk") + "?model=consultations.ConsultationResponse"
    html = client.post(url, {"ids": ids, "next": "/admin/"}).content.decode()
    assert "Promote 5 items to evidence" in html
    r = client.post(url, {"ids": ids, "next": "/admin/", "confirm": "1", "inquiry": inquiry.pk})
    assert r.status_code == 302
    assert Evidence.objects.filter(source_kind=SourceKind.CONSULTATION_RESPONSE).count() == 5
    client.post(url, {"ids": ids, "confirm": "1", "inquiry": inquiry.pk})
    assert Evidence.objects.count() == 5


def test_consultation_page_names_the_inquiries_it_feeds(consultation, inquiry, client):
    from scrutiny.models import InquiryLinkedPage

    InquiryLinkedPage.objects.create(inquiry=inquiry, page=consultation)
    html = client.get(consultation.url).content.decode()
    assert "Scrutiny inquiries" in html and inquiry.title in html
    assert consultation.title in client.get(inquiry.url).content.decode()
