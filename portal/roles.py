"""What each role may do: the one place that says so.

Roles are Django groups (created by a data migration). After every `migrate`, `sync_roles`
gives each group exactly the permissions listed here, so this table is the truth and the
admin's group screens only show it. Apps add their own permissions to the table as they grow.
"""

from dataclasses import dataclass, field

from django.apps import apps as global_apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS

OFFICERS = "Officers"
MODERATORS = "Moderators"
COACHES = "Social media coaches"
SCRUTINY = "Scrutiny members"

ALL_ROLES = (OFFICERS, MODERATORS, COACHES, SCRUTINY)

# Wagtail page permissions granted on the whole page tree.
PAGE_EDIT = ["add_page", "change_page", "lock_page", "unlock_page"]
PAGE_PUBLISH = [*PAGE_EDIT, "publish_page", "bulk_delete_page"]
MEDIA = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
# Scrutiny (scrutiny/permissions.py): committee members read dashboards and export packs;
# officers also triage, promote contributions to evidence and redact.
SCRUTINY_READ = ["scrutiny.view_dashboard", "scrutiny.export_evidence", "scrutiny.view_evidence"]
SCRUTINY_WORK = [
    "scrutiny.triage_evidence",
    "scrutiny.promote_evidence",
    "scrutiny.redact_evidence",
    "scrutiny.change_evidence",
]

# social: officers draft posts to X and work the reply inbox; coaches approve, edit and reject
# drafts and look after the wording templates.
SOCIAL_OFFICER = [
    "social.add_post",
    "social.change_post",
    "social.view_post",
    "social.view_channel",
    "social.view_reply",
    "social.change_reply",
]
SOCIAL_COACH = [
    "social.add_post",
    "social.change_post",
    "social.view_post",
    "social.approve_post",
    "social.view_channel",
    "social.view_posttemplate",
    "social.change_posttemplate",
]


# Consultations: officers and moderators read and export responses and post meeting updates.
CONSULTATION_STAFF = [
    "consultations.view_consultationresponse",
    "consultations.export_consultationresponse",
    "consultations.add_liveupdate",
    "consultations.change_liveupdate",
    "consultations.delete_liveupdate",
    "consultations.view_liveupdate",
]

# Officers give official answers; moderators moderate (questions/permissions.py).
QUESTION_OFFICERS = [
    "questions.give_official_answer",
    "questions.view_question",
    "questions.view_answer",
    "questions.view_comment",
]
QUESTION_MODERATORS = [
    "questions.moderate_question",
    "questions.view_question",
    "questions.change_question",
    "questions.view_answer",
    "questions.view_comment",
    "questions.view_flag",
]


@dataclass(frozen=True)
class Role:
    description: str
    permissions: list[str] = field(default_factory=list)
    page_permissions: list[str] = field(default_factory=list)


ROLES: dict[str, Role] = {
    OFFICERS: Role(
        description=(
            "Staff who publish consultations and meeting updates, give official answers, "
            "draft posts to X, work the reply inbox and triage evidence. Their page edits go "
            "through the approval workflow."
        ),
        permissions=[
            "wagtailadmin.access_admin",
            *MEDIA,
            *CONSULTATION_STAFF,
            *QUESTION_OFFICERS,
            *SOCIAL_OFFICER,
            *SCRUTINY_READ,
            *SCRUTINY_WORK,
        ],
        page_permissions=PAGE_EDIT,
    ),
    MODERATORS: Role(
        description=(
            "Staff who approve, reject, merge and close residents' questions, handle reports, "
            "and approve pages for publication."
        ),
        permissions=[
            "wagtailadmin.access_admin",
            *MEDIA,
            *CONSULTATION_STAFF,
            *QUESTION_MODERATORS,
        ],
        page_permissions=PAGE_PUBLISH,
    ),
    COACHES: Role(
        description=(
            "Experienced social media staff who approve, edit or reject drafts before they are "
            "posted to X, and coach the officers who wrote them."
        ),
        permissions=["wagtailadmin.access_admin", *SOCIAL_COACH],
    ),
    SCRUTINY: Role(
        description=(
            "Councillors and co-opted members of scrutiny committees: they read inquiry "
            "dashboards and export evidence packs, and change nothing."
        ),
        permissions=[*SCRUTINY_READ],
    ),
}


def user_roles(user) -> frozenset[str]:
    """The role names a user holds (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_parley_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(ALL_ROLES)
        else:
            names = user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True)
            cached = frozenset(names)
        user._parley_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    """True when the user holds any of `roles` (superusers hold them all)."""
    return bool(user_roles(user).intersection(roles))


def is_staff_member(user) -> bool:
    return has_role(user, OFFICERS, MODERATORS, COACHES)


def _resolve(app_label_codename: str, Permission):  # noqa: N803
    app_label, codename = app_label_codename.split(".", 1)
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if perm is None:
        raise ImproperlyConfigured(
            f"roles.py names a permission that does not exist: {app_label_codename}"
        )
    return perm


def sync_roles(using: str = DEFAULT_DB_ALIAS, apps=global_apps) -> None:
    """Give every role group exactly the permissions ROLES lists (idempotent)."""
    from django.contrib.auth.management import create_permissions

    # post_migrate reaches portal before django.contrib.auth has made the later apps'
    # permissions, so make them first (create_permissions is idempotent).
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)

    Group = apps.get_model("auth", "Group")  # noqa: N806
    Permission = apps.get_model("auth", "Permission")  # noqa: N806
    Page = apps.get_model("wagtailcore", "Page")  # noqa: N806
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")  # noqa: N806
    Collection = apps.get_model("wagtailcore", "Collection")  # noqa: N806
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")  # noqa: N806

    root_page = Page.objects.using(using).filter(depth=1).first()
    root_collection = Collection.objects.using(using).filter(depth=1).first()

    for name, role in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = [_resolve(p, Permission) for p in role.permissions]
        model_perms = [
            p for p in wanted if p.content_type.app_label not in {"wagtailimages", "wagtaildocs"}
        ]
        media_perms = [
            p for p in wanted if p.content_type.app_label in {"wagtailimages", "wagtaildocs"}
        ]
        group.permissions.set(model_perms)

        if root_collection is not None:
            GroupCollectionPermission.objects.using(using).filter(group=group).exclude(
                permission__in=media_perms
            ).delete()
            for perm in media_perms:
                GroupCollectionPermission.objects.using(using).get_or_create(
                    group=group, collection=root_collection, permission=perm
                )

        if root_page is not None:
            page_perms = [_resolve(f"wagtailcore.{c}", Permission) for c in role.page_permissions]
            GroupPagePermission.objects.using(using).filter(group=group).exclude(
                permission__in=page_perms
            ).delete()
            for perm in page_perms:
                GroupPagePermission.objects.using(using).get_or_create(
                    group=group, page=root_page, permission=perm
                )


def sync_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    sync_roles(using=using, apps=apps)
