from django_tasks import task

from . import notifications


@task()
def deliver_notification(notification_id: int) -> bool:
    return notifications.deliver(notification_id=notification_id)


@task()
def send_daily_digests() -> int:
    return notifications.send_daily_digests()


@task()
def retry_due_notifications() -> int:
    return notifications.retry_due_notifications()


@task()
def purge_expired() -> list:
    from . import privacy

    return privacy.purge_expired()
