from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal import notifications
from portal.models import Notification, User

pytestmark = pytest.mark.django_db


def _notify(user, subject="New answer"):
    return notifications.notify(
        user=user, kind="test", subject=subject, body="Someone answered.", url="/questions/1/"
    )


def test_immediate_notification_is_emailed_by_the_worker_after_commit(
    resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        n = _notify(resident)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resident.email]
    assert "http://testserver/questions/1/" in mail.outbox[0].body
    n.refresh_from_db()
    assert n.sent_at is not None


def test_daily_digest_gathers_notifications_into_one_email(
    resident, django_capture_on_commit_callbacks
):
    resident.email_frequency = User.EmailFrequency.DAILY
    resident.save()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(resident, "First")
        _notify(resident, "Second")
    assert mail.outbox == []

    assert notifications.send_daily_digests() == 2
    assert len(mail.outbox) == 1
    assert "First" in mail.outbox[0].body and "Second" in mail.outbox[0].body
    assert notifications.send_daily_digests() == 0


def test_people_who_opted_out_get_nothing(resident):
    resident.email_frequency = User.EmailFrequency.NEVER
    resident.save()
    assert _notify(resident) is None
    assert not Notification.objects.exists()


def test_a_failed_send_is_kept_and_retried_later(
    resident, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.portal.broken_email.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        n = _notify(resident)
    n.refresh_from_db()
    assert n.sent_at is None and n.attempts == 1 and "SMTP down" in n.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.retry_due_notifications() == 0  # backoff not yet passed
    Notification.objects.filter(pk=n.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert notifications.retry_due_notifications() == 1
    n.refresh_from_db()
    assert n.sent_at is not None and n.last_error == ""
    assert len(mail.outbox) == 1
