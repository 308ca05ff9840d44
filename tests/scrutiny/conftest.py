import pytest

from portal.forms import form_token
from scrutiny import sources
from scrutiny.models import Consent, SourceKind

from .factories import make_index, make_inquiry


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PARLEY_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def inquiry_index(home_page):
    return make_index(home_page)


@pytest.fixture
def inquiry(inquiry_index):
    return make_inquiry(inquiry_index)


@pytest.fixture
def closed_inquiry(inquiry_index):
    from datetime import date, timedelta

    return make_inquiry(
        inquiry_index,
        slug="libraries",
        title="Access to library services",
        opens=date.today() - timedelta(days=60),
        closes=date.today() - timedelta(days=5),
    )


@pytest.fixture
def protected():
    return {"form_started": form_token(), "website": ""}


class NotificationAdapter(sources.SourceAdapter):
    """A stand-in source for the generic ledger tests: a portal Notification's text."""

    kind = SourceKind.QUESTION
    model_label = "portal.Notification"
    related = ("user",)

    def capture(self, obj):
        return sources.Captured(
            text=self.current_text(obj),
            said_at=obj.created_at,
            consent=Consent.COMMITTEE_ONLY if obj.kind == "private" else Consent.PUBLIC,
            title=obj.subject,
            url=obj.url,
            author_name=obj.user.public_name,
            author_user=obj.user,
        )

    def current_text(self, obj):
        if obj.kind == "removed":
            return None
        return obj.body


@pytest.fixture
def fake_source():
    """Registers Notification as a promotable source for the duration of a test."""
    adapter = sources.register(NotificationAdapter())
    yield adapter
    sources.unregister(adapter.model_label)


@pytest.fixture
def make_note(resident):
    from portal.models import Notification

    def make(body="Cars speed past the school gates at 8.45 every morning.", **kw):
        return Notification.objects.create(
            user=kw.pop("user", resident),
            kind=kw.pop("kind", "test"),
            subject="Speeding",
            body=body,
            **kw,
        )

    return make
