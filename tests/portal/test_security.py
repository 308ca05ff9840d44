"""The public site's security headers, and a guard that keeps inline code out of templates."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
# Emails are rendered by mail clients, not browsers under our policy.
EMAIL_DIRS = {TEMPLATES / "emails", TEMPLATES / "account" / "email"}

INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
INLINE_STYLE_ATTR = re.compile(r"\sstyle=\"", re.I)
INLINE_STYLE_TAG = re.compile(r"<style[\s>]", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+=\"", re.I)


@pytest.mark.django_db
def test_public_pages_send_a_strict_content_security_policy(client, home_page):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def _site_templates():
    for path in TEMPLATES.rglob("*.html"):
        if any(parent in EMAIL_DIRS for parent in path.parents):
            continue
        if path.parts[len(TEMPLATES.parts)] in {"wagtailusers", "wagtailadmin"}:
            continue  # admin templates live under the admin's own policy
        yield path


def test_no_template_has_inline_scripts_styles_or_event_handlers():
    offenders = []
    for path in _site_templates():
        text = path.read_text()
        for name, pattern in [
            ("inline <script>", INLINE_SCRIPT),
            ("style attribute", INLINE_STYLE_ATTR),
            ("<style> element", INLINE_STYLE_TAG),
            ("on* event handler", EVENT_HANDLER),
        ]:
            if pattern.search(text):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
