"""Scrutiny's answers to the lower apps' batch hooks: promote actions, badges, bulk actions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from portal.extensions import bulk_actions, item_actions, item_badges
from portal.models import Notification
from scrutiny import services

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/questions/42/")
    request.user = user or AnonymousUser()
    return request


def test_officers_get_promote_actions_then_the_reference(fake_source, make_note, officer, inquiry):
    notes = [make_note(body=f"Point {i}") for i in range(3)]
    e = services.evidence_promote(source=notes[0], inquiry=inquiry, by=officer).evidence
    actions = item_actions(_request(officer), notes)
    assert actions[notes[0]] == [{"label": f"Evidence {e.reference}", "url": e.get_absolute_url()}]
    assert actions[notes[1]][0]["label"] == "Promote to evidence"
    assert actions[notes[1]][0]["url"].startswith(
        reverse("scrutiny:promote")
        + f"?source=portal.notification:{notes[1].pk}&next=/questions/42/"
    )


@pytest.mark.parametrize(
    "role", ["anonymous", "resident", "moderator", "coach", "committee_member"]
)
def test_others_get_no_promote_actions(role, request, fake_source, make_note):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    notes = [make_note()]
    assert item_actions(_request(user), notes) == {}
    assert bulk_actions(_request(user), Notification) == []


def test_bulk_action_for_promotable_models_only(fake_source, officer):
    from portal.models import User

    assert bulk_actions(_request(officer), Notification) == [
        {
            "label": "Promote selected to evidence",
            "url": reverse("scrutiny:promote_bulk") + "?model=portal.Notification",
        }
    ]
    assert bulk_actions(_request(officer), User) == []


def test_hooks_answer_a_whole_page_in_constant_queries(
    fake_source, make_note, officer, inquiry, django_assert_max_num_queries
):
    notes = [make_note(body=f"Point {i}") for i in range(200)]
    services.evidence_promote_many(sources_=notes[:100], inquiry=inquiry, by=officer)
    request = _request(type(officer).objects.get(pk=officer.pk))
    item_actions(request, notes[:1])  # permission cache
    item_badges(request, notes[:1])  # the site's root paths, cached once per process
    with django_assert_max_num_queries(2):
        actions = item_actions(request, notes)
    with django_assert_max_num_queries(2):
        badges = item_badges(request, notes)
    assert len(actions) == 200
    assert len(badges) == 100


def test_badges_name_the_inquiry_publicly_only_once_published(
    fake_source, make_note, officer, committee_member, inquiry
):
    note = make_note()
    e = services.evidence_promote(source=note, inquiry=inquiry, by=officer).evidence
    assert item_badges(_request(None), [note]) == {}
    insider = item_badges(_request(committee_member), [note])[note]
    assert insider == [
        {"text": f"Used as evidence in {inquiry.title}", "colour": "purple", "url": inquiry.url}
    ]
    services.evidence_set_public(evidences=[e], public=True, by=officer)
    assert item_badges(_request(None), [note])[note][0]["text"] == (
        f"Used as evidence in {inquiry.title}"
    )


def test_badges_never_reveal_committee_only_evidence(fake_source, make_note, officer, inquiry):
    note = make_note(kind="private")
    services.evidence_promote(source=note, inquiry=inquiry, by=officer)
    assert item_badges(_request(None), [note]) == {}


def test_promote_page_previews_then_promotes_idempotently(
    client, fake_source, make_note, officer, inquiry
):
    note = make_note()
    client.force_login(officer)
    url = reverse("scrutiny:promote") + f"?source=portal.notification:{note.pk}&next=/somewhere/"
    html = client.get(url).content.decode()
    assert note.body in html and "Save as evidence" in html
    r = client.post(
        url,
        {"source": f"portal.notification:{note.pk}", "inquiry": inquiry.pk, "next": "/somewhere/"},
    )
    assert r["Location"] == "/somewhere/"
    html = client.get(url).content.decode()
    assert "This is already evidence" in html
    client.post(url, {"source": f"portal.notification:{note.pk}", "inquiry": inquiry.pk})
    from scrutiny.models import Evidence

    assert Evidence.objects.count() == 1
    # an off-site next is ignored
    r = client.post(
        url, {"source": f"portal.notification:{note.pk}", "next": "https://evil.example/"}
    )
    assert not r["Location"].startswith("https://evil.example")
    assert (
        client.get(reverse("scrutiny:promote") + "?source=portal.notification:999999").status_code
        == 404
    )


def test_bulk_promote_confirms_then_promotes(client, fake_source, make_note, officer, inquiry):
    from django.contrib.messages import get_messages

    from scrutiny.models import Evidence

    notes = [make_note(body=f"Point {i}") for i in range(4)]
    client.force_login(officer)
    url = reverse("scrutiny:promote_bulk") + "?model=portal.Notification"
    ids = [n.pk for n in notes]
    html = client.post(url, {"ids": ids, "next": "/inbox/"}).content.decode()
    assert "Promote 4 items to evidence" in html and not Evidence.objects.exists()
    r = client.post(url, {"ids": ids, "next": "/inbox/", "confirm": "1", "inquiry": inquiry.pk})
    assert r["Location"] == "/inbox/"
    assert Evidence.objects.count() == 4
    # Found by the browser journey: the message now names the new items, to find and tag them.
    [message] = [str(m) for m in get_messages(r.wsgi_request)]
    assert message.startswith("4 new items of evidence; 0 were already evidence. References: ")
    assert all(e.reference in message for e in Evidence.objects.all())
    client.post(url, {"ids": ids, "confirm": "1", "inquiry": inquiry.pk})
    assert Evidence.objects.count() == 4


def test_authors_see_their_own_contribution_used_as_evidence(
    fake_source, make_note, officer, resident, other_resident, inquiry
):
    note = make_note(user=resident)
    services.evidence_promote(source=note, inquiry=inquiry, by=officer)
    assert item_badges(_request(resident), [note])[note][0]["text"] == (
        f"Used as evidence in {inquiry.title}"
    )
    assert item_badges(_request(other_resident), [note]) == {}
