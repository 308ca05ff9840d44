"""Where evidence comes from: one adapter per source model.

An adapter knows how to capture a source object (its text, author, date, public URL and the
consent that comes with it) and how to read its current text later, so the ledger can flag a
source that has since been edited or removed. Scrutiny is the top floor, so it may import the
lower apps' models; they never import this.
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import models

from .models import Consent, SourceKind


@dataclass(frozen=True)
class Captured:
    text: str
    said_at: datetime
    consent: str = Consent.PUBLIC
    title: str = ""
    url: str = ""
    author_name: str = ""
    author_handle: str = ""
    author_user: object = None


class PromotionRefused(Exception):
    """The source cannot become evidence (removed, unpublished, or otherwise ineligible)."""


class SourceAdapter:
    """How one model becomes evidence. Subclasses set `kind` and `model_label`."""

    kind: str
    model_label: str
    # select_related/only hints so capturing many objects stays a fixed number of queries
    related: tuple[str, ...] = ()

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def queryset(self):
        return self.model._default_manager.select_related(*self.related)

    def prepare(self, objs: list) -> None:
        """Load, in a fixed number of queries, what capturing these objects needs."""

    def capture(self, obj) -> Captured:
        raise NotImplementedError

    def current_text(self, obj) -> str | None:
        """The source's text now, captured the same way; None once it is removed or hidden."""
        raise NotImplementedError

    def describe(self, obj) -> str:
        return str(obj)

    def demo_candidates(self):
        """Objects seed_demo may promote (the app's own demo content, oldest first)."""
        return self.queryset().order_by("pk")[:200]


_REGISTRY: dict[str, SourceAdapter] = {}


def register(adapter: SourceAdapter) -> SourceAdapter:
    """Make a model promotable and watch it for edits and deletions."""
    from .signals import watch

    _REGISTRY[adapter.model_label.lower()] = adapter
    watch(adapter.model)
    return adapter


def unregister(model_label: str) -> None:
    from .signals import unwatch

    adapter = _REGISTRY.pop(model_label.lower(), None)
    if adapter is not None:
        unwatch(adapter.model)


def adapters() -> list[SourceAdapter]:
    return list(_REGISTRY.values())


def adapter_for_model(model) -> SourceAdapter | None:
    return _REGISTRY.get(model._meta.label_lower)


def adapter_for_label(label: str) -> SourceAdapter | None:
    return _REGISTRY.get((label or "").lower())


def adapter_for(obj) -> SourceAdapter | None:
    return adapter_for_model(type(obj)) if obj is not None else None


def source_kinds() -> list[str]:
    """Kinds that can be promoted from another app (the rest are created here)."""
    return [a.kind for a in adapters()]


def resolve(token: str):
    """`app.model:pk` to (adapter, object); raises LookupError when either is unknown."""
    label, _, pk = (token or "").partition(":")
    adapter = adapter_for_label(label)
    if adapter is None or not pk:
        raise LookupError(token)
    obj = adapter.queryset().filter(pk=pk).first()
    if obj is None:
        raise LookupError(token)
    return adapter, obj


def token_for(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


KIND_LABELS = dict(SourceKind.choices)
