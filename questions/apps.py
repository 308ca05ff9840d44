from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = "Questions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save, pre_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import selectors, services
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

        # Cached thread renders show people's names: a rename or deletion must refresh them.
        def name_changed(sender, instance, created=False, update_fields=None, raw=False, **kw):
            if (
                raw
                or created
                or (update_fields is not None and "display_name" not in update_fields)
            ):
                return
            services.threads_touch_for_author(user_id=instance.pk)

        def person_deleted(sender, instance, **kwargs):
            services.threads_touch_for_author(user_id=instance.pk)

        post_save.connect(
            name_changed,
            sender=settings.AUTH_USER_MODEL,
            weak=False,
            dispatch_uid="questions-user-renamed",
        )
        pre_delete.connect(
            person_deleted,
            sender=settings.AUTH_USER_MODEL,
            weak=False,
            dispatch_uid="questions-user-deleted",
        )
