from django.urls import path

from . import admin_views

app_name = "social_admin"

urlpatterns = [
    path("posts/", admin_views.post_list, name="post_list"),
    path("posts/new/", admin_views.post_create, name="post_create"),
    path("posts/<int:pk>/", admin_views.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", admin_views.post_edit, name="post_edit"),
    path("posts/<int:pk>/submit/", admin_views.post_submit, name="post_submit"),
    path("posts/<int:pk>/approve/", admin_views.post_approve, name="post_approve"),
    path("posts/<int:pk>/reject/", admin_views.post_reject, name="post_reject"),
    path("posts/<int:pk>/withdraw/", admin_views.post_withdraw, name="post_withdraw"),
    path("posts/<int:pk>/retry/", admin_views.post_retry, name="post_retry"),
    path("queue/", admin_views.approval_queue, name="queue"),
    path("inbox/", admin_views.inbox, name="inbox"),
    path("inbox/mark/", admin_views.inbox_mark, name="inbox_mark"),
    path("inbox/hide/", admin_views.inbox_hide, name="inbox_hide"),
    path("inbox/import/", admin_views.inbox_import, name="inbox_import"),
    path("inbox/<int:pk>/reply/", admin_views.inbox_reply, name="inbox_reply"),
    path("pulls/<int:pk>/resume/", admin_views.pull_resume, name="pull_resume"),
]
