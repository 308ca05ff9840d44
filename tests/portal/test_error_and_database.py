"""The custom 500 page through the real handler, and SQLite really in WAL mode."""

import pytest
from django.db import DatabaseError, connection
from django.test import Client, override_settings
from django.urls import path

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("something broke")


urlpatterns = [path("boom/", _boom)]
handler500 = "portal.views.server_error"


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_an_unhandled_error_gets_the_gov_uk_500_page(home_page, settings):
    from wagtail.models import Site

    from portal.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.organisation_name = "Harrowfield Borough Council"
    site_settings.contact_email = "haveyoursay@harrowfield.gov.uk"
    site_settings.save()
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert 'class="govuk-skip-link"' in html and 'class="govuk-header' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in html
    assert "Harrowfield Borough Council" in html
    assert 'href="mailto:haveyoursay@harrowfield.gov.uk"' in html
    assert "something broke" not in html and "Traceback" not in html


def test_the_500_page_still_renders_when_the_database_is_what_failed(rf, monkeypatch):
    from portal import context_processors
    from portal.views import server_error

    def broken(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(context_processors, "Chrome", broken)
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert 'class="govuk-header' in html
    assert "Sorry, there is a problem with the service" in html
    assert "database is locked" not in html


def test_sqlite_databases_run_in_wal_mode(tmp_path):
    """The settings' SQLite options really switch a database file to WAL (and IMMEDIATE)."""
    if connection.vendor != "sqlite":
        pytest.skip("WAL is a SQLite setting; this run uses another database")
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "wal.sqlite3")}
    wrapper = DatabaseWrapper(settings_dict, alias="wal-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL: safe with WAL, fewer fsyncs
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()
    assert (tmp_path / "wal.sqlite3-wal").exists() or (tmp_path / "wal.sqlite3").exists()


def test_the_default_database_is_sqlite_in_wal_mode_without_database_url(tmp_path):
    """A fresh checkout (no DATABASE_URL) gets SQLite under var/ with the WAL options."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PARLEY_VAR_DIR": str(tmp_path / "var"),
    }
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "print(connection.vendor, connection.settings_dict['NAME'], c.fetchone()[0])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    vendor, name, mode = result.stdout.split()
    assert vendor == "sqlite" and name == str(tmp_path / "var" / "db.sqlite3") and mode == "wal"
