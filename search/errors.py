"""The search domain error: what callers catch when the index cannot answer."""


class SearchUnavailable(Exception):
    """The search index cannot be read or written right now (missing, corrupt or locked).

    Pages that search catch it and tell the person that search is unavailable; nothing else on
    the site depends on the index, and a rebuild (`manage.py rebuild_modelsearch_index`) fixes it.
    """
