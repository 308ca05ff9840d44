from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from consultations import services
from consultations.models import ConsultationFollow, ConsultationResponse
from portal.forms import form_token

from .factories import make_consultation

pytestmark = pytest.mark.django_db


def _valid(**overrides):
    data = {
        "q_q-option": "Option A: later weekday opening",
        "q_q-agree": "Agree",
        "q_q-uses": ["Borrowing books", "Study space"],
        "q_q-postcode": "HF4",
        "q_q-comments": "Please keep the children's story time on Saturdays.",
        "consent_publish": "yes",
        "consent_contact": "no",
        "name": "",
        "email": "",
        "form_started": form_token(),
        "website": "",
    }
    data.update(overrides)
    return data


def _respond_url(page):
    return page.url + "respond/"


def test_form_shows_every_question_and_the_consent_questions(client, consultation):
    html = client.get(_respond_url(consultation)).content.decode()
    for text in (
        "Which option do you prefer?",
        "Do you agree with the proposed Saturday hours?",
        "Strongly disagree",
        "Don&#x27;t know",
        "What do you use the library for?",
        "May we publish or quote your response?",
        "May we contact you about your response?",
        "house rules",
    ):
        assert text in html
    assert "<textarea" in html  # the long text question renders as a real textarea


@pytest.mark.parametrize(
    ("opens", "closes", "heading"),
    [
        (timedelta(days=2), timedelta(days=20), "This consultation is not open yet"),
        (timedelta(days=-20), timedelta(days=-2), "This consultation has closed"),
    ],
)
def test_form_is_open_only_while_the_consultation_is(
    client, consultation_index, opens, closes, heading
):
    now = timezone.now()
    page = make_consultation(consultation_index, opens_at=now + opens, closes_at=now + closes)

    get = client.get(_respond_url(page))
    assert heading in get.content.decode()
    assert 'name="consent_publish"' not in get.content.decode()

    post = client.post(_respond_url(page), _valid())
    assert post.status_code == 403
    assert heading in post.content.decode()
    assert ConsultationResponse.objects.count() == 0


def test_response_is_stored_with_consent_and_a_receipt(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _respond_url(consultation),
            _valid(consent_contact="yes", email="Amira@Example.com", name="Amira"),
        )
    assert response.status_code == 302

    stored = ConsultationResponse.objects.get()
    assert stored.consent_publish is True
    assert stored.consent_contact is True
    assert stored.email == "amira@example.com"
    assert stored.name == "Amira"
    assert stored.reference == f"RBC-CR-{timezone.now().year}-{stored.pk:06d}"
    assert stored.answers["q-option"] == {
        "question": "Which option do you prefer?",
        "kind": "single_choice",
        "position": 1,
        "answer": "Option A: later weekday opening",
    }
    assert stored.answers["q-uses"]["answer"] == ["Borrowing books", "Study space"]

    # the on-screen receipt
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert "Response received" in html
    assert stored.reference in html
    assert "story time on Saturdays." in html

    # the emailed receipt, sent once by the worker
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amira@example.com"]
    assert stored.reference in mail.outbox[0].subject
    assert stored.reference in mail.outbox[0].body
    stored.refresh_from_db()
    assert stored.receipt_sent_at is not None
    assert services.retry_unsent_receipts() == 0
    assert len(mail.outbox) == 1


def test_without_an_email_address_there_is_no_email_but_still_a_receipt(client, consultation):
    response = client.post(_respond_url(consultation), _valid())
    assert response.status_code == 302
    assert "Response received" in client.get(response["Location"]).content.decode()
    assert mail.outbox == []


def test_signed_in_respondent_is_linked_and_follows(client, consultation, resident):
    client.force_login(resident)
    assert f'value="{resident.email}"' in client.get(_respond_url(consultation)).content.decode()
    client.post(_respond_url(consultation), _valid(consent_publish="no"))
    stored = ConsultationResponse.objects.get()
    assert stored.user == resident
    assert stored.consent_publish is False
    assert ConsultationFollow.objects.filter(user=resident, page=consultation).exists()


def test_receipt_is_not_shown_to_another_browser(client, consultation):
    response = client.post(_respond_url(consultation), _valid())
    receipt_url = response["Location"]
    client.cookies.clear()
    assert client.get(receipt_url).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"q_q-option": ""}, "Select an answer to &#x27;Which option do you prefer?&#x27;"),
        ({"q_q-agree": ""}, "Select an answer to &#x27;Do you agree"),
        ({"q_q-option": "Option C: close them all"}, "Select one of the answers offered"),
        ({"q_q-uses": ["Borrowing books", "Skateboarding"]}, "Select one of the answers offered"),
        ({"q_q-agree": "Maybe"}, "Select one of the answers offered"),
        ({"q_q-postcode": "HF4 1AA extra"}, "must be 10 characters or fewer"),
        ({"q_q-comments": "x" * 501}, "must be 500 characters or fewer"),
        (
            {"q_q-comments": "Great idea <script>alert(1)</script>"},
            "must not contain code or HTML tags",
        ),
        ({"q_q-postcode": "<b>HF4</b>"}, "must not contain code or HTML tags"),
        ({"consent_publish": ""}, "Select yes if we may publish or quote your response"),
        ({"consent_contact": "maybe"}, "Select a valid choice"),
        ({"consent_contact": "yes"}, "Enter your email address so that we can contact you"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
    ],
)
def test_bad_input_gives_a_clear_error_and_stores_nothing(client, consultation, overrides, message):
    response = client.post(_respond_url(consultation), _valid(**overrides))

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "govuk-error-message" in html
    assert "<script>alert(1)</script>" not in html
    assert ConsultationResponse.objects.count() == 0
    assert mail.outbox == []


def test_honeypot_refuses_bots(client, consultation):
    response = client.post(_respond_url(consultation), _valid(website="http://spam.example"))
    assert response.status_code == 200
    assert ConsultationResponse.objects.count() == 0


def test_service_refuses_a_closed_consultation_and_bad_answers(consultation_index):
    now = timezone.now()
    closed = make_consultation(
        consultation_index,
        slug="closed",
        opens_at=now - timedelta(days=20),
        closes_at=now - timedelta(days=1),
    )
    with pytest.raises(services.ConsultationNotOpen):
        services.response_submit(
            page=closed, answers={}, consent_publish=True, consent_contact=False
        )
    open_page = make_consultation(consultation_index, slug="open")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.response_submit(
            page=open_page,
            answers={"q-option": "Not offered", "q-agree": "Agree"},
            consent_publish=True,
            consent_contact=False,
        )
    assert ConsultationResponse.objects.count() == 0


def test_a_failed_receipt_is_retried_once_the_mail_server_is_back(
    settings, consultation, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.portal.broken_email.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = services.response_submit(
            page=consultation,
            answers={"q-option": "Option B: close on Wednesdays", "q-agree": "Disagree"},
            consent_publish=True,
            consent_contact=True,
            email="kofi@example.com",
        )
    response.refresh_from_db()
    assert response.receipt_sent_at is None
    assert response.receipt_attempts == 1
    assert response.receipt_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.retry_unsent_receipts() == 1
    assert services.retry_unsent_receipts() == 0
    assert len(mail.outbox) == 1


def test_my_contributions_lists_the_residents_responses(client, consultation, resident):
    client.force_login(resident)
    client.post(_respond_url(consultation), _valid())
    stored = ConsultationResponse.objects.get()
    html = client.get("/account/contributions/").content.decode()
    assert "Your consultation responses" in html
    assert stored.reference in html
    assert stored.get_absolute_url() in html
    assert "Open" in html
