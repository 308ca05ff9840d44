import pytest
from django import forms
from django.test import RequestFactory

from portal import ratelimit
from portal.forms import ProtectedFormMixin
from portal.scheduling import run_due_jobs

pytestmark = pytest.mark.django_db


class AskForm(ProtectedFormMixin, forms.Form):
    title = forms.CharField()


def test_protected_form_accepts_a_person():
    blank = AskForm()
    form = AskForm(
        {
            "title": "When are bins collected?",
            "website": "",
            "form_started": blank["form_started"].value(),
        }
    )
    assert form.is_valid(), form.errors


def test_protected_form_rejects_a_forged_timestamp():
    form = AskForm({"title": "x", "website": "", "form_started": "123"})
    assert not form.is_valid()
    assert "This form has expired" in str(form.non_field_errors())


def test_rate_limit_counts_per_user_and_per_ip(resident):
    request = RequestFactory().post("/")
    request.user = resident
    for _ in range(3):
        ratelimit.check(request, "ask", per_user="3/60")
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check(request, "ask", per_user="3/60")


def test_site_wide_post_limit_answers_429_with_a_friendly_page(client, settings, home_page):
    settings.PARLEY_POST_RATE_LIMIT = "2/60"
    client.post("/accounts/login/", {})
    client.post("/accounts/login/", {})
    response = client.post("/accounts/login/", {})
    assert response.status_code == 429
    assert "You have done that too many times" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_scheduler_enqueues_each_job_once_per_interval(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = run_due_jobs()
        second = run_due_jobs()
    assert "portal.daily_digests" in first
    assert second == []
