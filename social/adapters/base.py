"""The small interface every social network adapter implements, and its one error type.

Services never see tweepy, Mastodon.py or atproto: they call `publish`, `fetch_replies`,
`delete` (and the lookups reconciliation and import need) and catch `ChannelError`.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class PublishedRef:
    id: str
    url: str


@dataclass
class InboundReply:
    external_id: str
    conversation_id: str
    in_reply_to_id: str
    author_id: str
    author_handle: str
    author_name: str
    text: str
    created_at: datetime | None
    raw: dict = field(default_factory=dict)


class ChannelError(Exception):
    """Anything that went wrong talking to a network; `retryable` says whether to try again."""

    retryable = False
    kind = "error"

    def __init__(self, message: str, *, reset_at: datetime | None = None, partial=None):
        super().__init__(message)
        self.reset_at = reset_at
        # Replies fetched before a later page failed: safe to store, the cursor must not move.
        self.partial = partial or []


class RateLimited(ChannelError):
    retryable = True
    kind = "rate_limited"


class TransientError(ChannelError):
    """5xx answers, timeouts and dropped connections."""

    retryable = True
    kind = "transient"


class DuplicateContent(ChannelError):
    kind = "duplicate"


class NotFound(ChannelError):
    kind = "not_found"


class BudgetExceeded(ChannelError):
    kind = "budget"


class PermanentError(ChannelError):
    """Refused for good (bad credentials, wrong access level, invalid request)."""

    kind = "permanent"


class ChannelAdapter(ABC):
    """One network's client; one instance serves one task run and counts its calls."""

    calls: int = 0

    @abstractmethod
    def publish(self, text: str, reply_to: str | None = None) -> PublishedRef:
        """Post `text` (as a reply to `reply_to` when given) and return where it went."""

    @abstractmethod
    def fetch_replies(self, root: str, cursor: str | None) -> tuple[list[InboundReply], str | None]:
        """Replies in `root`'s conversation newer than `cursor`, and the cursor to keep."""

    @abstractmethod
    def delete(self, ref: str) -> None:
        """Delete one of our posts (already gone counts as done)."""

    @abstractmethod
    def find_published(
        self, text: str, reply_to: str | None, since: datetime | None
    ) -> PublishedRef | None:
        """Our own post with this text made since `since` (or lately), if the network has it."""

    @abstractmethod
    def fetch_one(self, external_id: str) -> InboundReply:
        """One post by id (raises NotFound when it does not exist)."""
