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
