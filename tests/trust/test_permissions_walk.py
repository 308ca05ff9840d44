"""Every URL of the site and both admins, as every role, with GET and POST, against the table.

The world (tests/trust/permission_world.py) holds objects in each state; the table
(tests/trust/permission_table.py) says what each role gets. Any difference fails, and so does
a 500, a redirect to another site (every request carries `next=//evil.example/`), or a URL
pattern the table does not cover.

Split by role and by area so xdist spreads the walk over its workers. Marked slow (it makes
about 8,500 requests); `make test` runs it (its marker expression only leaves out e2e).
"""

import pytest
from django.utils.http import url_has_allowed_host_and_scheme

from .permission_table import expected
from .permission_world import ROLES, build_world, cases, url_patterns
from .walk import (
    BAD,
    DENIED,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    SERVER_ERROR,
    classify,
    request,
)

pytestmark = pytest.mark.django_db

ALLOWED = {
    "O": {OK},
    "W": {OK, BAD, NOT_ALLOWED},
    "L": {LOGIN},
    "D": {DENIED},
    "N": {NOT_FOUND},
    "M": {NOT_ALLOWED},
    "B": {BAD},
}
AREAS = {
    "site": lambda key: not key.startswith(("admin/", "django-admin/")),
    "wagtail-admin": lambda key: key.startswith("admin/"),
    "django-admin": lambda key: key.startswith("django-admin/"),
}


def test_every_url_pattern_is_in_the_table():
    """A new view fails here until the table says who may use it."""
    world = build_world()
    all_cases = cases(world)
    walked = {case.key for case in all_cases}
    assert sorted(set(url_patterns()) - walked) == [], "patterns the walk does not request"
    missing = sorted({f"{c.key}|{c.label}" for c in all_cases if expected(c.key, c.label) is None})
    assert missing == [], "add these to tests/trust/permission_table.py"


@pytest.mark.slow
@pytest.mark.parametrize("area", list(AREAS))
@pytest.mark.parametrize("role", ROLES)
def test_walk(client, role, area):
    client.raise_request_exception = False  # a 500 is a finding, not a crash of the test
    world = build_world()
    if role != "anonymous":
        client.force_login(world[role])
    position = ROLES.index(role)
    problems = []
    checked = 0
    for case in cases(world):
        if not AREAS[area](case.key):
            continue
        rows = expected(case.key, case.label)
        assert rows is not None, f"{case.key}|{case.label} is not in the table"
        for method, row in zip(("GET", "POST"), rows, strict=True):
            response = request(client, method, case.path)
            checked += 1
            got = classify(response)
            want = row[position]
            where = f"{method} {case.path} [{case.key}|{case.label}]"
            if got == SERVER_ERROR:
                problems.append(f"{where}: 500")
            elif got not in ALLOWED[want]:
                problems.append(f"{where}: expected {want}, got {got} ({response.status_code})")
            location = response.get("Location", "")
            if location and not url_has_allowed_host_and_scheme(location, {"testserver"}):
                problems.append(f"{where}: redirects to another site: {location}")
    assert checked > 0
    assert problems == [], "\n".join(problems)
