"""References stay unique when many transactions promote at once (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection, connections

from scrutiny import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database for parallel writers"
)
def test_parallel_reference_allocation_never_duplicates():
    results: list[str] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(8)

    def worker():
        try:
            barrier.wait()
            for _ in range(10):
                results.extend(services.allocate_references(3, year=2031))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 240
    assert len(set(results)) == 240
    assert sorted(results) == [f"EV-2031-{n:06d}" for n in range(1, 241)]


def test_allocation_in_separate_transactions_continues_the_sequence():
    first = services.allocate_references(2, year=2032)
    second = services.allocate_references(2, year=2032)
    assert first + second == [f"EV-2032-00000{n}" for n in range(1, 5)]
