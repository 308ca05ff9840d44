import pytest

from .factories import make_consultation, make_index, make_meeting, make_meeting_index


@pytest.fixture
def consultation_index(home_page):
    return make_index(home_page)


@pytest.fixture
def consultation(consultation_index):
    return make_consultation(consultation_index)


@pytest.fixture
def meeting_index(home_page):
    return make_meeting_index(home_page)


@pytest.fixture
def meeting(meeting_index):
    return make_meeting(meeting_index)
