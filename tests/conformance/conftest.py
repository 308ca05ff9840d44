"""The conformance suite needs its own settings (modelsearch's test app, tests/conformance/
settings.py) and its own pytest run, cut off from tests/conftest.py:

    DJANGO_SETTINGS_MODULE=tests.conformance.settings pytest --confcutdir=tests/conformance \
        tests/conformance

(`make pytest` runs it). Under the project's settings its modules are not collected.
"""

import os

if os.environ.get("DJANGO_SETTINGS_MODULE") != "tests.conformance.settings":
    collect_ignore_glob = ["test_*.py"]
