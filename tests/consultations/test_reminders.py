"""Followers are emailed when a consultation opens, is closing and decides: once each."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from consultations import services, signals
from consultations.models import ConsultationFollow, ConsultationMilestone
from portal.models import Notification
from portal.scheduling import periodic_jobs

from .factories import make_consultation

pytestmark = pytest.mark.django_db

OPENS = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CLOSES = datetime(2026, 4, 13, 23, 59, tzinfo=UTC)


@pytest.fixture
def received():
    got = []

    def receiver(signal_name):
        def handler(sender, **kwargs):
            got.append((signal_name, kwargs.get("page") or kwargs.get("update")))

        return handler

    handlers = {
        "opened": receiver("opened"),
        "closing_soon": receiver("closing_soon"),
        "outcome": receiver("outcome"),
    }
    signals.consultation_opened.connect(handlers["opened"])
    signals.consultation_closing_soon.connect(handlers["closing_soon"])
    signals.consultation_outcome_published.connect(handlers["outcome"])
    yield got
    signals.consultation_opened.disconnect(handlers["opened"])
    signals.consultation_closing_soon.disconnect(handlers["closing_soon"])
    signals.consultation_outcome_published.disconnect(handlers["outcome"])


def _sweep(at, capture):
    with time_machine.travel(at, tick=False), capture(execute=True):
        return services.announce_due_milestones()


def test_each_reminder_is_sent_once(
    consultation_index, resident, other_resident, received, django_capture_on_commit_callbacks
):
    with time_machine.travel(OPENS - timedelta(days=5), tick=False):
        page = make_consultation(consultation_index, opens_at=OPENS, closes_at=CLOSES)
    for user in (resident, other_resident):
        ConsultationFollow.objects.create(page=page, user=user)
    capture = django_capture_on_commit_callbacks

    assert _sweep(OPENS - timedelta(seconds=1), capture) == 0
    assert mail.outbox == []

    assert _sweep(OPENS + timedelta(minutes=5), capture) == 1
    assert _sweep(OPENS + timedelta(minutes=15), capture) == 0
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {resident.email, other_resident.email}
    assert mail.outbox[0].subject == f"Consultation now open: {page.title}"

    assert _sweep(CLOSES - timedelta(days=3, minutes=1), capture) == 0
    assert _sweep(CLOSES - timedelta(days=2), capture) == 1
    assert _sweep(CLOSES - timedelta(days=1), capture) == 0
    assert len(mail.outbox) == 4
    assert mail.outbox[-1].subject.startswith("Closing on")

    # closed, but no outcome yet: nothing to say
    assert _sweep(CLOSES + timedelta(days=1), capture) == 0

    with time_machine.travel(CLOSES + timedelta(days=20), tick=False):
        page.we_asked = "<p>We asked about opening hours.</p>"
        page.you_said = "<p>You said keep Saturdays.</p>"
        page.we_did = "<p>We kept Saturdays.</p>"
        page.decision = "Cabinet kept Saturday opening hours."
        page.save_revision().publish()
    assert _sweep(CLOSES + timedelta(days=20, minutes=10), capture) == 1
    assert _sweep(CLOSES + timedelta(days=30), capture) == 0
    assert len(mail.outbox) == 6
    assert mail.outbox[-1].subject == f"Decision published: {page.title}"
    assert "Cabinet kept Saturday opening hours." in mail.outbox[-1].body

    assert ConsultationMilestone.objects.filter(page=page).count() == 3
    assert Notification.objects.filter(user=resident).count() == 3
    assert [name for name, _ in received] == ["opened", "closing_soon", "outcome"]
    assert all(p.pk == page.pk for _, p in received)


def test_unpublished_consultations_are_not_announced(consultation_index, resident):
    page = make_consultation(consultation_index, publish=False, opens_at=OPENS, closes_at=CLOSES)
    assert not page.live
    with time_machine.travel(OPENS + timedelta(hours=1), tick=False):
        assert services.announce_due_milestones() == 0


def test_followers_who_chose_a_digest_get_it_in_their_digest(
    consultation_index, resident, django_capture_on_commit_callbacks
):
    resident.email_frequency = "daily"
    resident.save()
    with time_machine.travel(OPENS - timedelta(days=1), tick=False):
        page = make_consultation(consultation_index, opens_at=OPENS, closes_at=CLOSES)
    ConsultationFollow.objects.create(page=page, user=resident)
    _sweep(OPENS + timedelta(minutes=1), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Notification.objects.get(user=resident).deliver_in_digest


def test_the_sweep_is_a_periodic_job():
    names = {job.name for job in periodic_jobs()}
    assert {
        "consultations.announce_milestones",
        "consultations.retry_receipts",
        "consultations.publish_scheduled_pages",
    } <= names


def test_following_from_the_page(client, consultation, resident):
    assert "Sign in to follow" in client.get(consultation.url).content.decode()
    client.force_login(resident)
    response = client.post(consultation.url + "follow/", {"action": "follow"})
    assert response.status_code == 302
    assert ConsultationFollow.objects.filter(page=consultation, user=resident).count() == 1
    client.post(consultation.url + "follow/", {"action": "follow"})
    assert ConsultationFollow.objects.filter(page=consultation, user=resident).count() == 1
    assert "Stop following" in client.get(consultation.url).content.decode()
    client.post(consultation.url + "follow/", {"action": "unfollow"})
    assert not ConsultationFollow.objects.filter(page=consultation, user=resident).exists()


def test_anonymous_follow_goes_to_sign_in(client, consultation):
    response = client.post(consultation.url + "follow/", {"action": "follow"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert ConsultationFollow.objects.count() == 0
