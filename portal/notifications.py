"""Emails to residents and staff, sent by the worker and never inside a request.

`notify` records a Notification (the outbox) and, for people who want updates as they happen,
enqueues its delivery once the transaction commits. People who chose a daily digest get one
email a day gathering everything since the last one. A failed send keeps the row with its
error and a time for the next attempt; `retry_due_notifications` picks those up.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification, User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 60
BACKOFF_CAP_SECONDS = 6 * 60 * 60


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notify(*, user: User, kind: str, subject: str, body: str, url: str = "") -> Notification | None:
    """Queue one message to `user`, respecting their email preference."""
    if not user.is_active or not user.email or user.email_frequency == User.EmailFrequency.NEVER:
        return None
    notification = Notification.objects.create(
        user=user,
        kind=kind,
        subject=subject[:200],
        body=body,
        url=absolute_url(url),
        deliver_in_digest=user.email_frequency == User.EmailFrequency.DAILY,
    )
    if not notification.deliver_in_digest:
        from . import tasks

        pk = notification.pk
        # Robust: a queue that refuses is logged; the periodic sweep sends what is unsent.
        transaction.on_commit(lambda: tasks.deliver_notification.enqueue(pk), robust=True)
    return notification


def _site_name() -> str:
    from .models import SiteSettings

    try:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        if site:
            return SiteSettings.for_site(site).organisation_name
    except Exception:  # noqa: BLE001 - a missing site must never stop an email
        logger.exception("Could not read site settings for an email")
    return "Parley"


def _send(user: User, subject: str, text: str, html: str) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


def _record_failure(notifications: list[Notification], error: Exception) -> None:
    now = timezone.now()
    for n in notifications:
        n.attempts += 1
        delay = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (n.attempts - 1))
        n.next_attempt_at = now + timedelta(seconds=delay) if n.attempts < MAX_ATTEMPTS else None
        n.last_error = f"{type(error).__name__}: {error}"[:2000]
    Notification.objects.bulk_update(notifications, ["attempts", "next_attempt_at", "last_error"])


def deliver(*, notification_id: int) -> bool:
    """Send one immediate notification; True if sent (or already sent)."""
    n = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if n is None or n.sent_at is not None:
        return True
    context = {"notification": n, "user": n.user, "site_name": _site_name()}
    try:
        _send(
            n.user,
            n.subject,
            render_to_string("emails/notification.txt", context),
            render_to_string("emails/notification.html", context),
        )
    except Exception as exc:  # noqa: BLE001 - any transport failure is retried later
        logger.warning("Notification %s not sent: %s", n.pk, exc)
        _record_failure([n], exc)
        return False
    Notification.objects.filter(pk=n.pk).update(sent_at=timezone.now(), last_error="")
    return True


def send_digest(*, user_id: int) -> int:
    """Send one user's daily digest of everything unsent; returns how many items it held."""
    user = User.objects.get(pk=user_id)
    items = list(
        Notification.objects.filter(user=user, sent_at__isnull=True, deliver_in_digest=True)
        .exclude(next_attempt_at__gt=timezone.now())
        .order_by("created_at")
    )
    if not items:
        return 0
    context = {"items": items, "user": user, "site_name": _site_name()}
    subject = f"Your daily update: {len(items)} new {'item' if len(items) == 1 else 'items'}"
    try:
        _send(
            user,
            subject,
            render_to_string("emails/digest.txt", context),
            render_to_string("emails/digest.html", context),
        )
    except Exception as exc:  # noqa: BLE001
        logger.warning("Digest for user %s not sent: %s", user.pk, exc)
        _record_failure(items, exc)
        return 0
    Notification.objects.filter(pk__in=[n.pk for n in items]).update(
        sent_at=timezone.now(), last_error=""
    )
    return len(items)


def send_daily_digests() -> int:
    """Send every pending digest (run once a day by the scheduler)."""
    user_ids = (
        Notification.objects.filter(sent_at__isnull=True, deliver_in_digest=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return sum(send_digest(user_id=uid) for uid in list(user_ids))


def retry_due_notifications() -> int:
    """Retry immediate notifications whose earlier send failed and whose backoff has passed."""
    now = timezone.now()
    due = (
        Notification.objects.filter(sent_at__isnull=True, deliver_in_digest=False)
        .filter(
            # failed before and its backoff has passed, or never tried (its task was lost)
            Q(next_attempt_at__lte=now) | Q(attempts=0, created_at__lte=now - timedelta(minutes=15))
        )
        .values_list("pk", flat=True)
    )
    return sum(1 for pk in list(due) if deliver(notification_id=pk))
