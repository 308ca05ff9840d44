"""Making the walk's requests and saying what each response means."""

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction

# What a response means for the permission table.
OK = "ok"  # 2xx, or a redirect that is not to a sign-in page or an admin refusal
LOGIN = "login"  # 302 to a sign-in page
DENIED = "denied"  # 403, or the Wagtail admin's "you do not have permission" redirect
NOT_FOUND = "404"
NOT_ALLOWED = "405"  # method not allowed (POST on a read-only view)
BAD = "400"  # the request was understood and refused as malformed (after the permission check)
SERVER_ERROR = "500"
OTHER = "other"

LOGIN_PATHS = ("/accounts/login/", "/admin/login/", "/django-admin/login/", "/_util/login/")
EVIL = "//evil.example/"


def classify(response) -> str:
    status = response.status_code
    if status >= 500:
        return SERVER_ERROR
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        refused = [
            m
            for m in get_messages(response.wsgi_request)
            if "not have permission" in str(m) or "don't have permission" in str(m)
        ]
        if refused:
            return DENIED
        if any(location.split("?")[0].endswith(p) for p in LOGIN_PATHS):
            return LOGIN
        return OK
    if 200 <= status < 300:
        return OK
    return {403: DENIED, 404: NOT_FOUND, 405: NOT_ALLOWED, 400: BAD}.get(status, OTHER)


def request(client, method: str, path: str):
    """One request whose effects are rolled back, so every request sees the same world.

    Every request also carries `next=//evil.example/`: whatever a view does with it, it must
    never send the browser to another site.
    """
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    cache.clear()  # rate limits count per test, not across the whole walk
    joiner = "&" if "?" in path else "?"
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(f"{path}{joiner}next={EVIL}")
            else:
                response = client.post(path, {"next": EVIL})
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response
