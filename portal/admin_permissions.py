"""Holes in the admin that the permission walk (tests/trust/test_permissions_walk.py) found,
closed in one place.

- Wagtail's snippet choosers list, search and return any snippet to anyone who can open the
  admin: a social media coach could read every report (with the reporter's words) through the
  Flag chooser. A chooser now needs a permission on its model (view, add, change or delete).
- Wagtail shows a page's revision list, workflow previews and "choose a parent" screens to
  anyone with admin access; social media coaches have no rights on pages at all, so every
  /admin/pages/ URL now needs at least one page permission.
- A snippet chooser without a creation form crashed on its "create" URL: that URL is a 404.
- Requests no form of ours would send (fields missing) made some Wagtail views raise instead of
  answering: they now get a 400. Deleting something other rows still use (a channel with posts)
  raised too: it now says why it cannot be deleted.
"""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.http import url_has_allowed_host_and_scheme

SNIPPET_CHOOSER_PREFIX = "/admin/snippets/choose/"

# Admin views that crash on a POST missing fields every real form sends:
# {url name: (fields, the permission the view itself requires first)}.
REQUIRED_POST_FIELDS = {
    "wagtailadmin_choose_page_external_link": (
        ["external-link-chooser-url"],
        "wagtailadmin.access_admin",
    ),
    "wagtailredirects:process_import": (
        ["import_file_name", "input_format"],
        "wagtailredirects.add_redirect",
    ),
}


def can_choose_snippet(user, model) -> bool:
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("view", "add", "change", "delete")
    )


PAGE_ACTIONS = {"add", "change", "publish", "bulk_delete", "lock", "unlock"}


def has_any_page_permission(user) -> bool:
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return PagePermissionPolicy().user_has_any_permission(user, PAGE_ACTIONS)


def _snippet_model(path: str):
    app_label, _, rest = path[len(SNIPPET_CHOOSER_PREFIX) :].partition("/")
    model_name = rest.split("/", 1)[0]
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None


def _has_creation_form(match) -> bool:
    view_class = getattr(match.func, "view_class", None)
    initkwargs = getattr(match.func, "view_initkwargs", {}) or {}

    def attr(name):
        return initkwargs.get(name, getattr(view_class, name, None))

    return any(
        attr(name) is not None
        for name in ("creation_form_class", "form_fields", "exclude_form_fields")
    )


class AdminGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith("/admin/"):
            refusal = self._check(request, path)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _check(self, request, path):
        try:
            match = resolve(path)
        except Resolver404:
            return None
        user = request.user
        if not user.is_authenticated:
            return None  # Wagtail sends them to sign in
        if path.startswith(SNIPPET_CHOOSER_PREFIX):
            if match.url_name == "create" and not _has_creation_form(match):
                raise Http404("This chooser cannot create items.")
            model = _snippet_model(path)
            if model is not None and not can_choose_snippet(user, model):
                raise PermissionDenied
        if path.startswith("/admin/pages/") and not has_any_page_permission(user):
            raise PermissionDenied
        required, permission = REQUIRED_POST_FIELDS.get(match.view_name, ([], ""))
        if request.method == "POST" and required and user.has_perm(permission):
            if any(name not in request.POST for name in required):
                return HttpResponseBadRequest("The form was incomplete. Please try again.")
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, MultiValueDictKeyError):
            # a field every real form sends is missing: a malformed request, not our error
            return HttpResponseBadRequest("The form was incomplete. Please try again.")
        if isinstance(exception, ProtectedError | RestrictedError):
            messages.error(
                request,
                "This cannot be deleted because other records use it. "
                "Make it inactive instead, or remove what uses it first.",
            )
            back = request.META.get("HTTP_REFERER", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = "/admin/"
            return redirect(back)
        return None
