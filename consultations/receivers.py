"""Wagtail signal receivers: publishing a consultation may be a phase change to announce."""

from wagtail.signals import page_published

from portal.background import enqueue

from .models import ConsultationPage


def on_page_published(sender, instance, **kwargs):
    # the announcement itself happens in the worker; the periodic sweep is the safety net
    from . import tasks

    enqueue(tasks.announce_due_milestones)


page_published.connect(on_page_published, sender=ConsultationPage)
