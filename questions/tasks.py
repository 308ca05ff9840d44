"""Background work for questions: thin wrappers over services, given primary keys only."""

from django_tasks import task

from . import services


@task()
def notify_followers(
    question_id: int, event: str, answer_id: int | None = None, actor_id: int | None = None
) -> int:
    return services.followers_notify(
        question_id=question_id, event=event, answer_id=answer_id, actor_id=actor_id
    )


@task()
def notify_person(
    user_id: int,
    event: str,
    question_id: int | None = None,
    answer_id: int | None = None,
    comment_id: int | None = None,
) -> bool:
    return services.person_notify(
        user_id=user_id,
        event=event,
        question_id=question_id,
        answer_id=answer_id,
        comment_id=comment_id,
    )


@task()
def reindex_thread(question_id: int) -> int:
    return services.thread_reindex(question_id=question_id)
