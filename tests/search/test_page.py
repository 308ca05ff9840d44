"""The public search page: no JavaScript needed, facets with counts, filters, pagination,
escaped highlights, did-you-mean, nothing private ever shown, bounded queries, 503 when the
index cannot answer."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch import index

from search import selectors, spelling, views
from search.errors import SearchUnavailable
from tests.search.page_data import ask

pytestmark = pytest.mark.django_db


def _count(html: str) -> int:
    found = re.search(r"<strong>(\d+)</strong> results? for", html)
    assert found, "no result count on the page"
    return int(found.group(1))


def _result_links(html: str) -> list[str]:
    heading = r'<h2 class="govuk-heading-s[^"]*"><a class="govuk-link" href="([^"]+)"'
    return re.findall(heading, html)


def _facet(html: str, heading: str) -> dict[str, int]:
    block = re.search(
        rf"<h3 class=\"govuk-heading-s[^\"]*\">{heading}</h3>\s*<ul[^>]*>(.*?)</ul>", html, re.S
    )
    if not block:
        return {}
    counts = {}
    for li in re.findall(r"<li>(.*?)</li>", block.group(1), re.S):
        text = re.sub(r"<span class=\"govuk-visually-hidden\">.*?</span>", "", li)
        text = re.sub(r"<[^>]+>", "", text)
        label, number = re.match(r"\s*(.*?) \((\d+)\)", text).groups()
        counts[label] = int(number)
    return counts


def test_empty_page_shows_the_box_and_searches_nothing(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in html and 'name="q"' in html
    assert "Filter results" not in html and 'id="search-count"' not in html
    # the page's own box replaces the header's
    assert 'id="header-search-q"' not in html


def test_finds_every_public_type_with_links_and_type_counts(client, content):
    response = client.get("/search/", {"q": "potholes"})
    html = response.content.decode()
    assert response.status_code == 200
    links = _result_links(html)
    assert content["question"].get_absolute_url() in links
    assert f"{content['official'].get_absolute_url()}#answer-" in " ".join(links)
    assert content["consultation"].url in links
    assert content["meeting"].url in links
    assert content["inquiry"].url in links
    ref = content["evidence"].reference
    assert f"{content['inquiry'].url}evidence/?q={ref}#{ref}" in links
    types = _facet(html, "Type")
    assert types == {
        "Questions": 2,
        "Answers": 2,
        "Consultations": 1,
        "Meetings": 1,
        "Inquiries": 1,
        "Evidence": 1,
    }
    assert _count(html) == sum(types.values()) == len(links)
    # facet links keep the query
    assert 'href="?q=potholes&amp;type=questions"' in html


def test_private_hidden_and_unpublished_content_is_never_shown(client, content):
    secrets = content["secret"]
    for params in (
        {"q": "zebracrossing"},
        *({"q": "zebracrossing", "type": t} for t in selectors.registry._types),
    ):
        html = client.get("/search/", params).content.decode()
        assert _count(html) == 0, params
        assert _result_links(html) == []
    # Not even through "any word" results or facets: every secret also says "pothole", so
    # with both words nothing public matches and the page falls back to either word (the
    # stemmed "pothole" finds the public questions), which must still leave the secrets out.
    public = {content["question"].get_absolute_url(), content["official"].get_absolute_url()}
    secret_urls = {s.get_absolute_url() for s in secrets.values() if hasattr(s, "get_absolute_url")}
    for params in (
        {"q": "zebracrossing pothole", "type": "questions"},
        {"q": "zebracrossing potholes"},
    ):
        html = client.get("/search/", params).content.decode()
        links = _result_links(html)
        assert "Nothing contained all of your words" in html, params
        assert _count(html) == len(links)
        if params.get("type") == "questions":
            assert set(links) == public
            assert _facet(html, "Type")["Questions"] == 2
        for url in secret_urls:
            assert f'href="{url}"' not in html
        assert "zebracrossing" not in " ".join(links)
        assert "<mark>zebracrossing</mark>" not in html


def test_type_status_topic_and_date_filters(client, content):
    html = client.get("/search/", {"q": "potholes", "type": "questions"}).content.decode()
    assert _count(html) == 2
    assert _facet(html, "Status") == {"Answered": 1, "Officially answered": 1}

    html = client.get(
        "/search/", {"q": "potholes", "type": "questions", "status": "official"}
    ).content.decode()
    assert _result_links(html) == [content["official"].get_absolute_url()]
    assert "Remove<span" in html

    html = client.get("/search/", {"q": "potholes", "tag": "roads"}).content.decode()
    assert _facet(html, "Type") == {"Questions": 2, "Consultations": 1}
    assert _facet(html, "Topic") == {"roads": 3}

    html = client.get("/search/", {"q": "potholes"}).content.decode()
    assert _facet(html, "Topic") == {"roads": 3, "potholes": 1}
    dates = _facet(html, "Date")
    assert dates["Coming up"] == 1  # the meeting
    assert dates["Past month"] == 7

    html = client.get("/search/", {"q": "potholes", "date": "upcoming"}).content.decode()
    assert _result_links(html) == [content["meeting"].url]


def test_unknown_filter_values_are_ignored(client, content):
    html = client.get(
        "/search/",
        {"q": "potholes", "type": "nope", "status": "official", "date": "someday", "page": "x"},
    ).content.decode()
    assert _count(html) == 8
    html = client.get("/search/", {"q": "potholes", "tag": "no-such-topic"}).content.decode()
    assert _count(html) == 0


def test_pagination_keeps_the_query_and_filters(client, question_index):
    for n in range(25):
        ask(f"Streetlight number {n} is broken")
    first = client.get("/search/", {"q": "streetlight", "type": "questions"}).content.decode()
    assert _count(first) == 25
    assert len(_result_links(first)) == selectors.PER_PAGE
    assert 'class="govuk-pagination"' in first
    assert 'href="?q=streetlight&amp;type=questions&amp;page=2"' in first
    second = client.get(
        "/search/", {"q": "streetlight", "type": "questions", "page": "2"}
    ).content.decode()
    assert len(_result_links(second)) == 5
    assert not set(_result_links(first)) & set(_result_links(second))
    # past the end: the last page, not an error
    last = client.get("/search/", {"q": "streetlight", "page": "99"}).content.decode()
    assert len(_result_links(last)) == 5


def test_highlights_wrap_matches_and_escape_everything_else(client, question_index):
    ask(
        "<script>alert(1)</script> Bins & <b>recycling</b> collections",
        body='Bins "collected" <img src=x onerror=alert(1)> on Tuesday',
    )
    html = client.get("/search/", {"q": "bins"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html and "<b>recycling</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Bins</mark> &amp; &lt;b&gt;" in html
    assert "<mark>Bins</mark> &quot;collected&quot; &lt;img src=x" in html


def test_did_you_mean_offers_a_link_to_the_corrected_query(client, content):
    html = client.get("/search/", {"q": "pothloes", "type": "questions"}).content.decode()
    assert _count(html) == 0
    link = '<a class="govuk-link" href="?q=potholes&amp;type=questions">potholes</a>'
    assert f"Did you mean {link}" in html
    # words spelt right get no suggestion
    html = client.get("/search/", {"q": "potholes"}).content.decode()
    assert "Did you mean" not in html


def test_did_you_mean_never_offers_a_word_only_private_items_hold(client, content):
    # the index holds the pending, hidden and private items' words too
    from modelsearch.backends import get_search_backend

    assert get_search_backend().suggest_spelling("zebracrosing") == "zebracrossing"
    for params in ({"q": "zebracrosing"}, {"q": "zebracrosing", "type": "questions"}):
        html = client.get("/search/", params).content.decode()
        assert _count(html) == 0
        assert "Did you mean" not in html and "zebracrossing<" not in html


def test_no_result_with_all_words_falls_back_to_any_word(client, content):
    html = client.get("/search/", {"q": "potholes unicorns"}).content.decode()
    assert _count(html) == 8
    assert "Nothing contained all of your words" in html


def test_query_count_does_not_grow_with_results(client, content, question_index):
    # A warm server: site settings exist, and the did-you-mean vocabulary is cached.
    client.get("/search/", {"q": "potholes"})
    spelling.vocabulary()

    def measure(**params):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/search/", {"q": "potholes", **params})
        assert response.status_code == 200
        return len(ctx.captured_queries), _count(response.content.decode())

    few_questions, shown = measure(type="questions")
    few_all, _ = measure()
    for n in range(30):
        ask(f"Potholes on lane {n}", tags=["roads", f"lane-{n}"], answers=1)
    many_questions, shown_many = measure(type="questions")
    many_all, _ = measure()
    assert shown_many == shown + 30
    assert many_questions == few_questions
    # Across all types the count depends on which types are on the page, never on how many
    # results there are: at most a few queries per registered type.
    assert max(few_all, many_all) <= 35


def test_search_unavailable_is_a_clear_503(client, content, monkeypatch):
    class Broken:
        def search(self, *args, **kwargs):
            raise SearchUnavailable("the index is missing")

    monkeypatch.setattr("modelsearch.queryset.get_search_backend", lambda *a, **k: Broken())
    response = client.get("/search/", {"q": "potholes"})
    assert response.status_code == 503
    assert "Sorry, search is not working right now" in response.content.decode()


def test_any_backend_failure_is_a_503_not_a_500(client, content, monkeypatch):
    class Failing:
        def search(self, *args, **kwargs):
            raise OSError("index directory is unreadable")

    monkeypatch.setattr("modelsearch.queryset.get_search_backend", lambda *a, **k: Failing())
    response = client.get("/search/", {"q": "potholes"})
    assert response.status_code == 503


def test_search_is_rate_limited(client, db):
    limit = int(views.SEARCH_RATE.split("/")[0])
    statuses = [client.get("/search/", {"q": "bins"}).status_code for _ in range(limit + 1)]
    assert statuses[0] == 200
    assert statuses[-1] == 429


def test_header_search_box_on_other_pages(client, content):
    html = client.get(content["consultation"].url).content.decode()
    assert 'action="/search/"' in html and 'id="header-search-q"' in html


def test_evidence_themes_are_a_facet_and_a_filter(client, content):
    content["evidence"].themes.add("Car damage")
    # themes change without save(): index it as scrutiny.services does after a theme change
    index.insert_or_update_object(content["evidence"])
    html = client.get("/search/", {"q": "potholes", "type": "evidence"}).content.decode()
    assert _facet(html, "Theme") == {"Car damage": 1}
    assert _facet(html, "Source") == {"Direct submission": 1}
    html = client.get(
        "/search/", {"q": "potholes", "type": "evidence", "tag": "car-damage"}
    ).content.decode()
    assert _count(html) == 1


def test_counts_stay_exact_when_a_type_has_more_hits_than_are_scanned(client, content, monkeypatch):
    monkeypatch.setattr(selectors, "SCAN_LIMIT", 1)
    html = client.get("/search/", {"q": "potholes", "type": "questions"}).content.decode()
    assert _count(html) == 2
    assert _facet(html, "Status") == {"Answered": 1, "Officially answered": 1}
    assert _facet(html, "Date") == {"Past week": 2, "Past month": 2, "Past year": 2}
    assert "Showing the most relevant results" in html
    html = client.get("/search/", {"q": "potholes"}).content.decode()
    assert _facet(html, "Type")["Answers"] == 2
    assert _count(html) == 8


def test_did_you_mean_asks_a_backend_that_can_suggest(content, monkeypatch):
    from modelsearch import backends

    class Suggesting:
        def suggest_spelling(self, text):
            return text.replace("pothloes", "potholes")

    monkeypatch.setattr(backends, "get_search_backend", lambda *a, **k: Suggesting())
    assert spelling.suggest("pothloes road") == "potholes road"
    assert spelling.suggest("potholes road") is None
