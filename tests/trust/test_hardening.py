"""Hardening, attacked: production settings, sign-in throttling through every sign-in door,
rate limits on every write endpoint (shared through Redis), honeypots on every public form,
and limits on every file upload."""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import override_settings

from portal import ratelimit
from tests.factories import PASSWORD, UserFactory

from .permission_table import expected
from .permission_world import ROLES, build_world, cases
from .walk import request

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def _production_env(**extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST", "REDIS_URL", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DJANGO_SECRET_KEY=uuid.uuid4().hex * 2,
        ALLOWED_HOSTS="haveyoursay.example.gov.uk",
        PARLEY_VAR_DIR=str(ROOT / "var" / "test" / "deploy-check"),
        **extra,
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRINT_SETTINGS = """
import django
django.setup()
from django.conf import settings as s
print(repr({
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_REFERRER_POLICY": s.SECURE_REFERRER_POLICY,
    "DEBUG": s.DEBUG,
    "CACHE": s.CACHES["default"]["BACKEND"],
    "CSP": s.CONTENT_SECURITY_POLICY["DIRECTIVES"],
}))
"""


def test_production_settings_are_secure_and_share_limits_through_redis():
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [PYTHON, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=_production_env(REDIS_URL="redis://127.0.0.1:6379/15"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 - our own repr()
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert values["DEBUG"] is False
    assert values["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    for directive, sources in values["CSP"].items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, directive


# Sign-in: one throttled door -------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_locks_out_after_five_failures_even_with_the_right_password(client):
    user = UserFactory()
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"login": user.email, "password": "not-the-password"}
        )
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("door", ["/admin/login/", "/django-admin/login/", "/_util/login/"])
def test_other_sign_in_doors_take_no_passwords(client, door):
    """Wagtail's and Django's sign-in forms would let guessing skip the throttle."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = client.post(f"{door}?next=/admin/", {"username": admin.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    # and the admin itself sends people to that door
    assert client.get("/admin/pages/")["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_the_django_admin_is_for_superusers_only(client):
    officer = UserFactory(is_staff=True, roles=["Officers"])
    client.force_login(officer)
    assert client.get("/django-admin/").status_code == 403
    assert client.get("/django-admin/login/").status_code == 403  # no redirect loop
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/django-admin/").status_code == 200


# Rate limits ----------------------------------------------------------------------------


@pytest.fixture
def redis_url():
    import redis

    url = os.environ.get("PARLEY_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    return url


def test_limits_hold_across_two_processes_cache_clients(redis_url, monkeypatch):
    """Two app servers each have their own connection; the count is shared in Redis."""
    from django.core.cache.backends.redis import RedisCache

    prefix = f"parley-test-{uuid.uuid4().hex}"
    first = RedisCache(redis_url, {"KEY_PREFIX": prefix})
    second = RedisCache(redis_url, {"KEY_PREFIX": prefix})
    try:
        monkeypatch.setattr(ratelimit, "cache", first)
        assert [ratelimit.hit("ask:ip:203.0.113.9", "3/60") for _ in range(2)] == [True, True]
        monkeypatch.setattr(ratelimit, "cache", second)
        assert ratelimit.hit("ask:ip:203.0.113.9", "3/60") is True
        assert ratelimit.hit("ask:ip:203.0.113.9", "3/60") is False  # the fourth, anywhere
        monkeypatch.setattr(ratelimit, "cache", first)
        assert ratelimit.hit("ask:ip:203.0.113.9", "3/60") is False
        assert ratelimit.hit("ask:ip:198.51.100.1", "3/60") is True  # other people unaffected
    finally:
        first.clear()


def _write_cases(world):
    """Every URL case some role may POST to (a "W" in the table), with that role."""
    seen = set()
    for case in cases(world):
        get_row, post_row = expected(case.key, case.label)
        if "W" not in post_row or case.key in seen:
            continue
        seen.add(case.key)
        yield case, ROLES[post_row.index("W")]


@pytest.mark.django_db
def test_every_write_endpoint_is_rate_limited(client, settings):
    """With the write budget used up, every endpoint anyone may POST to answers 429."""
    client.raise_request_exception = False
    settings.PARLEY_POST_RATE_LIMIT = "0/300"
    world = build_world()
    checked, unlimited = 0, []
    for case, role in _write_cases(world):
        client.logout()
        if role != "anonymous":
            client.force_login(world[role])
        response = request(client, "POST", case.path)
        checked += 1
        if response.status_code != 429 or not response.has_header("Retry-After"):
            unlimited.append(f"{case.key} ({role}): {response.status_code}")
    assert checked > 100
    assert unlimited == []
    # PUT, PATCH and DELETE count too
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)("/account/").status_code == 429


@pytest.mark.django_db
def test_a_budget_of_zero_refuses_the_first_write(settings):
    assert ratelimit.hit("x", "0/60") is False
    assert ratelimit.hit("y", "1/60") is True
    assert ratelimit.hit("y", "1/60") is False


# Honeypots on every public form --------------------------------------------------------

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
METHOD_POST = re.compile(r"method=[\"']post[\"']", re.I)
ACTION = re.compile(r"action=[\"']([^\"']*)[\"']", re.I)

# POST forms on public pages that need no honeypot, and why.
NO_HONEYPOT = {
    "/accounts/login/": "sign-in is throttled per address and account, with lockout",
    "/accounts/logout/": "signing out",
    "/accounts/password/reset/": "throttled per address and account; says nothing either way",
    "/accounts/email/": "signed in; throttled by allauth",
    "/accounts/password/change/": "signed in; needs the current password",
    "/accounts/reauthenticate/": "signed in; needs the password",
    "/accounts/reauthenticate/code/": "signed in; needs a code sent by email",
    "/account/": "signed in: the person's own settings",
    "/account/your-data/": "signed in: downloading one's own data",
    "/account/delete/": "signed in; needs the password",
    "/vote/": "one click by a signed-in, verified account; one vote per person",
    "/follow/": "one click by a signed-in, verified account",
    "/unfollow/": "one click by a signed-in, verified account",
    "/accept/": "one click by the asker",
    "/official/": "officers only",
    "/_util/authenticate_with_password/": "a page's password: 10 tries per 10 minutes per address",
}


def _exempt(action: str) -> bool:
    path = action.split("?")[0]
    return any(path.endswith(part) or path.startswith(part) for part in NO_HONEYPOT)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "resident"])
def test_every_public_form_has_the_honeypot(client, role):
    world = build_world()
    if role != "anonymous":
        client.force_login(world[role])
    forms_seen, missing = 0, []
    for case in cases(world):
        if case.key.startswith(("admin/", "django-admin/")):
            continue
        response = request(client, "GET", case.path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in FORM.findall(response.content.decode()):
            if not METHOD_POST.search(form.split(">", 1)[0]):
                continue
            action = (ACTION.search(form.split(">", 1)[0]) or [None, case.path])[1]
            action = action or case.path
            if _exempt(action):
                continue
            forms_seen += 1
            if 'name="website"' not in form or 'name="form_started"' not in form:
                missing.append(f"{case.path} -> {action}")
    assert forms_seen >= 3  # signing up, responding, submitting evidence (and more signed in)
    assert sorted(set(missing)) == [], "\n".join(sorted(set(missing)))


# Uploads ---------------------------------------------------------------------------------

# Every file field in every installed model, and what protects it.
FILE_FIELDS = {
    "wagtailimages.Image.file": "size (WAGTAILIMAGES_MAX_UPLOAD_SIZE), extension, image format",
    "wagtailimages.Rendition.file": "made by the server from an image",
    "wagtaildocs.Document.file": "size (WAGTAILDOCS_MAX_UPLOAD_SIZE) and extension",
    "wagtailusers.UserProfile.avatar": "request size cap; must decode as an image",
    "scrutiny.EvidenceExport.file": "made by the server (evidence packs)",
    "wagtailcore.UploadedFile.file": "staging for the image and document forms above",
}


def test_every_file_field_is_accounted_for():
    found = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert sorted(found - FILE_FIELDS.keys()) == [], "new file field: limit and test it"


@pytest.mark.django_db
def test_image_uploads_are_checked_for_size_extension_and_content(settings):
    from wagtail.images import get_image_model
    from wagtail.images.forms import get_image_form
    from wagtail.images.tests.utils import get_test_image_file

    form_class = get_image_form(get_image_model())
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    big = get_test_image_file(size=(800, 800))
    form = form_class({"title": "Map"}, {"file": big})
    assert not form.is_valid() and "file" in form.errors
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    fake = SimpleUploadedFile("map.png", b"<script>alert(1)</script>", "image/png")
    assert not form_class({"title": "Map"}, {"file": fake}).is_valid()
    svg = SimpleUploadedFile("map.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert not form_class({"title": "Map"}, {"file": svg}).is_valid()


@pytest.mark.django_db
def test_document_uploads_are_checked_for_size_and_extension():
    from wagtail.documents import get_document_model
    from wagtail.documents.forms import get_document_form

    form_class = get_document_form(get_document_model())
    exe = SimpleUploadedFile("report.exe", b"MZ....")
    assert not form_class({"title": "Report"}, {"file": exe}).is_valid()
    html = SimpleUploadedFile("report.html", b"<script>alert(1)</script>")
    assert not form_class({"title": "Report"}, {"file": html}).is_valid()
    with override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=10):
        big = SimpleUploadedFile("report.pdf", b"%PDF-1.4" + b"0" * 100)
        form = get_document_form(get_document_model())({"title": "Report"}, {"file": big})
        assert not form.is_valid()
    ok = SimpleUploadedFile("report.pdf", b"%PDF-1.4 fine")
    assert form_class({"title": "Report"}, {"file": ok}).is_valid()


@pytest.mark.django_db
def test_oversized_requests_are_refused_before_any_view_reads_them(client, settings):
    settings.PARLEY_MAX_REQUEST_BYTES = 1000
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    upload = SimpleUploadedFile("avatar.png", b"0" * 5000, "image/png")
    response = client.post("/admin/account/", {"avatar-avatar": upload})
    assert response.status_code == 413
    assert "too large" in response.content.decode()
