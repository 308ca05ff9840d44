"""Actions that change consultations and meetings: each checks permission, then does one thing
in one transaction. Emails and signals go out only after the transaction commits."""

import logging
import re
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from wagtail.models import Site

from portal.background import enqueue
from portal.models import SiteSettings, User
from portal.notifications import absolute_url, notify
from portal.text import normalise_text

from . import permissions, signals
from .blocks import CHOICE_KINDS
from .models import (
    ConsultationFollow,
    ConsultationMilestone,
    ConsultationPage,
    ConsultationResponse,
    LiveUpdate,
    MeetingPage,
)

logger = logging.getLogger(__name__)

RECEIPT_MAX_ATTEMPTS = 8
_STOP_WORDS = {"of", "and", "the", "for", "&"}


class ConsultationNotOpen(PermissionDenied):
    """The consultation is not taking responses now."""


def reference_prefix() -> str:
    """The organisation's initials, e.g. 'HBC' for Harrowfield Borough Council."""
    name = ""
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        name = SiteSettings.for_site(site).organisation_name
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in _STOP_WORDS)
    return (initials[:5] or "PARLEY").upper()


def _clean_answers(page: ConsultationPage, answers: dict) -> dict:
    """Check answers against the page's questions and snapshot each question's wording."""
    stored = {}
    for q in page.question_blocks():
        value = answers.get(q["id"])
        if q["kind"] == "multiple_choice":
            value = [v for v in (value or []) if v]
            if any(v not in q["choices"] for v in value):
                raise ValidationError(f"'{q['question']}' has an answer that is not offered.")
        elif q["kind"] in CHOICE_KINDS:
            value = value or ""
            if value and value not in q["choices"]:
                raise ValidationError(f"'{q['question']}' has an answer that is not offered.")
        else:
            value = normalise_text(value or "", multiline=q["kind"] == "long_text")
            if q["max_length"] and len(value) > q["max_length"]:
                raise ValidationError(f"'{q['question']}' has too long an answer.")
        if q["required"] and not value:
            raise ValidationError(f"'{q['question']}' must be answered.")
        if value:
            stored[q["id"]] = {
                "question": q["question"],
                "kind": q["kind"],
                "position": q["number"],
                "answer": value,
            }
    return stored


def response_submit(
    *,
    page: ConsultationPage,
    answers: dict,
    consent_publish: bool,
    consent_contact: bool,
    name: str = "",
    email: str = "",
    by: User | None = None,
    now: datetime | None = None,
) -> ConsultationResponse:
    """Store a response at once, give it a reference, and email a receipt if an address is given."""
    now = now or timezone.now()
    user = by if by is not None and by.is_authenticated else None
    if not permissions.can_respond(user, page, now=now):
        raise ConsultationNotOpen("This consultation is not taking responses.")
    stored = _clean_answers(page, answers)
    prefix = reference_prefix()
    with transaction.atomic():
        response = ConsultationResponse.objects.create(
            page=page,
            user=user,
            answers=stored,
            consent_publish=bool(consent_publish),
            consent_contact=bool(consent_contact),
            name=normalise_text(name, multiline=False)[:100],
            email=(email or "").strip().lower(),
            submitted_at=now,
        )
        response.reference = f"{prefix}-CR-{now.year}-{response.pk:06d}"
        response.save(update_fields=["reference"])
        if user is not None:
            # respondents hear about the outcome without having to remember to follow
            ConsultationFollow.objects.get_or_create(page=page, user=user)
        if response.email:
            from . import tasks

            enqueue(tasks.send_response_receipt, response.pk)
    return response


def send_response_receipt(*, response_id: int) -> bool:
    """Email the receipt for one response (worker only); True once it has been sent."""
    response = ConsultationResponse.objects.select_related("page").filter(pk=response_id).first()
    if response is None or not response.email or response.receipt_sent_at is not None:
        return True
    context = {
        "response": response,
        "page": response.page,
        "answers": response.ordered_answers(),
        "page_url": absolute_url(response.page.url or ""),
        "organisation_name": _organisation_name(),
    }
    subject = f"Your response to '{response.page.title}': {response.reference}"
    try:
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/consultations/receipt.txt", context),
            to=[response.email],
        )
        message.attach_alternative(
            render_to_string("emails/consultations/receipt.html", context), "text/html"
        )
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any transport failure is retried by the sweep
        logger.warning("Receipt for response %s not sent: %s", response.pk, exc)
        ConsultationResponse.objects.filter(pk=response.pk).update(
            receipt_attempts=response.receipt_attempts + 1,
            receipt_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return False
    ConsultationResponse.objects.filter(pk=response.pk).update(
        receipt_sent_at=timezone.now(), receipt_error=""
    )
    return True


def retry_unsent_receipts() -> int:
    """Send receipts whose first attempt failed or whose task was lost."""
    pending = ConsultationResponse.objects.filter(
        receipt_sent_at__isnull=True, receipt_attempts__lt=RECEIPT_MAX_ATTEMPTS
    ).exclude(email="")
    sent = 0
    for pk in list(pending.values_list("pk", flat=True)[:500]):
        sent += send_response_receipt(response_id=pk)
    return sent


def _organisation_name() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site).organisation_name if site else ""


def consultation_follow(*, page: ConsultationPage, by: User) -> ConsultationFollow:
    """Follow a consultation to be emailed when it opens, is closing and decides."""
    if not permissions.can_follow(by, page):
        raise PermissionDenied("You cannot follow this consultation.")
    follow, _ = ConsultationFollow.objects.get_or_create(page=page, user=by)
    return follow


def consultation_unfollow(*, page: ConsultationPage, by: User) -> None:
    """Stop following a consultation."""
    if not by.is_authenticated:
        raise PermissionDenied("Sign in to change what you follow.")
    ConsultationFollow.objects.filter(page=page, user=by).delete()


_ANNOUNCEMENTS = {
    ConsultationMilestone.Kind.OPENED: (
        signals.consultation_opened,
        "Consultation now open: {title}",
        "The consultation '{title}' is now open.\n\n{summary}\n\nIt closes on {closes}. "
        "Have your say before then.",
    ),
    ConsultationMilestone.Kind.CLOSING_SOON: (
        signals.consultation_closing_soon,
        "Closing on {closes_short}: {title}",
        "The consultation '{title}' closes on {closes}. If you have not responded yet, there "
        "is still time.",
    ),
    ConsultationMilestone.Kind.OUTCOME_PUBLISHED: (
        signals.consultation_outcome_published,
        "Decision published: {title}",
        "We have published the outcome of the consultation '{title}': what we asked, what you "
        "said and what we did.\n\nThe decision: {decision}",
    ),
}


def announce_milestone(*, page_id: int, kind: str, now: datetime | None = None) -> bool:
    """Record that a phase change happened and tell followers, exactly once (worker only)."""
    now = now or timezone.now()
    signal, subject, body = _ANNOUNCEMENTS[kind]
    with transaction.atomic():
        page = ConsultationPage.objects.live().filter(pk=page_id).first()
        if page is None:
            return False
        try:
            with transaction.atomic():
                ConsultationMilestone.objects.create(page=page, kind=kind, happened_at=now)
        except IntegrityError:
            return False  # announced already, by this sweep's twin or an earlier one
        local_close = timezone.localtime(page.closes_at)
        values = {
            "title": page.title,
            "summary": page.summary,
            "closes": date_format(local_close, "j F Y \\a\\t g:ia"),
            "closes_short": date_format(local_close, "j F"),
            "decision": page.decision,
        }
        followers = User.objects.filter(consultation_follows__page=page, is_active=True)
        for user in followers.iterator():
            notify(
                user=user,
                kind=f"consultation_{kind}",
                subject=subject.format(**values),
                body=body.format(**values),
                url=page.url or "",
            )
        signals.send_on_commit(signal, ConsultationPage, page=page)
    return True


def announce_due_milestones(*, now: datetime | None = None) -> int:
    """Find every phase change not yet announced and announce it (the periodic job)."""
    from .selectors import due_announcements

    now = now or timezone.now()
    return sum(
        announce_milestone(page_id=pk, kind=kind, now=now)
        for pk, kind in due_announcements(now=now)
    )


def live_update_post(*, meeting: MeetingPage, text: str, by: User) -> LiveUpdate:
    """Post a timestamped update to a meeting page (officers and moderators)."""
    if not permissions.can_post_live_update(by, meeting):
        raise PermissionDenied("Only officers can post live updates.")
    text = normalise_text(text)
    if not text:
        raise ValidationError("Enter the update")
    if len(text) > LiveUpdate.MAX_LENGTH:
        raise ValidationError(f"The update must be {LiveUpdate.MAX_LENGTH} characters or fewer")
    with transaction.atomic():
        update = LiveUpdate.objects.create(meeting=meeting, text=text, posted_by=by)
        signals.send_on_commit(signals.live_update_posted, LiveUpdate, update=update)
    return update
