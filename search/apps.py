from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each app says what the public search finds in its own searchable.py, so this app
        # (below all the others) never imports them.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("searchable")
