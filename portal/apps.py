from django.apps import AppConfig


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
