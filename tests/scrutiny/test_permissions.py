"""Every scrutiny view and action against every role: the permission table."""

import pytest
from django.urls import reverse

from scrutiny import permissions, services
from scrutiny.models import Evidence, EvidenceExport, TriageStatus

from .factories import make_evidence

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "moderator", "coach", "committee_member", "officer", "admin_user"]
STAFF = {"officer", "admin_user"}
READERS = STAFF | {"committee_member"}
SIGNED_IN = set(ROLES) - {"anonymous"}
EVERYONE = set(ROLES)


@pytest.fixture
def world(inquiry, fake_source, make_note, admin_user):
    e = make_evidence(inquiry, text="Phone 07700 900123 about the crossing.")
    note = make_note()
    return {"inquiry": inquiry, "evidence": e, "note": note}


def _ok(response):
    return response.status_code in (200, 302) and "/accounts/login/" not in response.get(
        "Location", ""
    )


def act_view_inquiry(client, w, user, protected):
    return client.get(w["inquiry"].url)


def act_view_public_evidence(client, w, user, protected):
    return client.get(w["inquiry"].url + "evidence/")


def act_submit_evidence(client, w, user, protected):
    data = {
        "name": "Jo",
        "email": "jo@example.com",
        "text": "The junction by the library is dangerous at home time.",
        "consent_publish": "yes",
        **protected,
    }
    return client.post(w["inquiry"].url + "submit/", data)


def act_follow(client, w, user, protected):
    return client.post(w["inquiry"].url + "follow/")


def act_view_dashboard(client, w, user, protected):
    return client.get(w["inquiry"].url + "dashboard/")


def act_export(client, w, user, protected):
    return client.post(w["inquiry"].url + "dashboard/export/", {"format": "csv"})


def act_view_triage(client, w, user, protected):
    return client.get(reverse("scrutiny:triage"))


def act_bulk_triage(client, w, user, protected):
    return client.post(
        reverse("scrutiny:triage"), {"ids": [w["evidence"].pk], "action": "relevant"}
    )


def act_view_evidence(client, w, user, protected):
    return client.get(w["evidence"].get_absolute_url())


def act_change_status(client, w, user, protected):
    return client.post(w["evidence"].get_absolute_url(), {"action": "status", "status": "relevant"})


def act_tag(client, w, user, protected):
    return client.post(w["evidence"].get_absolute_url(), {"action": "themes", "themes": "Speed"})


def act_redact(client, w, user, protected):
    return client.post(
        w["evidence"].get_absolute_url(),
        {"action": "redact", "phrase": "07700 900123", "reason": "Phone number"},
    )


def act_add_oral(client, w, user, protected):
    return client.post(
        reverse("scrutiny:oral"),
        {
            "inquiry": w["inquiry"].pk,
            "witness": "Head teacher",
            "role": "Millbrook Primary",
            "said_on": "2026-03-04",
            "text": "Parents park on the zig-zags.",
            "consent_publish": "yes",
        },
    )


def act_promote(client, w, user, protected):
    token = f"portal.notification:{w['note'].pk}"
    return client.post(reverse("scrutiny:promote"), {"source": token, "inquiry": w["inquiry"].pk})


def act_promote_bulk(client, w, user, protected):
    return client.post(
        reverse("scrutiny:promote_bulk") + "?model=portal.Notification",
        {"ids": [w["note"].pk], "confirm": "1", "inquiry": w["inquiry"].pk},
    )


def act_download_own_export(client, w, user, protected):
    if user is None:
        export_owner = w["admin_user"]
    else:
        export_owner = user
    export = EvidenceExport.objects.create(
        inquiry=w["inquiry"], format="csv", requested_by=export_owner
    )
    services.export_build(export_id=export.pk)
    return client.get(reverse("scrutiny:export_download", args=[export.pk]))


ACTIONS = {
    "view_inquiry": (act_view_inquiry, EVERYONE),
    "view_public_evidence": (act_view_public_evidence, EVERYONE),
    "submit_evidence": (act_submit_evidence, EVERYONE),
    "follow": (act_follow, SIGNED_IN),
    "view_dashboard": (act_view_dashboard, READERS),
    "export": (act_export, READERS),
    "download_own_export": (act_download_own_export, READERS),
    "view_triage": (act_view_triage, STAFF),
    "bulk_triage": (act_bulk_triage, STAFF),
    "view_evidence": (act_view_evidence, READERS),
    "change_status": (act_change_status, STAFF),
    "tag": (act_tag, STAFF),
    "redact": (act_redact, STAFF),
    "add_oral": (act_add_oral, STAFF),
    "promote": (act_promote, STAFF),
    "promote_bulk": (act_promote_bulk, STAFF),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_role_action_matrix(role, action, as_role, world, protected, admin_user):
    client, user = as_role(role)
    world["admin_user"] = admin_user
    fn, allowed_roles = ACTIONS[action]
    before = Evidence.objects.count()
    response = fn(client, world, user, protected)
    allowed = role in allowed_roles
    assert _ok(response) == allowed, (role, action, response.status_code)
    if not allowed:
        if role == "anonymous":
            assert response.status_code in (302, 403)
        else:
            assert response.status_code == 403
        # nothing changed
        world["evidence"].refresh_from_db()
        assert world["evidence"].status == TriageStatus.NEW
        assert not world["evidence"].redactions.exists()
        if action in ("promote", "promote_bulk", "add_oral"):
            assert Evidence.objects.count() == before


def test_export_download_is_only_for_the_person_who_asked(
    client, inquiry, committee_member, officer
):
    export = EvidenceExport.objects.create(inquiry=inquiry, format="csv", requested_by=officer)
    services.export_build(export_id=export.pk)
    client.force_login(committee_member)
    assert client.get(reverse("scrutiny:export_download", args=[export.pk])).status_code == 403
    assert client.get(reverse("scrutiny:export_status", args=[export.pk])).status_code == 403
    client.force_login(officer)
    assert client.get(reverse("scrutiny:export_download", args=[export.pk])).status_code == 200


ABILITIES = {
    "can_view_dashboard": READERS,
    "can_export": READERS,
    "can_triage": STAFF,
    "can_promote": STAFF,
    "can_redact": STAFF,
    "can_add_oral_evidence": STAFF,
    "can_see_unpublished_evidence": READERS,
    "can_see_original_text": STAFF,
    "can_follow": SIGNED_IN,
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_functions_per_role(role, request):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    for name, allowed in ABILITIES.items():
        assert getattr(permissions, name)(user) == (role in allowed), (role, name)


def test_public_sees_only_published_evidence_with_consent(client, inquiry, officer):
    from scrutiny.models import Consent

    public = make_evidence(inquiry, text="Published point about crossings.")
    services.evidence_set_public(evidences=[public], public=True, by=officer)
    unpublished = make_evidence(inquiry, text="Not yet published point.")
    secret = make_evidence(inquiry, text="Confidential point.", consent=Consent.COMMITTEE_ONLY)
    html = client.get(inquiry.url + "evidence/").content.decode()
    assert public.reference in html
    assert unpublished.reference not in html and secret.reference not in html
    html = client.get(inquiry.url).content.decode()
    assert public.reference in html and secret.reference not in html
    for e in (public, unpublished, secret):
        r = client.get(e.get_absolute_url())
        assert r.status_code == 302  # staff page: sign in first
