"""Batch extension points: how a higher app adds actions and badges to a lower app's lists.

Each hook is called once per page with every item on it (never once per item), so the page's
query count does not grow with its rows. Items are model instances; results are keyed by them.

- `parley_item_actions`: fn(request, items) -> {item: [{"label", "url"}]}, links shown beside
  each item to people allowed to use them (e.g. scrutiny's "Promote to evidence").
- `parley_item_badges`: fn(request, items) -> {item: [{"text", "colour", "url"}]}, tags shown
  beside each item (e.g. "Used as evidence in Road safety near schools").
- `parley_bulk_actions`: fn(request, model) -> [{"label", "url"}]; a list page renders a form of
  checkboxes named `ids` (values are primary keys) plus `next`, posted to the chosen url.
"""

from collections import defaultdict

from wagtail import hooks


def _merge(request, items, hook_name) -> dict:
    merged = defaultdict(list)
    items = list(items)
    if not items:
        return merged
    for fn in hooks.get_hooks(hook_name):
        for item, values in (fn(request, items) or {}).items():
            merged[item].extend(values)
    return merged


def item_actions(request, items) -> dict:
    """Per-item action links from every app, computed in one pass."""
    return _merge(request, items, "parley_item_actions")


def item_badges(request, items) -> dict:
    """Per-item badges from every app, computed in one pass."""
    return _merge(request, items, "parley_item_badges")


def bulk_actions(request, model) -> list[dict]:
    """Bulk actions other apps offer for a list of `model` rows."""
    actions = []
    for fn in hooks.get_hooks("parley_bulk_actions"):
        actions.extend(fn(request, model) or [])
    return actions
