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


@task()
def pull_post_replies(post_id: int) -> str:
    from . import ingest

    return ingest.pull_post(post_id=post_id).outcome


@task()
def pull_due_replies() -> int:
    from . import ingest

    return ingest.pull_due().polled


@task()
def import_reply(import_id: int) -> str:
    from . import ingest

    return ingest.reply_import_run(import_id=import_id).status


@task()
def draft_post_for_event(kind: str, content_type_id: int, object_id: int) -> int:
    from . import receivers

    return receivers.draft_for_event(
        kind=kind, content_type_id=content_type_id, object_id=object_id
    )
