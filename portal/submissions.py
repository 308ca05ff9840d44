"""Exactly-once form submissions.

Every resident-facing form carries a signed "form shown at" token (ProtectedFormMixin). The
same form sent twice with the same token and the same fields (a double click, the browser
resending after a timeout, the back button and send again) is one submission: `run_once` runs
the action that stores it the first time and, for every copy, returns where the first one went.
A different submission from the same rendered form (another comment typed into it) has other
fields and is stored as usual.

The receipt is inserted in the same transaction as the rows the action creates, so two copies
racing each other end with exactly one set of rows: the loser hits the unique key, its whole
transaction rolls back, and it reads the winner's receipt.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import SubmissionReceipt

# Form tokens expire after a day (ProtectedFormMixin), so older receipts can never match.
KEEP_RECEIPTS = timedelta(days=2)

# Fields that differ between two copies of the same submission, or say nothing about it.
_IGNORED_FIELDS = {"csrfmiddlewaretoken"}


@dataclass(frozen=True)
class Outcome:
    result: str  # what the action returned: where to show the submission, or its reference
    first: bool  # False when this was a copy of a submission already stored


def submission_key(request, form, scope: str) -> str | None:
    """The idempotency key of a bound ProtectedFormMixin form, or None without a token."""
    token = form.data.get(form.add_prefix(form.timestamp_name))
    if not token:
        return None
    fields = sorted(
        (name, form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data[name]])
        for name in form.data
        if name not in _IGNORED_FIELDS
    )
    user = request.user.pk if request.user.is_authenticated else None
    payload = json.dumps([scope, user, token, fields], ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def run_once(*, key: str | None, action: Callable[[], str]) -> Outcome:
    """Run `action` once per key. It stores the submission and returns a short string (the
    URL to show it, or its reference) that every copy of the submission is given back."""
    if key is None:
        return Outcome(result=action(), first=True)
    receipts = SubmissionReceipt.objects.filter(key=key).values_list("result", flat=True)
    if (earlier := receipts.first()) is not None:
        return Outcome(result=earlier, first=False)
    try:
        with transaction.atomic():
            receipt = SubmissionReceipt.objects.create(key=key)
            result = action()
            receipt.result = result
            receipt.save(update_fields=["result"])
    except IntegrityError:
        # Either the copy that raced us committed first (read its receipt), or the action
        # itself broke a constraint (not ours to hide).
        if (earlier := receipts.first()) is not None:
            return Outcome(result=earlier, first=False)
        raise
    SubmissionReceipt.objects.filter(created_at__lt=timezone.now() - KEEP_RECEIPTS).delete()
    return Outcome(result=result, first=True)


ALREADY_RECEIVED = "We already have this. It was sent more than once, so we kept one copy."
