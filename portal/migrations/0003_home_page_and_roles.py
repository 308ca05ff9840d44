"""Replace Wagtail's default welcome page with our HomePage, and create the role groups.

Permissions are given to the groups after every migrate by portal.roles.sync_roles, which
reads the one table of what each role may do.
"""

from django.db import migrations

ROLE_NAMES = ["Officers", "Moderators", "Social media coaches", "Scrutiny members"]


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("portal.HomePage")

    Page.objects.filter(id=2, content_type__app_label="wagtailcore").delete()
    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="portal")
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title="Have your say",
        draft_title="Have your say",
        slug="home",
        content_type=content_type,
        path=root.path + "0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, port=80)


def remove_home_page(apps, schema_editor):
    apps.get_model("portal.HomePage").objects.all().delete()


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)
    # Wagtail's starter "Editors" group is not a Parley role; Officers do that job.
    Group.objects.filter(name="Editors", user__isnull=True).delete()


def remove_groups(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_site_models"),
        ("wagtailcore", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_home_page, remove_home_page),
        migrations.RunPython(create_groups, remove_groups),
    ]
