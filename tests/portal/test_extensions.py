import pytest
from django.test import RequestFactory
from wagtail import hooks

from portal.extensions import bulk_actions, item_actions, item_badges
from portal.templatetags.govuk import lookup

pytestmark = pytest.mark.django_db


def test_batch_hooks_are_called_once_with_every_item(resident, other_resident):
    calls = []

    def actions(request, items):
        calls.append(list(items))
        return {item: [{"label": "Promote", "url": f"/promote/{item.pk}/"}] for item in items}

    def badges(request, items):
        return {items[0]: [{"text": "Used as evidence", "colour": "green", "url": ""}]}

    def bulk(request, model):
        return [{"label": "Promote selected", "url": "/promote/"}]

    request = RequestFactory().get("/")
    with (
        hooks.register_temporarily("parley_item_actions", actions),
        hooks.register_temporarily("parley_item_badges", badges),
        hooks.register_temporarily("parley_bulk_actions", bulk),
    ):
        acts = item_actions(request, [resident, other_resident])
        tags = item_badges(request, [resident, other_resident])
        assert bulk_actions(request, type(resident)) == [
            {"label": "Promote selected", "url": "/promote/"}
        ]

    assert calls == [[resident, other_resident]]
    assert lookup(acts, other_resident) == [
        {"label": "Promote", "url": f"/promote/{other_resident.pk}/"}
    ]
    assert lookup(tags, other_resident) == []
    assert lookup(tags, resident)[0]["text"] == "Used as evidence"
    assert item_actions(request, []) == {}
