import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.models import ModelLogEntry

from portal import privacy
from portal.models import Notification, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_download_contains_every_table_as_json_and_csv(client, resident):
    Notification.objects.create(user=resident, kind="t", subject="=HYPERLINK(1)", body="hi")

    def extra(user):
        return [
            ("extra_table", [{"title": "When are bins collected?", "author": user.display_name}])
        ]

    client.force_login(resident)
    with hooks.register_temporarily("parley_personal_data", extra):
        page = client.get(reverse("portal:your_data"))
        assert "Emails sent to you" in page.content.decode()
        response = client.post(reverse("portal:your_data"))

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {
        "account.json",
        "account.csv",
        "extra_table.json",
        "extra_table.csv",
        "README.txt",
    } <= names
    account = json.loads(archive.read("account.json"))[0]
    assert account["email"] == resident.email
    assert "When are bins collected?" in archive.read("extra_table.csv").decode()
    # spreadsheet exports never carry a live formula
    assert "'=HYPERLINK(1)" in archive.read("emails_sent_to_you.csv").decode()


def test_deleting_an_account_erases_personal_data_and_keeps_the_row(client, resident):
    erased = []
    client.force_login(resident)
    with hooks.register_temporarily(
        "parley_erase_personal_data", lambda user, by: erased.append((user.pk, by.pk))
    ):
        bad = client.post(reverse("portal:delete_account"), {"password": "wrong"})
        assert "The password is not correct" in bad.content.decode()
        assert "Confirm that you understand" in bad.content.decode()
        response = client.post(
            reverse("portal:delete_account"), {"password": PASSWORD, "understood": "on"}
        )

    assert response.status_code == 302
    assert erased == [(resident.pk, resident.pk)]
    user = User.objects.get(pk=resident.pk)
    assert user.display_name == privacy.FORMER_RESIDENT
    assert user.email.startswith("erased-") and not user.is_active
    assert not user.has_usable_password()
    assert ModelLogEntry.objects.filter(action="parley.account_erased").exists()
    assert client.get(reverse("portal:account")).status_code == 302


def test_only_the_holder_or_an_admin_can_erase(resident, other_resident, admin_user):
    with pytest.raises(PermissionError):
        privacy.account_erase(user=resident, by=other_resident)
    privacy.account_erase(user=resident, by=admin_user)
    assert User.objects.get(pk=resident.pk).display_name == privacy.FORMER_RESIDENT


def test_purge_removes_old_unverified_accounts_only(settings):
    settings.PARLEY_RETENTION_UNVERIFIED_DAYS = 30
    old = UserFactory(email_verified=False)
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - timedelta(days=31))
    recent = UserFactory(email_verified=False)
    verified = UserFactory()
    User.objects.filter(pk=verified.pk).update(date_joined=timezone.now() - timedelta(days=400))

    results = dict(privacy.purge_expired())

    assert results["unverified accounts"] == 1
    assert not User.objects.filter(pk=old.pk).exists()
    assert User.objects.filter(pk__in=[recent.pk, verified.pk]).count() == 2
