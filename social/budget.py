"""Each channel's monthly budget: every call is priced and recorded before it is sent."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .adapters import BudgetExceeded
from .models import Channel, ChannelUsage

_LINK_MARKERS = ("http://", "https://", "www.")


def month_start(now: datetime | None = None) -> date:
    now = timezone.localtime(now or timezone.now())
    return now.date().replace(day=1)


def next_month_start(now: datetime | None = None) -> datetime:
    first = month_start(now)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return datetime(following.year, following.month, 1, tzinfo=UTC)


def call_cost(channel: Channel, method: str, path: str, body: bytes | None) -> Decimal:
    """What one call costs on X's pay-per-use pricing, as configured on the channel."""
    if method == "POST" and path.rstrip("/").endswith("/2/tweets"):
        text = ""
        if body:
            try:
                text = json.loads(body).get("text", "")
            except (ValueError, AttributeError):
                text = ""
        if any(marker in text for marker in _LINK_MARKERS):
            return channel.cost_per_post_with_url
        return channel.cost_per_post
    if method == "DELETE":
        return channel.cost_per_delete
    return channel.cost_per_read


def spent_this_month(channel: Channel) -> ChannelUsage | None:
    return ChannelUsage.objects.filter(channel=channel, month=month_start()).first()


class BudgetMeter:
    """Called by the adapter's transport before each request; refuses one over budget."""

    def __init__(self, channel: Channel):
        self.channel = channel
        self.calls = 0

    def __call__(self, method: str, path: str, body: bytes | None) -> None:
        cost = call_cost(self.channel, method, path, body)
        month = month_start()
        with transaction.atomic():
            usage, _ = ChannelUsage.objects.get_or_create(channel=self.channel, month=month)
            budget = self.channel.monthly_budget
            if usage.spent + cost > budget:
                raise BudgetExceeded(
                    f"The monthly budget for {self.channel.name} (${budget:.2f}) would be "
                    f"exceeded: ${usage.spent:.2f} spent this month and this call costs "
                    f"${cost:.3f}. Raise the budget or wait until next month.",
                    reset_at=next_month_start(),
                )
            ChannelUsage.objects.filter(pk=usage.pk).update(
                calls=F("calls") + 1, spent=F("spent") + cost
            )
        self.calls += 1
