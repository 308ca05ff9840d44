"""One adapter per network behind `ChannelAdapter`; `adapter_for(channel)` picks it."""

from .base import (
    BudgetExceeded,
    ChannelAdapter,
    ChannelError,
    DuplicateContent,
    InboundReply,
    NotFound,
    PermanentError,
    PublishedRef,
    RateLimited,
    TransientError,
)

__all__ = [
    "BudgetExceeded",
    "ChannelAdapter",
    "ChannelError",
    "DuplicateContent",
    "InboundReply",
    "NotFound",
    "PermanentError",
    "PublishedRef",
    "RateLimited",
    "TransientError",
    "adapter_for",
]


def adapter_for(channel, *, meter=None, timeout=None) -> ChannelAdapter:
    """The adapter for `channel`'s network, metered against its budget."""
    from .x import XAdapter

    if channel.kind in {"x", "sandbox"}:
        return XAdapter(
            handle=channel.handle,
            credentials=channel.credentials(),
            meter=meter,
            timeout=timeout,
            env_names={key: getattr(channel, attr) for key, attr in channel.ENV_FIELDS.items()},
        )
    raise PermanentError(f"No adapter for channels of kind {channel.kind!r} yet.")
