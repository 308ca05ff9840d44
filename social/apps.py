from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = "Social media"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the after-publish hook that starts pulling replies for each new post.
        from . import ingest, receivers  # noqa: F401 - receivers connects to lower apps' signals
