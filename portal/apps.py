from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"
    default_auto_field = "django.db.models.BigAutoField"
    default = True

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import roles, signals  # noqa: F401
        from .background import make_index_updates_robust

        make_index_updates_robust()
        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)


class ParleyAdminConfig(admin_apps.AdminConfig):
    """The Django admin with Parley's site: superusers only, no sign-in form of its own."""

    default = False
    default_site = "portal.admin_site.ParleyAdminSite"
