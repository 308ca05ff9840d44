from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = "Questions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import selectors
        from .models import QuestionIndexPage

        # Thread URLs are built from the index page's cached address: forget it when it moves.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(selectors.clear_index_url_cache, dispatch_uid=f"questions-{signal!r}")
        for signal in (post_save, post_delete):
            signal.connect(
                selectors.clear_index_url_cache,
                sender=QuestionIndexPage,
                dispatch_uid=f"questions-index-{signal!r}",
            )
