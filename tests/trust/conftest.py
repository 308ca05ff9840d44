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
