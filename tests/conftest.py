import pytest
from django.core.cache import cache

from portal import roles
from tests.factories import UserFactory
from tests.search.index_fixtures import reset_search_index  # noqa: F401


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits and cached settings live in the cache: start each test empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_search_index(reset_search_index):  # noqa: F811
    """The index is outside the database: documents of rolled-back rows would outlive them
    (and match reused primary keys), so every test starts with an empty index."""


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def home_page(db):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def resident(db):
    return UserFactory(display_name="Priya")


@pytest.fixture
def other_resident(db):
    return UserFactory(display_name="Tom")


@pytest.fixture
def officer(db):
    return UserFactory(
        display_name="Dan Okafor",
        job_title="Neighbourhood Services Officer",
        department="Environment and Streets",
        is_staff=True,
        roles=[roles.OFFICERS],
    )


@pytest.fixture
def moderator(db):
    return UserFactory(display_name="Ruth", is_staff=True, roles=[roles.MODERATORS])


@pytest.fixture
def coach(db):
    return UserFactory(display_name="Sam", is_staff=True, roles=[roles.COACHES])


@pytest.fixture
def committee_member(db):
    return UserFactory(display_name="Cllr Osei", roles=[roles.SCRUTINY])


@pytest.fixture
def admin_user(db):
    return UserFactory(display_name="Admin", is_staff=True, is_superuser=True)


ROLE_FIXTURES = [
    "anonymous",
    "resident",
    "other_resident",
    "officer",
    "moderator",
    "coach",
    "committee_member",
    "admin_user",
]


@pytest.fixture
def as_role(request, client):
    """Return a client signed in as the named role fixture ("anonymous" for none)."""

    def sign_in(role: str):
        client.logout()
        if role != "anonymous":
            user = request.getfixturevalue(role)
            client.force_login(user)
            return client, user
        return client, None

    return sign_in


def pytest_runtest_setup(item):
    """Let a serialized-rollback test follow a plain transactional one.

    A plain transactional test ends with a flush that runs post_migrate, which recreates the
    roles' groups with new ids; restoring the serialized migration data then collides with
    them. When the data is gone (no default site), empty the database without post_migrate so
    the restore brings back the originals."""
    marker = item.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("serialized_rollback"):
        return
    from django.db import connection

    name = str(connection.settings_dict.get("NAME") or "")
    if (
        not getattr(connection, "_test_serialized_contents", None)
        or "test" not in name + str(connection.settings_dict.get("TEST", {}).get("NAME") or "")
        and "memory" not in name
    ):
        return
    from django.core.management import call_command
    from pytest_django.plugin import blocking_manager_key
    from wagtail.models import Site

    with item.config.stash[blocking_manager_key].unblock():
        if not Site.objects.exists():
            # empty it again, this time without post_migrate, so the restore starts clean
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
