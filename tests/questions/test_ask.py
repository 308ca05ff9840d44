import pytest

from questions import signals
from questions.models import Follow, Question
from tests.questions.conftest import protected, thread_path

pytestmark = pytest.mark.django_db

ASK = "/ask-the-council/ask/"


def test_asking_needs_an_account(client, index_page):
    response = client.get(ASK)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/ask-the-council/ask/")


def test_ask_form_has_the_suggestions_module_and_house_rules(client, resident, index_page):
    client.force_login(resident)
    html = client.get(ASK).content.decode()
    assert 'data-parley-module="question-suggestions"' in html
    assert 'data-suggest-url="/ask-the-council/suggest/"' in html
    assert 'role="status"' in html
    assert "house rules" in html
    assert 'name="website"' in html  # the honeypot
    assert "<script>" not in html.split("</head>")[1].split('<script src="/static/js/govuk')[0]


def test_no_js_path_shows_similar_questions_before_storing(
    client, resident, make_question, pre_moderation
):
    existing = make_question(title="When will the Mill Lane recycling centre reopen?")
    client.force_login(resident)
    data = protected(title="Is the Mill Lane recycling centre going to reopen soon?", body="")
    response = client.post(ASK, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Has your question already been asked?" in html
    assert existing.title in html
    assert Question.objects.count() == 1  # nothing stored yet

    # "Post my question" sends the same answers back with checked=1
    response = client.post(ASK, {**data, "checked": "1", "action": "submit"})
    assert response.status_code == 302
    question = Question.objects.exclude(pk=existing.pk).get()
    assert question.status == Question.Status.PENDING
    assert response["Location"] == thread_path(question)


def test_check_step_can_go_back_to_change_the_question(client, resident, make_question):
    make_question(title="When will the Mill Lane recycling centre reopen?")
    client.force_login(resident)
    data = protected(title="Is the Mill Lane recycling centre going to reopen soon?", tags="bins")
    response = client.post(ASK, {**data, "checked": "1", "action": "change"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ask a question" in html
    assert 'value="Is the Mill Lane recycling centre going to reopen soon?"' in html
    assert Question.objects.count() == 1


def test_js_path_stores_at_once_when_suggestions_were_shown(
    client, resident, make_question, pre_moderation
):
    make_question(title="When will the Mill Lane recycling centre reopen?")
    client.force_login(resident)
    response = client.post(
        ASK,
        protected(
            title="Is the Mill Lane recycling centre going to reopen soon?",
            body="The gate has been locked for a month.",
            tags="recycling, Bins, bins",
            checked="1",
        ),
    )
    assert response.status_code == 302
    question = Question.objects.get(title__startswith="Is the Mill Lane")
    assert question.body == "The gate has been locked for a month."
    assert sorted(question.tags.names()) == ["bins", "recycling"]
    assert question.author == resident
    # the asker follows their own question
    assert Follow.objects.filter(user=resident, question=question).exists()
    assert question.follower_count == 1


def test_question_without_similar_ones_is_stored_without_a_check_step(client, resident, index_page):
    client.force_login(resident)
    response = client.post(ASK, protected(title="Can I bring a dog into Fenwick Park café?"))
    assert response.status_code == 302
    assert Question.objects.filter(title="Can I bring a dog into Fenwick Park café?").exists()


def test_suggest_endpoint_returns_public_questions_only(client, make_question, index_page):
    public = make_question(title="When will the Mill Lane recycling centre reopen?")
    make_question(title="Is the Mill Lane recycling centre closed for good?", status="pending")
    response = client.get("/ask-the-council/suggest/", {"q": "mill lane recycling"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert [r["id"] for r in data["results"]] == [public.pk]
    # only public fields: nothing about the author, status internals or moderation
    assert set(data["results"][0]) == {"id", "title", "url", "answers", "official", "status"}
    assert data["results"][0]["url"] == thread_path(public)


def test_suggest_endpoint_is_rate_limited(client, index_page, settings):
    for _ in range(120):
        client.get("/ask-the-council/suggest/", {"q": "bins"})
    assert client.get("/ask-the-council/suggest/", {"q": "bins"}).status_code == 429


def test_post_moderation_publishes_at_once_and_signals_on_commit(
    client, resident, index_page, post_moderation, django_capture_on_commit_callbacks
):
    received = []
    signals.question_published.connect(
        lambda sender, question, **kw: received.append(question.pk), weak=False, dispatch_uid="t1"
    )
    try:
        client.force_login(resident)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(ASK, protected(title="Are the Kingsmead swings being replaced?"))
    finally:
        signals.question_published.disconnect(dispatch_uid="t1")
    question = Question.objects.get()
    assert question.status == Question.Status.PUBLISHED
    assert question.published_at is not None
    assert received == [question.pk]
    assert client.get(thread_path(question)).status_code == 200


def test_pre_moderation_keeps_it_from_the_public(client, resident, index_page, pre_moderation):
    client.force_login(resident)
    client.post(ASK, protected(title="Are the Kingsmead swings being replaced?"))
    question = Question.objects.get()
    assert question.status == Question.Status.PENDING
    # the asker sees it with a banner; everyone else gets a 404
    assert "Awaiting moderation" in client.get(thread_path(question)).content.decode()
    client.logout()
    assert client.get(thread_path(question)).status_code == 404
    assert question.title not in client.get("/ask-the-council/").content.decode()


def test_about_page_is_shown_and_stored(client, resident, index_page, home_page):
    from portal.models import StandardPage

    about = StandardPage(title="Consultation: Kingsmead library hours", slug="library-hours")
    home_page.add_child(instance=about)
    about.save_revision().publish()
    client.force_login(resident)
    html = client.get(f"{ASK}?about={about.pk}").content.decode()
    assert "Your question is about:" in html
    assert "Consultation: Kingsmead library hours" in html

    client.post(
        f"{ASK}?about={about.pk}",
        protected(title="Will the library open later on Thursdays?", about=str(about.pk)),
    )
    assert Question.objects.get().about_page_id == about.pk


def test_about_page_that_is_not_live_is_ignored(client, resident, index_page, home_page):
    from portal.models import StandardPage

    draft = StandardPage(title="Secret draft", slug="secret-draft", live=False)
    home_page.add_child(instance=draft)
    client.force_login(resident)
    html = client.get(f"{ASK}?about={draft.pk}").content.decode()
    assert "Your question is about" not in html
    assert "Secret draft" not in html
    client.post(ASK, protected(title="Will the library open later on Thursdays?", about=draft.pk))
    assert Question.objects.get().about_page is None


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "Enter your question"),
        ("Bins?", "Your question must be 15 characters or more"),
        ("When are the bins collected in Eastfield", "must end with a question mark"),
        ("WHY ARE THE BINS NEVER COLLECTED ON TIME?", "sentence case"),
        ("When " + "really " * 30 + "?", "150 characters or fewer"),
        ("?????????????????????", "Write your question in words"),
    ],
)
def test_title_rules_give_gov_uk_errors(client, resident, index_page, title, message):
    client.force_login(resident)
    response = client.post(ASK, protected(title=title))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert 'href="#id_title"' in html  # the error summary links to the field
    assert "govuk-input--error" in html
    assert Question.objects.count() == 0


def test_overlong_details_and_too_many_topics_are_refused(client, resident, index_page):
    client.force_login(resident)
    response = client.post(
        ASK,
        protected(
            title="When will the bins be collected in Eastfield?",
            body="x" * 3001,
            tags="a1, b2, c3, d4, e5, f6",
        ),
    )
    html = response.content.decode()
    assert "More detail must be 3000 characters or fewer" in html
    assert "Enter 5 topics or fewer" in html
    assert Question.objects.count() == 0


def test_honeypot_rejects_bots_and_stores_nothing(client, resident, index_page):
    client.force_login(resident)
    data = protected(title="When will the bins be collected in Eastfield?", checked="1")
    data["website"] = "http://spam.example"
    response = client.post(ASK, data)
    assert response.status_code == 200
    assert "We could not accept this form" in response.content.decode()
    assert Question.objects.count() == 0


def test_form_sent_too_fast_is_refused(client, resident, index_page, settings):
    settings.PARLEY_FORM_MIN_SECONDS = 30
    client.force_login(resident)
    response = client.post(ASK, protected(title="When will the bins be collected in Eastfield?"))
    assert "sent very quickly" in response.content.decode()
    assert Question.objects.count() == 0


def test_asking_is_rate_limited_per_person(client, resident, index_page):
    client.force_login(resident)
    for i in range(5):
        response = client.post(
            ASK, protected(title=f"Question number {i} about the bins in Eastfield?", checked="1")
        )
        assert response.status_code == 302
    response = client.post(
        ASK, protected(title="One more question about the bins in Eastfield?", checked="1")
    )
    assert response.status_code == 429
    assert "You have done that too many times" in response.content.decode()
    assert Question.objects.count() == 5


def test_asking_is_rate_limited_per_ip_across_accounts(client, index_page, settings):
    from tests.factories import UserFactory

    for i in range(21):
        client.force_login(UserFactory())
        response = client.post(
            ASK, protected(title=f"Question number {i} about the bins in Eastfield?", checked="1")
        )
    assert response.status_code == 429
    assert Question.objects.count() == 20
