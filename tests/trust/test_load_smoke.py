"""bench/load.py, briefly: a few users for a few seconds under gunicorn on SQLite.

Only correctness is checked (the figures are the benchmark's business): everyone signed in,
every write the site accepted is stored exactly once, vote states and counters agree with the
rows, and there was no 5xx response.
"""

import argparse

import pytest

from bench import load

pytestmark = pytest.mark.slow


def test_a_short_load_run_stores_every_accepted_write_once_with_no_5xx():
    args = argparse.Namespace(
        users=4, duration=5, workers=2, threads=2, port=8260, redis_url="", json=False
    )
    result = load.run_once("sqlite", args)
    assert result["signed_in"] == 4
    assert result["problems"] == {
        "5xx responses": 0,
        "dropped connections": 0,
        "accepted writes missing": 0,
        "accepted writes stored twice": 0,
        "vote states wrong": 0,
        "counters out of step": 0,
        "unexpected refusals": 0,
    }
    assert result["ok"]
    audited = result["stored_rows_with_run_reference"]
    accepted = result["accepted_writes"]
    for kind in ("ask", "answer", "respond"):
        assert audited[kind] == accepted.get(kind, 0)
