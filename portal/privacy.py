"""Residents' rights under UK GDPR: a copy of their data, and erasure.

Each app contributes through two hooks, so this module knows no app:
- `parley_personal_data`: fn(user) -> [(name, rows)]; each `rows` is a list of flat dicts and
  becomes `<name>.json` and `<name>.csv` in the download.
- `parley_erase_personal_data`: fn(user, by) -> None; anonymises what the app holds about the
  person (their contributions stay, shown as "Former resident"; evidence keeps its reference with
  the author redacted and the redaction logged).
"""

import csv
import io
import json
import logging
import zipfile
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail import hooks
from wagtail.log_actions import log

from .models import Notification, User
from .text import escape_spreadsheet_cell

logger = logging.getLogger(__name__)

FORMER_RESIDENT = "Former resident"


def _portal_rows(user: User) -> list[tuple[str, list[dict]]]:
    account = {
        "email": user.email,
        "display_name": user.display_name,
        "job_title": user.job_title,
        "department": user.department,
        "email_verified": user.email_verified,
        "email_frequency": user.email_frequency,
        "x_handle": user.x_handle,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else "",
    }
    notifications = [
        {
            "created_at": n.created_at.isoformat(),
            "subject": n.subject,
            "body": n.body,
            "url": n.url,
            "sent_at": n.sent_at.isoformat() if n.sent_at else "",
        }
        for n in Notification.objects.filter(user=user).order_by("created_at")
    ]
    return [("account", [account]), ("emails_sent_to_you", notifications)]


def personal_data(user: User) -> list[tuple[str, list[dict]]]:
    """Everything we hold about `user`, as named tables."""
    tables = _portal_rows(user)
    for fn in hooks.get_hooks("parley_personal_data"):
        tables.extend(fn(user) or [])
    return tables


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    fields = []
    for row in rows:
        fields.extend(k for k in row if k not in fields)
    writer = csv.DictWriter(out, fieldnames=fields or ["(empty)"])
    writer.writeheader()
    for row in rows:
        writer.writerow({k: escape_spreadsheet_cell(v) for k, v in row.items()})
    return out.getvalue()


def personal_data_export(*, user: User) -> bytes:
    """A ZIP of JSON and CSV files holding all of `user`'s data."""
    buffer = io.BytesIO()
    tables = personal_data(user)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        index = []
        for name, rows in tables:
            archive.writestr(
                f"{name}.json", json.dumps(rows, indent=2, ensure_ascii=False, default=str)
            )
            archive.writestr(f"{name}.csv", _csv(rows))
            index.append({"file": name, "rows": len(rows)})
        archive.writestr(
            "README.txt",
            "Your data from the Have your say service, "
            f"downloaded {timezone.now():%d %B %Y at %H:%M %Z}.\n\n"
            "Each table is given twice: as JSON and as CSV (opens in a spreadsheet).\n\n"
            + "\n".join(f"- {t['file']}: {t['rows']} rows" for t in index)
            + "\n",
        )
    return buffer.getvalue()


@transaction.atomic
def account_erase(*, user: User, by: User) -> None:
    """Erase a person's personal data; keep their contributions, shown as 'Former resident'."""
    if by.pk != user.pk and not by.is_superuser:
        raise PermissionError("Only the account holder or an administrator can erase an account.")
    for fn in hooks.get_hooks("parley_erase_personal_data"):
        fn(user, by=by)
    EmailAddress.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    _erase_admin_profile(user)
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"erased-{user.pk}@invalid.example"
    user.display_name = FORMER_RESIDENT
    user.first_name = ""
    user.last_name = ""
    user.job_title = ""
    user.department = ""
    user.x_handle = ""
    user.email_verified = False
    user.email_frequency = User.EmailFrequency.NEVER
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    log(instance=user, action="parley.account_erased", user=None if by.pk == user.pk else by)


def _erase_admin_profile(user: User) -> None:
    """Wagtail's profile for staff: their avatar photo goes, the rest is preferences."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=user).first()
    if profile is not None and profile.avatar:
        profile.avatar.delete(save=False)
        profile.avatar = None
        profile.save(update_fields=["avatar"])


def purge_expired(*, now=None) -> list[tuple[str, int]]:
    """Apply the retention settings; returns what was purged, as (label, count)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PARLEY_RETENTION_UNVERIFIED_DAYS)
    unverified = User.objects.filter(
        email_verified=False, is_active=True, is_staff=False, date_joined__lt=cutoff
    ).exclude(emailaddress__verified=True)
    count = 0
    for user in unverified:
        user.delete()
        count += 1
    results = [("unverified accounts", count)]
    for fn in hooks.get_hooks("parley_retention_purges"):
        results.extend(fn(now) or [])
    return results
