from datetime import timedelta

from wagtail import hooks

from . import tasks
from .scheduling import PeriodicJob


@hooks.register("parley_periodic_jobs")
def portal_jobs():
    return [
        PeriodicJob(
            "portal.retry_notifications", timedelta(minutes=5), tasks.retry_due_notifications
        ),
        PeriodicJob("portal.daily_digests", timedelta(days=1), tasks.send_daily_digests),
        PeriodicJob("portal.purge_expired", timedelta(days=1), tasks.purge_expired),
    ]


@hooks.register("register_log_actions")
def register_portal_log_actions(actions):
    actions.register_action("parley.account_erased", "Erase account", "Account erased")
