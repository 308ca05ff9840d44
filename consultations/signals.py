"""Signals other apps listen to (social drafts posts to X from them).

Each is sent once the transaction that caused it has committed, so a receiver never sees a
row that might still be rolled back. Receivers must be quick and must not raise: enqueue work.

- `consultation_opened(sender=ConsultationPage, page=...)`
- `consultation_closing_soon(sender=ConsultationPage, page=...)`
- `consultation_outcome_published(sender=ConsultationPage, page=...)`
- `live_update_posted(sender=LiveUpdate, update=...)`
"""

from django.db import transaction
from django.dispatch import Signal

consultation_opened = Signal()
consultation_closing_soon = Signal()
consultation_outcome_published = Signal()
live_update_posted = Signal()


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    """Send `signal` after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
