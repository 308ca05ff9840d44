"""The root URLconf: the one place (with seed_demo) that knows every app."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as document_serve

from . import ratelimit, tour, views

handler500 = views.server_error

PAGE_PASSWORD_LIMIT = ratelimit.rate_limit("page-password", per_ip="10/600")

urlpatterns = [
    # One sign-in page for everyone (allauth's: throttled, with lockout); the admins' own
    # sign-in and the private-page sign-in send people there instead of taking passwords.
    path("admin/login/", views.sign_in_redirect),
    path("django-admin/login/", views.sign_in_redirect),
    path("_util/login/", views.sign_in_redirect),
    # Passwords on private pages and documents: a few tries per address, not the site's 300.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        PAGE_PASSWORD_LIMIT(wagtail_views.authenticate_with_password),
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        PAGE_PASSWORD_LIMIT(document_serve.authenticate_with_password),
        name="wagtaildocs_authenticate_with_password",
    ),
    # Wagtail's deliberate-crash page for testing error reporting: not on a public service.
    path("admin/failwhale/", views.not_found),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("account/", include("portal.account_urls")),
    path("scrutiny/", include("scrutiny.urls")),
    path("search/", include("search.urls")),
    path("tour/", tour.tour, name="tour"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's page serving last: it matches everything else.
    path("", include(wagtail_urls)),
]
