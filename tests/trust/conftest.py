"""Fixtures for the trust tests: the other folders' builders, shared here."""

import pytest

from tests.consultations.factories import (
    make_consultation,
    make_index,
    make_meeting,
    make_meeting_index,
)
from tests.questions.conftest import (  # noqa: F401 - fixtures used by name
    answer,
    index_page,
    question,
    site_settings,
)
from tests.scrutiny.factories import make_index as make_inquiry_index
from tests.scrutiny.factories import make_inquiry


@pytest.fixture
def consultation(home_page):
    return make_consultation(make_index(home_page))


@pytest.fixture
def meeting(home_page):
    return make_meeting(make_meeting_index(home_page))


@pytest.fixture
def inquiry(home_page, settings, tmp_path):
    settings.PARLEY_PRIVATE_ROOT = tmp_path / "private"
    return make_inquiry(make_inquiry_index(home_page))


@pytest.fixture(autouse=True)
def _sequences_follow_restored_rows(request):
    """On PostgreSQL, a serialized-rollback test's restored rows keep their ids while the flush
    before it reset the sequences: move the sequences past the restored rows."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("serialized_rollback")):
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
