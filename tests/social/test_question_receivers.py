"""Questions published and official answers given become drafts in the coaches' queue."""

import pytest

from questions import services as question_services
from questions.models import QuestionIndexPage
from social import services
from social.models import Post, PostKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def index_page(home_page):
    page = QuestionIndexPage(title="Ask the council", slug="ask-the-council")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def _ask(resident, moderation_mode="post"):
    return question_services.question_ask(
        title="When will the Mill Lane recycling centre reopen?",
        body="It has been shut for three weeks and the sign gives no date.",
        tags=["recycling"],
        by=resident,
        moderation_mode=moderation_mode,
    )


def test_a_published_question_is_drafted_for_approval(
    channel, index_page, resident, django_capture_on_commit_callbacks, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://haveyoursay.harrowfield.gov.uk/"
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(resident)
    post = Post.objects.get()
    assert post.kind == PostKind.QUESTION and post.status == Post.Status.AWAITING
    assert post.source == question and post.topic == question
    assert "When will the Mill Lane recycling centre reopen?" in post.text
    link = "https://haveyoursay.harrowfield.gov.uk" + question.get_absolute_url()
    assert post.topic_url == link
    short = f"https://haveyoursay.harrowfield.gov.uk/ask-the-council/{question.pk}/"
    assert f"{short} " in post.text + " "
    assert post.drafted_by is None


def test_the_draft_links_to_the_short_address_so_editing_the_title_removes_personal_data(
    channel, index_page, resident, django_capture_on_commit_callbacks
):
    """Found by the browser journey: the slug repeated a phone number the coach edited out."""
    with django_capture_on_commit_callbacks(execute=True):
        question = question_services.question_ask(
            title="Can Canal Lane get a crossing patrol? Ring me on 07700 900123",
            body="",
            tags=[],
            by=resident,
            moderation_mode="post",
        )
    post = Post.objects.get()
    assert "07700-900123" in question.get_absolute_url()
    assert post.text.count("07700") == 1
    assert post.text.endswith(f"/ask-the-council/{question.pk}/")
    assert post.topic_url.endswith(question.get_absolute_url())


def test_a_question_waiting_for_moderation_is_not_drafted_until_approved(
    channel, index_page, resident, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(resident, moderation_mode="pre")
    assert not Post.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        question_services.question_approve(question=question, by=moderator)
    assert Post.objects.get().source == question


def test_an_official_answer_is_drafted_with_the_officers_name_and_department(
    channel, index_page, resident, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(resident)
        answer = question_services.answer_post(
            question=question,
            body="The centre reopens on Monday 7 December after the roof repairs.",
            by=officer,
            official=True,
        )
    post = Post.objects.get(kind=PostKind.ANSWER)
    assert post.source == answer and post.topic == question
    assert post.drafted_by == officer
    assert "The centre reopens on Monday 7 December" in post.text


def test_an_ordinary_answer_drafts_nothing(
    channel, index_page, resident, other_resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(resident)
        question_services.answer_post(
            question=question, body="I heard December.", by=other_resident
        )
    assert list(Post.objects.values_list("kind", flat=True)) == [PostKind.QUESTION]


def test_the_approved_question_is_published_to_the_sandbox_and_linked_on_the_thread(
    sandbox,
    channel,
    x_credentials,
    index_page,
    resident,
    coach,
    client,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(resident)
    post = Post.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_approve(post=post, by=coach)
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and post.external_id
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Discussed on X" in html
    assert post.external_url in html
