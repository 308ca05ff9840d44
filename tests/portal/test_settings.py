"""Production settings: secrets required, deployment checks clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args, env_extra):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests (tests/e2e/conftest.py) and must
    # not leak into a production check run from the same session.
    dropped = {"DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.production", **env_extra})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(["check"], {})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "haveyoursay.example"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
