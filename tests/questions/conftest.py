import pytest
from wagtail.models import Site

from portal.models import SiteSettings
from questions.models import QuestionIndexPage
from questions.services import recount_question
from tests.questions.factories import AnswerFactory, CommentFactory, QuestionFactory


@pytest.fixture
def index_page(home_page):
    page = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def site_settings(db):
    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def pre_moderation(site_settings):
    site_settings.moderation_mode = SiteSettings.ModerationMode.PRE
    site_settings.save()
    return site_settings


@pytest.fixture
def post_moderation(site_settings):
    site_settings.moderation_mode = SiteSettings.ModerationMode.POST
    site_settings.save()
    return site_settings


@pytest.fixture
def question(index_page, resident):
    """A published question asked by `resident` (who follows it, as askers do)."""
    from questions.models import Follow

    q = QuestionFactory(
        author=resident,
        title="When will the Mill Lane recycling centre reopen?",
        tags=["recycling", "bins"],
    )
    Follow.objects.create(user=resident, question=q)
    recount_question(q.pk)
    q.refresh_from_db()
    return q


@pytest.fixture
def answer(question, other_resident):
    a = AnswerFactory(question=question, author=other_resident)
    recount_question(question.pk)
    a.refresh_from_db()
    return a


@pytest.fixture
def question_factory():
    return QuestionFactory


@pytest.fixture
def answer_factory():
    return AnswerFactory


@pytest.fixture
def comment_factory():
    return CommentFactory


def thread_path(question) -> str:
    return f"/ask-the-council/{question.pk}/{question.slug}/"


def protected(**data) -> dict:
    """Form data with the anti-spam fields a real browser sends."""
    from portal.forms import form_token

    return {"form_started": form_token(), "website": "", **data}


@pytest.fixture
def make_question(index_page, question_factory):
    """A published question with its counters set from its rows."""

    def make(**kwargs):
        q = question_factory(**kwargs)
        recount_question(q.pk)
        q.refresh_from_db()
        return q

    return make
