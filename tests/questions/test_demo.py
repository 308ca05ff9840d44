import pytest
from django.core.management import call_command

from questions.models import Answer, Flag, Follow, Question, Vote

pytestmark = pytest.mark.django_db

TOPICS = {
    "bins",
    "parking",
    "planning",
    "libraries",
    "social care",
    "policing",
    "potholes",
    "council tax",
}


def test_demo_threads_cover_the_topics_residents_ask_about(client):
    call_command("seed_demo")
    public = Question.objects.public()
    assert public.count() >= 28
    names = {t for q in public.prefetch_related("tags") for t in q.tags.names()}
    assert TOPICS <= names
    officials = Answer.objects.filter(is_official=True)
    assert officials.count() >= 20
    assert officials.filter(author__email="officer@example.com").exists()
    assert all(a.official_title for a in officials)
    assert Vote.objects.count() > 100
    assert Follow.objects.count() > 40
    assert Question.objects.filter(status="pending").exists()
    assert Flag.objects.filter(status="open").exists()

    merged = Question.objects.get(status="merged")
    response = client.get(f"/ask-the-council/{merged.pk}/{merged.slug}/")
    assert response.status_code == 301
    html = client.get("/ask-the-council/").content.decode()
    assert "Why are residents’ parking permits in Castle Ward going up to £95 a year?" in html
    for q in public[:5]:
        assert client.get(q.get_absolute_url()).status_code == 200


def test_demo_counters_match_the_rows():
    from questions.services import recount_question

    call_command("seed_demo")
    before = list(Question.objects.order_by("pk").values_list("answer_count", "vote_count"))
    for q in Question.objects.all():
        recount_question(q.pk)
    after = list(Question.objects.order_by("pk").values_list("answer_count", "vote_count"))
    assert before == after
