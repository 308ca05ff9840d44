from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.models import Notification
from scrutiny import services
from scrutiny.models import (
    Consent,
    Evidence,
    InquiryFollow,
    InquiryPhase,
    SourceKind,
    SourceState,
)

from .factories import make_evidence, make_inquiry

pytestmark = pytest.mark.django_db


def test_phase_is_derived_from_the_dates(inquiry_index):
    page = make_inquiry(inquiry_index, opens=date(2026, 3, 1), closes=date(2026, 3, 31))
    tz = timezone.get_current_timezone()
    from datetime import datetime

    assert page.phase_at(datetime(2026, 2, 28, 23, 59, tzinfo=tz)) == InquiryPhase.UPCOMING
    assert page.phase_at(datetime(2026, 3, 1, 0, 0, tzinfo=tz)) == InquiryPhase.OPEN
    assert page.phase_at(datetime(2026, 3, 31, 23, 59, tzinfo=tz)) == InquiryPhase.OPEN
    assert page.phase_at(datetime(2026, 4, 1, 0, 0, tzinfo=tz)) == InquiryPhase.CLOSED


def test_status_follows_phase_report_and_response(inquiry_index):
    today = date.today()
    page = make_inquiry(
        inquiry_index, opens=today + timedelta(days=3), closes=today + timedelta(days=30)
    )
    assert page.status == "Starting soon"
    page.evidence_opens = today - timedelta(days=40)
    page.evidence_closes = today - timedelta(days=10)
    assert page.status == "Committee considering evidence"
    page.report_published_on = today
    assert page.status == "Report published"
    page.response_published_on = today + timedelta(days=1)
    assert page.status == "Report published"  # response date in the future
    page.response_published_on = today
    assert page.status == "Response published"


def test_inquiry_pages_render_with_report_and_response(client, inquiry_index):
    today = date.today()
    page = make_inquiry(
        inquiry_index,
        slug="done",
        title="Access to library services",
        opens=today - timedelta(days=90),
        closes=today - timedelta(days=60),
        final_report="<p>We recommend longer opening hours.</p>",
        report_published_on=today - timedelta(days=20),
        organisation_response="<p>We accept recommendations 1 and 2.</p>",
        response_published_on=today - timedelta(days=2),
    )
    html = client.get(page.url).content.decode()
    assert "We recommend longer opening hours." in html
    assert "We accept recommendations 1 and 2." in html
    assert "Response published" in html
    index_html = client.get(inquiry_index.url).content.decode()
    assert "Access to library services" in index_html and "Reported" in index_html


def test_submitting_evidence_gives_a_receipt_reference(client, inquiry, protected):
    r = client.post(
        inquiry.url + "submit/",
        {
            "name": "Jo Bloggs",
            "organisation": "Millbrook PTA",
            "email": "jo@example.com",
            "text": "Parents double-park on Mill Lane at pick-up time every day.",
            "consent_publish": "no",
            "consent_contact": "on",
            **protected,
        },
    )
    e = Evidence.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/submit/done/{e.reference}/")
    page = client.get(r["Location"]).content.decode()
    assert e.reference in page and "Evidence received" in page
    assert e.source_kind == SourceKind.SUBMISSION
    assert e.source_state == SourceState.NONE
    assert e.consent == Consent.COMMITTEE_ONLY and not e.is_public
    assert (e.author_name, e.organisation, e.contact_email) == (
        "Jo Bloggs",
        "Millbrook PTA",
        "jo@example.com",
    )
    assert e.consent_contact and e.verify()
    assert list(e.inquiries.all()) == [inquiry]
    # someone else cannot read the receipt
    client.cookies.clear()
    assert client.get(r["Location"]).status_code == 404


def test_signed_in_residents_get_a_receipt_email(
    client, inquiry, resident, protected, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            inquiry.url + "submit/",
            {
                "name": "Priya",
                "text": "The 20mph zone is ignored outside St Anne's.",
                "consent_publish": "yes",
                **protected,
            },
        )
    e = Evidence.objects.get()
    assert e.author_user == resident and e.contact_email == resident.email
    assert e.consent == Consent.PUBLIC
    assert Notification.objects.filter(user=resident, kind="scrutiny.receipt").exists()
    assert e.reference in mail.outbox[0].subject


def test_submission_errors_are_shown_and_nothing_is_stored(client, inquiry, protected):
    r = client.post(inquiry.url + "submit/", {"name": "", "text": "short", **protected})
    html = r.content.decode()
    assert "govuk-error-summary" in html
    assert "Tell us whether we can publish your evidence" in html
    assert "at least 20 characters" in html
    assert not Evidence.objects.exists()


def test_honeypot_and_closed_calls_refuse_submissions(client, closed_inquiry, inquiry, protected):
    data = {
        "name": "Bot",
        "email": "bot@example.com",
        "text": "Buy cheap things now at our shop please.",
        "consent_publish": "yes",
    }
    r = client.post(inquiry.url + "submit/", {**data, **protected, "website": "http://spam"})
    assert r.status_code == 200 and not Evidence.objects.exists()
    r = client.post(closed_inquiry.url + "submit/", {**data, **protected})
    assert r.status_code == 403 and not Evidence.objects.exists()
    assert "closed on" in client.get(closed_inquiry.url + "submit/").content.decode()


def test_submissions_are_rate_limited(client, inquiry, protected):
    data = {
        "name": "Jo",
        "email": "jo@example.com",
        "text": "Another point about the school crossing.",
        "consent_publish": "yes",
    }
    # each a different submission (the same one sent again is stored once, see tests/trust)
    codes = [
        client.post(
            inquiry.url + "submit/", {**data, **protected, "text": f"{data['text']} ({n})"}
        ).status_code
        for n in range(11)
    ]
    assert codes[:10] == [302] * 10
    assert codes[10] == 429
    assert Evidence.objects.count() == 10


def test_follow_unfollow_and_milestone_emails(
    client, resident, inquiry_index, django_capture_on_commit_callbacks
):
    today = date.today()
    page = make_inquiry(
        inquiry_index,
        slug="later",
        opens=today + timedelta(days=2),
        closes=today + timedelta(days=20),
    )
    client.force_login(resident)
    client.post(page.url + "follow/")
    assert InquiryFollow.objects.filter(inquiry=page, user=resident).exists()
    assert "You are following this inquiry" in client.get(page.url).content.decode()

    assert services.announce_due_milestones() == 0
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert services.announce_due_milestones() == 1
        assert services.announce_due_milestones() == 0  # once only
    note = Notification.objects.get(user=resident, kind="scrutiny.opened")
    assert "The call for evidence is open" in note.subject

    page.report_published_on = today
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert Notification.objects.filter(user=resident, kind="scrutiny.report").count() == 1

    client.post(page.url + "follow/", {"follow": "no"})
    assert not InquiryFollow.objects.filter(inquiry=page, user=resident).exists()


def test_anonymous_follow_goes_to_sign_in(client, inquiry):
    r = client.post(inquiry.url + "follow/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_officers_record_oral_evidence(client, officer, inquiry):
    client.force_login(officer)
    r = client.post(
        reverse("scrutiny:oral"),
        {
            "inquiry": inquiry.pk,
            "witness": "Sgt Karen Mistry",
            "role": "Harrowfield Roads Policing Unit",
            "said_on": "2026-03-04",
            "text": "Most collisions near schools happen between 8.30 and 9.00.",
            "consent_publish": "yes",
        },
    )
    e = Evidence.objects.get()
    assert r["Location"] == e.get_absolute_url()
    assert e.source_kind == SourceKind.ORAL and e.title == "Oral evidence from Sgt Karen Mistry"
    assert e.consent == Consent.PUBLIC and list(e.inquiries.all()) == [inquiry]
    r = client.post(reverse("scrutiny:oral"), {"inquiry": inquiry.pk})
    assert r.status_code == 400 and Evidence.objects.count() == 1


def test_home_page_lists_live_inquiries(client, home_page, inquiry, closed_inquiry):
    html = client.get("/").content.decode()
    assert "Scrutiny inquiries taking evidence" in html
    assert inquiry.title in html
    assert closed_inquiry.title not in html


def test_my_contributions_shows_evidence_use(
    client, resident, officer, inquiry, fake_source, make_note
):
    note = make_note(user=resident)
    e = services.evidence_promote(source=note, inquiry=inquiry, by=officer).evidence
    services.evidence_set_status(evidences=[e], status="relevant", by=officer)
    client.force_login(resident)
    html = client.get(reverse("portal:contributions")).content.decode()
    assert "Used as evidence" in html
    assert e.reference in html and inquiry.title in html


def test_erasure_keeps_the_reference_and_redacts_the_author(resident, inquiry):
    from wagtail.models import ModelLogEntry

    from portal.privacy import account_erase, personal_data

    e = make_evidence(
        inquiry, author_user=resident, author_name="Priya Shah", contact_email="p@example.com"
    )
    tables = dict(personal_data(resident))
    assert tables["evidence"][0]["reference"] == e.reference
    account_erase(user=resident, by=resident)
    e.refresh_from_db()
    assert (e.author_name, e.contact_email, e.author_user) == ("Former resident", "", None)
    assert e.verify()
    assert (
        ModelLogEntry.objects.for_instance(e)
        .filter(action="scrutiny.evidence.author_erased")
        .exists()
    )


def test_committee_only_evidence_never_shows_in_public_lists(client, inquiry, officer):
    secret = make_evidence(
        inquiry, consent=Consent.COMMITTEE_ONLY, text="Confidential about a named child."
    )
    public = make_evidence(inquiry, text="A public point about parking.")
    services.evidence_set_public(evidences=[public], public=True, by=officer)
    for url in (inquiry.url, inquiry.url + "evidence/", inquiry.url + "evidence/?q=Confidential"):
        html = client.get(url).content.decode()
        assert secret.reference not in html and "named child" not in html


def test_admin_edits_inquiries_and_lists_themes(
    client, admin_user, officer, inquiry, inquiry_index
):
    client.force_login(admin_user)
    assert client.get(f"/admin/pages/{inquiry.pk}/edit/").status_code == 200
    add = f"/admin/pages/add/scrutiny/inquirypage/{inquiry_index.pk}/"
    assert client.get(add).status_code == 200
    assert client.get("/admin/snippets/scrutiny/evidencetheme/").status_code == 200
    client.force_login(officer)
    html = client.get("/admin/").content.decode()
    assert "Evidence triage" in html
