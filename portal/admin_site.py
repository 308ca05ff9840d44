"""The Django admin, for superusers only, signed in through the one throttled sign-in page.

Officers manage content in the Wagtail admin; the Django admin is a superuser's tool (task
results, email addresses, tags). It never shows its own sign-in form: that form would let
password guessing skip allauth's throttle and lockout (ACCOUNT_RATE_LIMITS).
"""

from functools import update_wrapper

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse


class ParleyAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied
        from .views import sign_in_redirect

        return sign_in_redirect(request)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            # signed in but not a superuser: a plain refusal, not a loop through sign-in
            if (
                request.user.is_authenticated
                and not self.has_permission(request)
                and request.path != reverse("admin:logout", current_app=self.name)
            ):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, inner)
