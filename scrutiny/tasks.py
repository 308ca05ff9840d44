from django_tasks import task

from . import services


@task()
def build_export(export_id: int) -> bool:
    return services.export_build(export_id=export_id)


@task()
def announce_milestones() -> int:
    return services.announce_due_milestones()


@task()
def refresh_sources() -> int:
    return services.evidence_refresh_sources()
