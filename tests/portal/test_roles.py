import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from portal import roles
from portal.roles import ROLES, has_role, is_staff_member

pytestmark = pytest.mark.django_db


def _perms(group):
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_every_role_exists_as_a_group_with_exactly_its_permissions():
    for name, role in ROLES.items():
        group = Group.objects.get(name=name)
        media = {p for p in role.permissions if p.startswith(("wagtailimages.", "wagtaildocs."))}
        assert _perms(group) == set(role.permissions) - media
        collection = {
            f"{gcp.permission.content_type.app_label}.{gcp.permission.codename}"
            for gcp in GroupCollectionPermission.objects.filter(group=group)
        }
        assert collection == media
        page = {gpp.permission.codename for gpp in GroupPagePermission.objects.filter(group=group)}
        assert page == set(role.page_permissions)


def test_officers_edit_pages_but_moderators_publish_them():
    officers = Group.objects.get(name=roles.OFFICERS)
    moderators = Group.objects.get(name=roles.MODERATORS)
    officer_pages = set(
        GroupPagePermission.objects.filter(group=officers).values_list(
            "permission__codename", flat=True
        )
    )
    moderator_pages = set(
        GroupPagePermission.objects.filter(group=moderators).values_list(
            "permission__codename", flat=True
        )
    )
    assert "change_page" in officer_pages and "publish_page" not in officer_pages
    assert "publish_page" in moderator_pages


def test_scrutiny_members_cannot_reach_the_admin(committee_member, client):
    assert not committee_member.has_perm("wagtailadmin.access_admin")
    client.force_login(committee_member)
    response = client.get("/admin/")
    assert response.status_code in (302, 403)


def test_staff_roles_can_reach_the_admin(officer, moderator, coach, client):
    for user in (officer, moderator, coach):
        client.force_login(user)
        assert client.get("/admin/").status_code == 200


def test_has_role(resident, officer, admin_user):
    assert not has_role(resident, roles.OFFICERS)
    assert has_role(officer, roles.OFFICERS)
    assert not has_role(officer, roles.MODERATORS)
    assert has_role(admin_user, roles.MODERATORS)
    assert is_staff_member(officer) and not is_staff_member(resident)


def test_sync_is_idempotent_and_repairs_drift():
    group = Group.objects.get(name=roles.OFFICERS)
    group.permissions.clear()
    roles.sync_roles()
    roles.sync_roles()
    media = ("wagtailimages.", "wagtaildocs.")
    wanted = {p for p in ROLES[roles.OFFICERS].permissions if not p.startswith(media)}
    assert _perms(group) == wanted


def test_wagtail_starter_editors_group_is_gone():
    assert not Group.objects.filter(name="Editors").exists()
