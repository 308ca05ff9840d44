import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from portal.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-better-passphrase"


def _link_from_last_email(pattern=r"https?://\S+"):
    body = mail.outbox[-1].body
    return re.search(pattern, body).group(0)


def _signup(client, **overrides):
    page = client.get(reverse("account_signup"))
    started = page.context["form"]["form_started"].value()
    data = {
        "display_name": "Priya",
        "email": "priya@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "form_started": started,
        "website": "",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def test_sign_up_verify_by_emailed_link_then_sign_out_and_in(client, home_page):
    response = _signup(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="priya@example.com")
    assert user.display_name == "Priya"
    assert not user.email_verified
    assert mail.outbox[-1].subject == "Confirm your email address"

    link = _link_from_last_email()
    path = link.split("testserver", 1)[-1]
    confirm_page = client.get(path)
    assert confirm_page.status_code == 200
    assert "Confirm email address" in confirm_page.content.decode()
    response = client.post(path)
    assert response.status_code == 302

    user.refresh_from_db()
    assert user.email_verified
    assert EmailAddress.objects.get(user=user).verified
    # confirming signs the new resident in
    assert client.get(reverse("portal:account")).status_code == 200

    client.post(reverse("account_logout"))
    assert client.get(reverse("portal:account")).status_code == 302

    response = client.post(
        reverse("account_login"), {"login": "priya@example.com", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("portal:account")).status_code == 200


def test_unverified_account_cannot_sign_in_until_it_confirms(client, home_page):
    _signup(client)
    client.logout()
    mail.outbox.clear()
    response = client.post(
        reverse("account_login"), {"login": "priya@example.com", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert client.get(reverse("portal:account")).status_code == 302


def test_sign_up_errors_are_shown_in_gov_uk_style(client, home_page):
    response = _signup(client, display_name="", password2="something-else")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "govuk-error-summary" in html
    assert "govuk-form-group--error" in html
    assert not User.objects.filter(email="priya@example.com").exists()


def test_sign_up_honeypot_rejects_bots(client, home_page):
    response = _signup(client, website="http://spam.example")
    assert response.status_code == 200
    assert "We could not accept this form" in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_too_fast_is_refused_with_a_clear_message(client, home_page, settings):
    settings.PARLEY_FORM_MIN_SECONDS = 60
    response = _signup(client)
    assert "That was sent very quickly" in response.content.decode()
    assert not User.objects.exists()


def test_password_reset_by_emailed_link(client, home_page):
    user = UserFactory(email="tom@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "tom@example.com"})
    assert response.status_code == 302
    assert mail.outbox[-1].subject == "Reset your password"

    link = _link_from_last_email()
    path = link.split("testserver", 1)[-1]
    response = client.get(path)  # allauth swaps the key for a session-bound URL
    assert response.status_code == 302
    response = client.post(response.url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.login(email="tom@example.com", password=NEW_PASSWORD)


def test_password_reset_for_unknown_email_does_not_reveal_it(client, home_page):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")


def test_login_is_locked_after_five_failures(client, home_page):
    UserFactory(email="ann@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "ann@example.com", "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": "ann@example.com", "password": PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert client.get(reverse("portal:account")).status_code == 302


def test_account_page_saves_display_name_and_email_frequency(client, resident):
    client.force_login(resident)
    response = client.post(
        reverse("portal:account"),
        {"display_name": "Priya E.", "email_frequency": "daily", "x_handle": "@priya_e"},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.display_name == "Priya E."
    assert resident.email_frequency == "daily"
    assert resident.x_handle == "priya_e"


def test_account_page_rejects_a_bad_x_handle(client, resident):
    client.force_login(resident)
    response = client.post(
        reverse("portal:account"),
        {"display_name": "Priya", "email_frequency": "daily", "x_handle": "no spaces!"},
    )
    assert response.status_code == 200
    assert "Enter an X handle using only letters" in response.content.decode()


def test_contributions_page_needs_sign_in(client, resident):
    assert client.get(reverse("portal:contributions")).status_code == 302
    client.force_login(resident)
    assert client.get(reverse("portal:contributions")).status_code == 200
