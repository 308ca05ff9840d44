"""Thin django-tasks wrappers over services (primary keys only, enqueued on commit)."""

from django.core.management import call_command
from django_tasks import task

from . import services


@task()
def send_response_receipt(response_id: int) -> bool:
    return services.send_response_receipt(response_id=response_id)


@task()
def retry_unsent_receipts() -> int:
    return services.retry_unsent_receipts()


@task()
def announce_due_milestones() -> int:
    return services.announce_due_milestones()


@task()
def publish_scheduled_pages() -> None:
    # Wagtail publishes pages whose scheduled go-live time has passed only when this runs.
    call_command("publish_scheduled", verbosity=0)
