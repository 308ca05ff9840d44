# The search page's fixtures (content of every public type, plus things never shown).
from tests.search.page_data import content, question_index  # noqa: F401
