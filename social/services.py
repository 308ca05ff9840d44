"""Actions on posts to X: drafting, approval, publishing (worker only) and withdrawal.

Every action is keyword-only, checks permissions itself and runs in one transaction.
Publishing and deleting call X, so they run only in the task worker, never in a request.
"""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from portal.background import enqueue
from portal.models import SiteSettings
from portal.notifications import notify

from . import permissions, pii
from .adapters import (
    BudgetExceeded,
    ChannelError,
    DuplicateContent,
    PermanentError,
    RateLimited,
    adapter_for,
)
from .budget import BudgetMeter
from .drafting import absolute_url, render
from .models import Channel, Post, PostEvent, PostKind
from .textlength import MAX_WEIGHT, split_thread

log = logging.getLogger(__name__)

Status = Post.Status


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return _setting("SOCIAL_MAX_ATTEMPTS", 6)


def backoff(attempt: int) -> timedelta:
    """Capped exponential backoff with full jitter (never below half the step)."""
    base = _setting("SOCIAL_BACKOFF_BASE_SECONDS", 30)
    cap = _setting("SOCIAL_BACKOFF_CAP_SECONDS", 3600)
    step = min(cap, base * 2 ** max(0, attempt - 1))
    return timedelta(seconds=step * random.uniform(0.5, 1.0))  # noqa: S311 - jitter, not secrets  # nosec B311


def _lease() -> timedelta:
    return timedelta(seconds=settings.X_API_TIMEOUT * 6 + 30)


def _event(post: Post, kind: str, by=None, note: str = "") -> PostEvent:
    return PostEvent.objects.create(post=post, kind=kind, by=by, note=note)


def allow_self_approval() -> bool:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return bool(site and SiteSettings.for_site(site).allow_coach_self_approval)


def _set_generic(post: Post, prefix: str, obj) -> None:
    if obj is None:
        return
    setattr(post, f"{prefix}_content_type", ContentType.objects.get_for_model(obj))
    setattr(post, f"{prefix}_object_id", obj.pk)


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the text of the post."})
    if len(text) > 5000:
        raise ValidationError({"text": "A post can be at most 5,000 characters (a long thread)."})
    return text


# Drafting -----------------------------------------------------------------------------------


def post_draft(
    *,
    channel: Channel,
    text: str,
    by,
    kind: str = PostKind.MANUAL,
    source=None,
    topic=None,
    submit: bool = False,
) -> Post:
    """An officer's hand-written draft (sent for approval at once when `submit`)."""
    if not permissions.can_draft(by):
        raise PermissionDenied("You cannot draft posts to X.")
    if not channel.active:
        raise ValidationError({"channel": "That channel is switched off."})
    text = _check_text(text)
    with transaction.atomic():
        post = Post(channel=channel, kind=kind, text=text, drafted_by=by)
        _set_generic(post, "source", source)
        _set_generic(post, "topic", topic)
        if topic is not None:
            post.topic_title = str(getattr(topic, "title", topic))[:255]
            post.topic_url = absolute_url(topic)[:500]
        if submit:
            post.status = Status.AWAITING
            post.submitted_at = timezone.now()
        post.save()
        _event(post, PostEvent.Kind.DRAFTED, by)
        if submit:
            _event(post, PostEvent.Kind.SUBMITTED, by)
    return post


def post_draft_for_event(
    *, kind: str, source, topic=None, context: dict | None = None, by=None
) -> list[Post]:
    """Drafts for every active channel when something happens on the site (queue them)."""
    context = dict(context or {})
    topic = topic if topic is not None else source
    context.setdefault("url", absolute_url(topic))
    context.setdefault("title", getattr(topic, "title", ""))
    try:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        if site:
            context.setdefault("organisation", SiteSettings.for_site(site).organisation_name)
    except Exception:  # noqa: BLE001 - settings are a nicety here, never a reason to lose a draft
        log.exception("Could not read site settings while drafting")
    text = render(kind, context)
    source_type = ContentType.objects.get_for_model(source)
    posts = []
    with transaction.atomic():
        for channel in Channel.objects.filter(active=True):
            # One draft per channel per event, however often the signal fires.
            if Post.objects.filter(
                channel=channel,
                kind=kind,
                source_content_type=source_type,
                source_object_id=source.pk,
                parent__isnull=True,
            ).exists():
                continue
            post = Post(
                channel=channel,
                kind=kind,
                text=text,
                status=Status.AWAITING,
                submitted_at=timezone.now(),
                drafted_by=by if getattr(by, "is_authenticated", False) else None,
                topic_title=str(getattr(topic, "title", topic))[:255],
                topic_url=absolute_url(topic)[:500],
            )
            _set_generic(post, "source", source)
            _set_generic(post, "topic", topic)
            post.save()
            _event(post, PostEvent.Kind.DRAFTED, post.drafted_by, "Drafted automatically.")
            posts.append(post)
    return posts


def post_edit(*, post: Post, text: str, by) -> Post:
    """Change a post's text before approval."""
    if not permissions.can_edit(by, post):
        raise PermissionDenied("You cannot edit this post.")
    text = _check_text(text)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if not permissions.can_edit(by, post):
            raise PermissionDenied("This post can no longer be edited.")
        if text != post.text:
            post.text = text
            post.save(update_fields=["text", "updated_at"])
            _event(post, PostEvent.Kind.EDITED, by)
    return post


def post_submit(*, post: Post, by) -> Post:
    """Send a draft to the coaches' approval queue."""
    if not permissions.can_submit(by, post):
        raise PermissionDenied("You cannot send this post for approval.")
    with transaction.atomic():
        updated = Post.objects.filter(pk=post.pk, status=Status.DRAFT).update(
            status=Status.AWAITING, submitted_at=timezone.now()
        )
        if not updated:
            raise ValidationError("This post is no longer a draft.")
        post.refresh_from_db()
        _event(post, PostEvent.Kind.SUBMITTED, by)
    return post


# Approval -----------------------------------------------------------------------------------


def personal_data_in(post: Post) -> list[pii.Finding]:
    return pii.find_personal_data(post.text)


def post_approve(*, post: Post, by, text: str | None = None, override_reason: str = "") -> Post:
    """A coach approves (optionally with edited text); long text becomes a thread.

    Personal data blocks approval unless the coach gives a reason, which is logged.
    """
    refusal = permissions.approval_refusal(by, post, allow_self_approval=allow_self_approval())
    if refusal:
        raise PermissionDenied(refusal)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        refusal = permissions.approval_refusal(by, post, allow_self_approval=allow_self_approval())
        if refusal:
            raise PermissionDenied(refusal)
        if text is not None:
            text = _check_text(text)
            if text != post.text:
                post.text = text
                _event(post, PostEvent.Kind.EDITED, by)
        findings = pii.find_personal_data(post.text)
        if findings and not post.pii_overridden:
            override_reason = (override_reason or "").strip()
            if not override_reason:
                raise ValidationError(
                    {
                        "text": f"This post seems to contain {pii.describe(findings)} "
                        f"({', '.join(f.text for f in findings)}). Remove it, or give a reason "
                        "for posting it anyway."
                    }
                )
            post.pii_override_reason = override_reason
            post.pii_override_hash = post.text_hash()
            _event(
                post,
                PostEvent.Kind.PII_OVERRIDE,
                by,
                f"{override_reason} (found {pii.describe(findings)})",
            )
        parts = split_thread(post.text, MAX_WEIGHT)
        now = timezone.now()
        post.text = parts[0]
        post.part_count = len(parts) if len(parts) > 1 else post.part_count
        post.status = Status.APPROVED
        post.approved_by = by
        post.approved_at = now
        post.feedback = ""
        post.attempts = 0
        post.last_error = ""
        post.next_attempt_at = None
        post.save()
        previous = post
        for number, part in enumerate(parts[1:], start=2):
            previous = Post.objects.create(
                channel=post.channel,
                kind=post.kind,
                text=part,
                status=Status.APPROVED,
                source_content_type=post.source_content_type,
                source_object_id=post.source_object_id,
                topic_content_type=post.topic_content_type,
                topic_object_id=post.topic_object_id,
                topic_title=post.topic_title,
                topic_url=post.topic_url,
                parent=previous,
                part_number=number,
                part_count=len(parts),
                drafted_by=post.drafted_by,
                submitted_at=post.submitted_at,
                approved_by=by,
                approved_at=now,
            )
        note = f"Split into a thread of {len(parts)} posts." if len(parts) > 1 else ""
        _event(post, PostEvent.Kind.APPROVED, by, note)
        _enqueue_publish(post.pk)
    return post


def post_reject(*, post: Post, by, feedback: str) -> Post:
    """A coach sends a draft back with feedback the drafter sees."""
    if not permissions.can_reject(by, post):
        raise PermissionDenied("You cannot reject this post.")
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError({"feedback": "Tell the drafter what to change."})
    with transaction.atomic():
        updated = Post.objects.filter(pk=post.pk, status=Status.AWAITING).update(
            status=Status.DRAFT, feedback=feedback
        )
        if not updated:
            raise ValidationError("This post is no longer awaiting approval.")
        post.refresh_from_db()
        _event(post, PostEvent.Kind.REJECTED, by, feedback)
        if post.drafted_by_id and post.drafted_by_id != by.pk:
            notify(
                user=post.drafted_by,
                kind="social_post_rejected",
                subject="Your post to X needs changes",
                body=f"{by} sent your draft back with this feedback:\n\n{feedback}",
                url=f"/admin/social/posts/{post.pk}/",
            )
    return post


def _thread_parts(post: Post) -> list[Post]:
    """The later parts of a long post split into a thread (not later live updates)."""
    parts, current = [], post
    while True:
        nxt = current.children.filter(kind=post.kind, part_number=current.part_number + 1).first()
        if nxt is None:
            return parts
        parts.append(nxt)
        current = nxt


def post_withdraw(*, post: Post, by) -> Post:
    """Take a post back; a published one (and the rest of its thread) is deleted on X."""
    if not permissions.can_withdraw(by, post):
        raise PermissionDenied("You cannot withdraw this post.")
    with transaction.atomic():
        posts = [post, *_thread_parts(post)]
        for item in posts:
            item = Post.objects.select_for_update().get(pk=item.pk)
            if item.status == Status.WITHDRAWN:
                continue
            was_published = bool(item.external_id)
            Post.objects.filter(pk=item.pk).update(
                status=Status.WITHDRAWN,
                withdrawn_at=timezone.now(),
                withdrawn_by=by,
                attempts=0,
                next_attempt_at=None,
                last_error="",
            )
            _event(item, PostEvent.Kind.WITHDRAWN, by)
            if was_published:
                _enqueue_delete(item.pk)
    post.refresh_from_db()
    return post


def post_retry(*, post: Post, by) -> Post:
    """Send a failed post back to the worker (after fixing what stopped it)."""
    if not permissions.can_retry(by, post):
        raise PermissionDenied("Only failed posts can be sent again, by a coach.")
    with transaction.atomic():
        Post.objects.filter(pk=post.pk, status=Status.FAILED).update(
            status=Status.APPROVED, attempts=0, next_attempt_at=None, claimed_until=None
        )
        _event(post, PostEvent.Kind.REQUEUED, by)
        _enqueue_publish(post.pk)
    post.refresh_from_db()
    return post


# Publishing (worker only) -----------------------------------------------------------------


def _enqueue_publish(post_id: int, run_after=None) -> None:
    from . import tasks

    enqueue(tasks.publish_post, post_id, run_after=run_after)


def _enqueue_delete(post_id: int, run_after=None) -> None:
    from . import tasks

    enqueue(tasks.delete_post_on_x, post_id, run_after=run_after)


def _claim(qs, now) -> bool:
    """Take a time-limited lease on the row, counting the attempt (so two workers never race)."""
    return bool(
        qs.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + _lease(), attempts=F("attempts") + 1)
    )


def _reply_target(post: Post) -> tuple[str | None, str]:
    """What the post replies to on X: ("id", "") or (None, why it must wait)."""
    if post.parent_id:
        parent = post.parent
        if parent.status == Status.PUBLISHED and parent.external_id:
            return parent.external_id, ""
        return None, "Waiting for the post before it in the thread to be published."
    in_reply_to = getattr(post, "in_reply_to", None)
    if in_reply_to is not None:
        return in_reply_to.external_id, ""
    if post.kind == PostKind.LIVE_UPDATE and post.topic_object_id:
        # A meeting's live updates form one thread, in the order they were published.
        latest = (
            Post.objects.filter(
                channel=post.channel,
                kind=PostKind.LIVE_UPDATE,
                topic_content_type=post.topic_content_type,
                topic_object_id=post.topic_object_id,
                status=Status.PUBLISHED,
            )
            .exclude(pk=post.pk)
            .order_by("-published_at", "-pk")
            .first()
        )
        if latest is not None:
            Post.objects.filter(pk=post.pk).update(parent=latest)
            return latest.external_id, ""
    return None, ""


def post_publish(*, post_id: int) -> str:
    """Publish one approved post through its channel's adapter, at most once on X.

    Must hold: the intent (intent_at) is stored before X is called, and a post with an
    earlier intent is first looked up on X, so a retry after a lost answer never posts twice.
    """
    now = timezone.now()
    if not _claim(Post.objects.filter(pk=post_id, status=Status.APPROVED), now):
        return "skipped"
    post = Post.objects.select_related("channel", "parent").get(pk=post_id)
    reply_to, waiting = _reply_target(post)
    if waiting:
        Post.objects.filter(pk=post.pk).update(
            claimed_until=None,
            next_attempt_at=now + timedelta(seconds=60),
            last_error=waiting,
            attempts=F("attempts") - 1,
        )
        return "waiting"
    try:
        adapter = adapter_for(post.channel, meter=BudgetMeter(post.channel))
        if post.intent_at is not None:
            ref = adapter.find_published(post.text, reply_to, post.intent_at - timedelta(minutes=5))
            if ref is not None:
                return _published(post, ref, "Found on X after an earlier attempt lost its answer.")
        else:
            post.intent_at = now
        Post.objects.filter(pk=post.pk).update(intent_at=post.intent_at)
        try:
            ref = adapter.publish(post.text, reply_to)
        except DuplicateContent as exc:
            # X keeps refusing a duplicate long after it was posted, so search without a start.
            ref = adapter.find_published(post.text, reply_to, None)
            if ref is None:
                raise PermanentError(
                    "X refused the text as a duplicate of an earlier post that we cannot find. "
                    "Change the wording and send it again."
                ) from exc
        return _published(post, ref, "")
    except ChannelError as exc:
        return _publish_failed(post, exc, now)


def _published(post: Post, ref, note: str) -> str:
    now = timezone.now()
    with transaction.atomic():
        updated = Post.objects.filter(pk=post.pk, status=Status.APPROVED).update(
            status=Status.PUBLISHED,
            external_id=ref.id,
            external_url=ref.url,
            published_at=now,
            last_error="",
            claimed_until=None,
            next_attempt_at=None,
        )
        if not updated:
            # Withdrawn while X was being called: keep the id so the worker deletes it.
            Post.objects.filter(pk=post.pk).update(
                external_id=ref.id, external_url=ref.url, claimed_until=None
            )
            _enqueue_delete(post.pk)
            return "withdrawn"
        post.refresh_from_db()
        _event(post, PostEvent.Kind.PUBLISHED, None, note)
        for child in post.children.filter(status=Status.APPROVED):
            Post.objects.filter(pk=child.pk).update(next_attempt_at=None, last_error="")
            _enqueue_publish(child.pk)
        for hook in _after_publish_hooks:
            hook(post)
    return "published"


_after_publish_hooks: list = []


def after_publish(fn):
    """Register fn(post) to run when a post is published (reply pulling starts here)."""
    _after_publish_hooks.append(fn)
    return fn


def _publish_failed(post: Post, exc: ChannelError, now) -> str:
    message = str(exc)
    attempts = post.attempts
    retry_at = None
    if isinstance(exc, RateLimited) and attempts < max_attempts():
        retry_at = exc.reset_at if exc.reset_at and exc.reset_at > now else now + backoff(attempts)
    elif exc.retryable and not isinstance(exc, BudgetExceeded) and attempts < max_attempts():
        retry_at = now + backoff(attempts)
    with transaction.atomic():
        if retry_at is not None:
            Post.objects.filter(pk=post.pk).update(
                last_error=message, next_attempt_at=retry_at, claimed_until=None
            )
            _event(
                post,
                PostEvent.Kind.RETRY,
                None,
                f"{message} Trying again after {retry_at:%H:%M:%S}.",
            )
            _enqueue_publish(post.pk, run_after=retry_at)
            return "retry"
        Post.objects.filter(pk=post.pk, status=Status.APPROVED).update(
            status=Status.FAILED, last_error=message, claimed_until=None, next_attempt_at=None
        )
        _event(post, PostEvent.Kind.FAILED, None, message)
        if post.drafted_by_id:
            notify(
                user=post.drafted_by,
                kind="social_post_failed",
                subject="A post to X could not be published",
                body=f"Your post could not be published: {message}\n\nA coach can send it again.",
                url=f"/admin/social/posts/{post.pk}/",
            )
    return "failed"


def post_delete_on_x(*, post_id: int) -> str:
    """Delete a withdrawn post on X (worker only); retried like publishing."""
    now = timezone.now()
    qs = Post.objects.filter(
        pk=post_id, status=Status.WITHDRAWN, deleted_on_x_at__isnull=True
    ).exclude(external_id="")
    if not _claim(qs, now):
        return "skipped"
    post = Post.objects.select_related("channel").get(pk=post_id)
    attempts = post.attempts
    try:
        adapter_for(post.channel, meter=BudgetMeter(post.channel)).delete(post.external_id)
    except ChannelError as exc:
        retry_at = None
        if exc.retryable and attempts < max_attempts():
            retry_at = (
                exc.reset_at
                if isinstance(exc, RateLimited) and exc.reset_at and exc.reset_at > now
                else now + backoff(attempts)
            )
        Post.objects.filter(pk=post.pk).update(
            last_error=f"Deleting on X: {exc}", next_attempt_at=retry_at, claimed_until=None
        )
        if retry_at:
            _enqueue_delete(post.pk, run_after=retry_at)
        return "retry" if retry_at else "failed"
    Post.objects.filter(pk=post.pk).update(
        deleted_on_x_at=timezone.now(), last_error="", claimed_until=None, next_attempt_at=None
    )
    _event(post, PostEvent.Kind.DELETED)
    return "deleted"


def publish_due(limit: int = 50) -> dict:
    """The sweep: approved posts and pending deletions whose time has come."""
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    results = {}
    # Oldest first, so the first part of a thread goes before the parts that reply to it.
    approved = Post.objects.filter(due, free, status=Status.APPROVED).order_by("pk")
    for pk in approved.values_list("pk", flat=True)[:limit]:
        outcome = post_publish(post_id=pk)
        results[outcome] = results.get(outcome, 0) + 1
    deletions = (
        Post.objects.filter(due, free, status=Status.WITHDRAWN, deleted_on_x_at__isnull=True)
        .exclude(external_id="")
        .exclude(last_error__startswith="Deleting on X", next_attempt_at__isnull=True)
        .values_list("pk", flat=True)[:limit]
    )
    for pk in deletions:
        outcome = post_delete_on_x(post_id=pk)
        results[f"delete_{outcome}"] = results.get(f"delete_{outcome}", 0) + 1
    return results


def raw_json_purge_expired(*, now=None) -> int:
    """Retention: drop the raw X JSON of replies fetched more than
    PARLEY_RETENTION_RAW_X_DAYS ago. The reply's text, author and links stay (they are what
    officers and evidence use); the raw payload holds more than we need to keep."""
    from .models import Reply

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PARLEY_RETENTION_RAW_X_DAYS)
    return Reply.objects.filter(fetched_at__lt=cutoff).exclude(raw={}).update(raw={})
