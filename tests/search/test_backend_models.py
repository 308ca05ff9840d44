"""Our own models through the Whoosh backend: questions, answers, consultations, evidence."""

from datetime import timedelta

import pytest
from django.utils import timezone

from questions.models import Answer, Question
from scrutiny.models import Consent, Evidence, SourceKind
from search.backends.whoosh import bag_of_terms, best_first, filter_docset, score_bag
from tests.consultations.factories import make_consultation, make_index
from tests.questions.factories import AnswerFactory, QuestionFactory
from tests.scrutiny.factories import make_evidence
from tests.search.index_fixtures import search_index  # noqa: F401

pytestmark = pytest.mark.django_db


def titles(results):
    return sorted(obj.title for obj in results)


@pytest.fixture
def questions(search_index):  # noqa: F811
    now = timezone.now()
    made = {
        "potholes": QuestionFactory(
            title="When will the potholes on Station Road be filled?",
            body="Three deep potholes by the bus stop.",
            published_at=now - timedelta(days=3),
        ),
        "bins": QuestionFactory(
            title="Why was my green bin not collected?",
            body="The collection was missed twice this month.",
            published_at=now - timedelta(days=2),
        ),
        "library": QuestionFactory(
            title="Will the library open on Sundays?",
            body="Potholes aside, the library matters more to us.",
            published_at=now - timedelta(days=1),
        ),
        "pending": QuestionFactory(
            title="Pothole on Mill Lane",
            body="Still waiting for moderation.",
            status=Question.Status.PENDING,
            published_at=None,
        ),
    }
    made["potholes"].tags.set(["roads", "potholes"])
    made["bins"].tags.set(["waste"])
    for question in made.values():
        question.save()  # tags are set after the first save: index them too
    return made


def test_questions_are_found_with_stemming_and_title_boost(questions):
    results = list(Question.objects.search("pothole"))
    # "potholes" in the title (boost 3) ranks above a mention in the body
    assert results[-1].pk == questions["library"].pk
    assert {q.pk for q in results} == {
        questions["potholes"].pk,
        questions["library"].pk,
        questions["pending"].pk,
    }


@pytest.mark.parametrize(
    ("operator", "text", "found"),
    [
        ("or", "zebra pothole station road", 3),
        ("and", "pothole station road", 2),
        ("and", "zebra road", 0),
    ],
)
def test_plain_text_is_ranked_as_whoosh_scores_it(questions, search_index, operator, text, found):  # noqa: F811
    """Plain text over all fields is scored term at a time by our code: same scores and order as
    Whoosh's own matchers, deleted (updated) documents left out."""
    AnswerFactory(question=questions["potholes"], body="Potholes on Station Road are next week.")
    questions["library"].body = "Potholes by the library on Station Road too."
    questions["library"].save()  # an update: the old document is deleted, not yet merged away
    results = Question.objects.search(text, operator=operator)
    compiler = results.query_compiler
    searcher, cache = search_index.handle.searcher()
    text_query = compiler.get_text_query()
    allowed = filter_docset(searcher, cache, compiler.get_filter_query())
    ours = best_first(score_bag(searcher, cache, allowed, *bag_of_terms(text_query)), None)
    whoosh = searcher.search(text_query, filter=allowed, limit=None).top_n
    assert [docnum for _score, docnum in ours] == [docnum for _score, docnum in whoosh]
    assert [score for score, _docnum in ours] == pytest.approx([score for score, _ in whoosh])
    assert [q.pk for q in results] == [
        int(searcher.stored_fields(docnum)["pk"]) for _score, docnum in whoosh
    ]
    assert len(ours) == found


def test_the_best_few_leave_out_documents_that_cannot_reach_them(search_index):  # noqa: F811
    for n in range(3):
        QuestionFactory(title=f"Flooding number {n} on the ring road", body="A blocked drain.")
    for n in range(12):
        QuestionFactory(title=f"Question {n}", body="The drain by the shops is blocked again.")
    compiler = Question.objects.search("flooding drain", operator="or").query_compiler
    searcher, cache = search_index.handle.searcher()
    allowed = filter_docset(searcher, cache, compiler.get_filter_query())
    bag = bag_of_terms(compiler.get_text_query())
    every = score_bag(searcher, cache, allowed, *bag)
    best = score_bag(searcher, cache, allowed, *bag, limit=2)
    assert len(every) == 15
    assert len(best) < len(every)  # no "drain"-only question can reach the best two
    assert best_first(best, 2) == best_first(every, 2)
    assert len(list(Question.objects.search("flooding drain")[:2])) == 2


def test_a_phrase_over_all_fields_needs_its_words_together_in_one_field(questions):
    from modelsearch.query import Phrase

    QuestionFactory(title="Station closure", body="Road works all week.")  # not together
    QuestionFactory(title="Bus times", body="Why is the bus stop on Station Road shut?")
    results = list(Question.objects.search(Phrase("station road")))
    # the title (boost 3) outranks the body; a phrase split across two fields is no phrase
    assert [q.title for q in results] == [
        "When will the potholes on Station Road be filled?",
        "Bus times",
    ]
    assert Question.objects.search(Phrase("station road")).count() == 2
    assert list(Question.objects.search(Phrase("road station"))) == []


def test_question_filters_are_applied_in_the_index(questions):
    public = Question.objects.public()
    assert titles(public.search("pothole")) == [
        "When will the potholes on Station Road be filled?",
        "Will the library open on Sundays?",
    ]
    recent = public.filter(published_at__gte=timezone.now() - timedelta(days=1, hours=1))
    assert titles(recent.search("pothole")) == ["Will the library open on Sundays?"]
    assert public.filter(status__in=["closed"]).search("pothole").count() == 0


def test_question_facets_count_status_and_tags(questions):
    from modelsearch.query import MATCH_ALL

    by_status = Question.objects.search(MATCH_ALL).facet("status")
    assert dict(by_status) == {"published": 3, "pending": 1}
    # tags' facet (FilterField("tags")) when the model declares it; otherwise has_official_answer
    by_answer = Question.objects.search("pothole").facet("has_official_answer")
    assert dict(by_answer) == {0: 3}


def test_question_ordering_slicing_count_and_scores(questions):
    results = (
        Question.objects.public()
        .order_by("-published_at")
        .search("pothole library", operator="or", order_by_relevance=False)
    )
    assert [q.pk for q in results] == [questions["library"].pk, questions["potholes"].pk]
    assert results.count() == 2
    assert [q.pk for q in results[1:]] == [questions["potholes"].pk]
    scored = Question.objects.search("library").annotate_score("score")
    assert all(isinstance(q.score, float) and q.score > 0 for q in scored)


def test_question_autocomplete_matches_prefixes_without_stemming(questions):
    assert titles(Question.objects.autocomplete("Sund")) == ["Will the library open on Sundays?"]
    assert titles(Question.objects.autocomplete("missed")) == []  # body is not autocompleted
    assert titles(Question.objects.autocomplete("gree bi", operator="and")) == [
        "Why was my green bin not collected?"
    ]


def test_answers_are_found_through_their_question_title(questions):
    answer = AnswerFactory(question=questions["bins"], body="The crew returns on Friday.")
    assert [a.pk for a in Answer.objects.search("green bin")] == [answer.pk]
    assert [a.pk for a in Answer.objects.filter(question_id=answer.question_id).search("crew")] == [
        answer.pk
    ]
    answer.delete()
    assert list(Answer.objects.search("crew")) == []


def test_updates_and_deletes_reach_the_index(questions):
    question = questions["bins"]
    question.title = "Why was my brown bin not emptied?"
    question.save()
    assert titles(Question.objects.search("brown")) == ["Why was my brown bin not emptied?"]
    assert list(Question.objects.search("green")) == []
    question.delete()
    assert list(Question.objects.search("brown")) == []


def test_consultation_pages_are_found_at_every_level_of_the_page_tree(search_index, home_page):  # noqa: F811
    from wagtail.models import Page

    from consultations.models import ConsultationPage

    index = make_index(home_page)
    page = make_consultation(
        index, title="Library opening hours review", decision_maker="Cabinet member for culture"
    )
    make_consultation(
        index,
        slug="parking",
        title="Parking charges",
        summary="Evening parking fees.",
        decision_to_make="Whether to charge for parking after 6pm.",
    )
    assert [p.pk for p in ConsultationPage.objects.live().search("libraries")] == [page.pk]
    # a field only the subclass has is found from the base Page model too
    assert [p.pk for p in Page.objects.live().search("culture")] == [page.pk]
    assert [p.pk for p in ConsultationPage.objects.autocomplete("Libr")] == [page.pk]
    closed = ConsultationPage.objects.filter(closes_at__lt=timezone.now())
    assert list(closed.search("library")) == []
    assert list(Page.objects.descendant_of(index).search("parking"))[0].title == "Parking charges"


def test_filters_through_a_relation_are_answered_by_the_database(search_index, home_page):  # noqa: F811
    from consultations.models import ConsultationPage

    index = make_index(home_page)
    tagged = make_consultation(index, title="Library hours", tags=["libraries"])
    make_consultation(index, slug="other", title="Library parking", tags=["parking"])
    results = ConsultationPage.objects.filter(tags__slug="libraries").search("library")
    assert [p.pk for p in results] == [tagged.pk]
    assert results.count() == 1


def test_evidence_filters_and_facets(search_index):  # noqa: F811
    public = make_evidence(text="The crossing outside Millbrook Primary is dangerous.")
    private = make_evidence(
        text="My child was nearly hit at the crossing.",
        consent=Consent.COMMITTEE_ONLY,
        kind=SourceKind.SUBMISSION,
    )
    Evidence.objects.filter(pk=public.pk).update(is_public=True)
    Evidence.objects.filter(pk=private.pk).update(is_public=False)
    for row in Evidence.objects.all():
        row.save()
    found = Evidence.objects.search("crossings")
    assert {e.pk for e in found} == {public.pk, private.pk}
    assert [e.pk for e in Evidence.objects.filter(is_public=True).search("crossing")] == [public.pk]
    consent = Evidence.objects.search("crossing").facet("consent")
    assert dict(consent) == {Consent.PUBLIC.value: 1, Consent.COMMITTEE_ONLY.value: 1}
    assert [e.pk for e in Evidence.objects.autocomplete(public.reference[:4])][0] in {
        public.pk,
        private.pk,
    }
