"""Thin task wrappers: primary keys in, services do the work."""

from django_tasks import task

from . import services


@task()
def publish_post(post_id: int) -> str:
    return services.post_publish(post_id=post_id)


@task()
def delete_post_on_x(post_id: int) -> str:
    return services.post_delete_on_x(post_id=post_id)


@task()
def publish_due_posts() -> dict:
    return services.publish_due()
