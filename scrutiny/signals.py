"""Signals are the only way a top-floor app can notice changes in the lower apps' rows without
those apps importing it: a saved or deleted source updates its evidence's "source since
edited/removed" flag (the snapshot itself never changes). The hourly sweep in tasks.py catches
anything changed without signals (queryset updates)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from . import adapters


def _on_source_saved(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    from .services import source_changed

    pk = instance.pk
    transaction.on_commit(lambda: source_changed(model=sender, pk=pk))


def _on_source_deleted(sender, instance, **kwargs):
    from .services import source_changed

    pk = instance.pk
    transaction.on_commit(lambda: source_changed(model=sender, pk=pk, deleted=True))


def _on_inquiry_published(sender, instance, **kwargs):
    from .services import inquiry_announce_milestones

    page = instance.specific
    transaction.on_commit(lambda: inquiry_announce_milestones(inquiry=page))


def _forget_links(sender, **kwargs):
    from .selectors import forget_linked_pages

    transaction.on_commit(forget_linked_pages)


def watch(model) -> None:
    uid = model._meta.label_lower
    post_save.connect(_on_source_saved, sender=model, dispatch_uid=f"scrutiny-save-{uid}")
    post_delete.connect(_on_source_deleted, sender=model, dispatch_uid=f"scrutiny-delete-{uid}")


def unwatch(model) -> None:
    uid = model._meta.label_lower
    post_save.disconnect(sender=model, dispatch_uid=f"scrutiny-save-{uid}")
    post_delete.disconnect(sender=model, dispatch_uid=f"scrutiny-delete-{uid}")


def connect():
    from .models import InquiryPage

    adapters.register_all()
    from .models import InquiryLinkedPage

    page_published.connect(
        _on_inquiry_published, sender=InquiryPage, dispatch_uid="scrutiny-inquiry-published"
    )
    # The cached map of which pages feed which inquiries (selectors.inquiries_linked_to).
    for signal in (page_published, page_unpublished):
        signal.connect(
            _forget_links, sender=InquiryPage, dispatch_uid=f"scrutiny-links-{id(signal)}"
        )
    for model in (InquiryPage, InquiryLinkedPage):
        for signal in (post_save, post_delete):
            signal.connect(
                _forget_links,
                sender=model,
                dispatch_uid=f"scrutiny-links-{model.__name__}-{id(signal)}",
            )
