#!/usr/bin/env python
"""Search: the Whoosh backend against modelsearch's SQLite FTS5 backend on the same corpus.

A synthetic but council-like corpus (questions residents ask, and answers to them: half each,
100,000 documents by default) is written to a throwaway SQLite database, indexed by both
backends, and the same queries (plain text with "or" and "and", phrases, autocomplete, and
searches filtered to public questions) run against both, each several times. Printed: index
time and rate, p50/p95 latency per backend and the Whoosh/FTS5 ratios. Targets: Whoosh p95 at
100k documents 50 ms or less and within 2x of FTS5.

    .venv/bin/python bench/search.py [--docs 100000] [--rounds 3] [--keep DIR [--reindex]]

With --keep, the corpus and both indexes stay in DIR and a later run with the same DIR and
--docs reuses them (only querying is timed again; --reindex indexes the kept corpus afresh).

A query's latency is what a page pays: the search plus loading the first 10 rows from the
database (the same for both backends).
"""

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PLACES = [
    "Station Road",
    "Mill Lane",
    "the High Street",
    "Church Street",
    "Victoria Park",
    "the market square",
    "Elm Grove",
    "Millbrook estate",
    "the ring road",
    "Harrowfield",
    "the town centre",
    "Oakfield Primary",
    "the leisure centre",
    "Bridge Street",
    "the canal path",
    "Queens Avenue",
    "the bus station",
    "Northgate",
    "the allotments",
    "Riverside Walk",
]
TOPICS = {
    "roads": [
        "pothole",
        "potholes",
        "resurfacing",
        "road markings",
        "speed bumps",
        "gritting",
        "pavement",
        "dropped kerb",
        "traffic lights",
        "road closure",
    ],
    "waste": [
        "bin collection",
        "recycling",
        "green bin",
        "fly tipping",
        "litter",
        "bulky waste",
        "food waste caddy",
        "dog fouling",
        "street cleaning",
        "tip permit",
    ],
    "parking": [
        "parking permit",
        "parking charges",
        "residents parking",
        "blue badge",
        "parking fines",
        "car park",
        "electric vehicle charging",
        "double yellow lines",
    ],
    "housing": [
        "council housing",
        "housing waiting list",
        "damp and mould",
        "repairs",
        "homelessness",
        "rent arrears",
        "temporary accommodation",
        "noise complaint",
    ],
    "leisure": [
        "library opening hours",
        "swimming pool",
        "playground",
        "park maintenance",
        "football pitches",
        "community centre",
        "allotment waiting list",
        "museum",
    ],
    "schools": [
        "school crossing",
        "school admissions",
        "school transport",
        "free school meals",
        "special educational needs",
        "term dates",
        "lollipop person",
    ],
    "money": [
        "council tax",
        "council tax reduction",
        "business rates",
        "budget consultation",
        "spending cuts",
        "councillor allowances",
        "contracts",
    ],
    "planning": [
        "planning application",
        "building control",
        "tree preservation order",
        "listed building",
        "local plan",
        "enforcement",
        "extension",
    ],
    "transport": [
        "bus route",
        "cycle lane",
        "street lighting",
        "bus shelter",
        "low traffic neighbourhood",
        "twenty mph limit",
        "footpath",
    ],
}
ASK = [
    "When will the {t} on {p} be sorted out?",
    "Why has nothing been done about {t} near {p}?",
    "Who is responsible for {t} at {p}?",
    "How do I report {t} on {p}?",
    "Is there a plan for {t} around {p}?",
    "Can the council explain the {t} decision for {p}?",
    "What is happening with {t} in {p}?",
    "How long will {t} take at {p}?",
]
SAY = [
    "I have reported this {n} times since {m} and nobody has replied.",
    "Neighbours on {p} are worried about {t} and the effect on older residents.",
    "The {t} problem gets worse every winter and the cost keeps rising.",
    "Please publish the timetable and the budget for {t}.",
    "Other councils have dealt with {t} quickly; why not here?",
    "Children walk past {p} every morning and {t} makes it unsafe.",
]
REPLY = [
    "Thank you for raising {t}. Our team inspected {p} on {m} and work is scheduled.",
    "The {t} budget for this year has been allocated; {p} is on the programme.",
    "We passed your report about {t} to the contractor, who will attend within {n} days.",
    "{t} at {p} is the responsibility of the highways authority, not the district council.",
    "A consultation on {t} opens next month; residents of {p} will be written to.",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

QUERIES = [
    ("or", "pothole"),
    ("or", "bin collection"),
    ("or", "library opening hours"),
    ("or", "parking permit"),
    ("or", "council tax"),
    ("or", "street lighting"),
    ("or", "fly tipping station road"),
    ("or", "school crossing safety"),
    ("or", "planning application extension"),
    ("or", "damp mould repairs"),
    ("and", "pothole station road"),
    ("and", "green bin collection"),
    ("and", "parking charges town centre"),
    ("and", "council tax reduction"),
    ("and", "bus route northgate"),
    ("and", "swimming pool"),
    ("phrase", "council tax"),
    ("phrase", "fly tipping"),
    ("auto", "poth"),
    ("auto", "libr"),
    ("auto", "recyc"),
    ("auto", "park"),
    ("public", "pothole"),
    ("public", "noise complaint"),
    ("public", "cycle lane"),
    ("or", "resurfacing budget winter"),
    ("or", "contractor inspected"),
    ("and", "homelessness temporary accommodation"),
    ("or", "zebra crossing"),
    ("or", "museum playground allotments"),
]


def sentence(rng, template):
    topic = rng.choice(list(TOPICS))
    return template.format(
        t=rng.choice(TOPICS[topic]),
        p=rng.choice(PLACES),
        n=rng.randint(2, 14),
        m=rng.choice(MONTHS),
    )


def build_corpus(docs: int) -> None:
    from django.utils import timezone

    from portal.models import User
    from questions.models import Answer, Question

    rng = random.Random(20261203)
    authors = [
        User.objects.create_user(email=f"bench{i}@example.com", display_name=f"Resident {i}")
        for i in range(50)
    ]
    n_questions = docs // 2
    statuses = [Question.Status.PUBLISHED] * 8 + [Question.Status.CLOSED, Question.Status.PENDING]
    now = timezone.now()
    batch = 5000
    for start in range(0, n_questions, batch):
        Question.objects.bulk_create(
            [
                Question(
                    title=sentence(rng, rng.choice(ASK)),
                    body=" ".join(sentence(rng, rng.choice(SAY)) for _ in range(rng.randint(2, 5))),
                    author=rng.choice(authors),
                    status=rng.choice(statuses),
                    published_at=now,
                )
                for _ in range(start, min(start + batch, n_questions))
            ]
        )
    question_ids = list(Question.objects.values_list("pk", flat=True))
    n_answers = docs - n_questions
    for start in range(0, n_answers, batch):
        Answer.objects.bulk_create(
            [
                Answer(
                    question_id=rng.choice(question_ids),
                    author=rng.choice(authors),
                    body=" ".join(
                        sentence(rng, rng.choice(REPLY)) for _ in range(rng.randint(1, 4))
                    ),
                )
                for _ in range(start, min(start + batch, n_answers))
            ]
        )


def index_with(backend_name: str) -> float:
    """Index questions and answers with the backend's rebuilder; returns seconds taken."""
    from modelsearch.backends import get_search_backend
    from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index

    from questions.models import Answer, Question

    backend = get_search_backend(backend_name)
    started = time.perf_counter()
    for index, models in group_models_by_index(backend, [Question, Answer]).items():
        rebuilder = backend.rebuilder_class(index)
        target = rebuilder.start()
        for model in models:
            target.add_model(model)
            queryset = model.get_indexed_objects().order_by("pk")
            last = 0
            while True:
                chunk = list(queryset.filter(pk__gt=last)[:2000])
                if not chunk:
                    break
                target.add_items(model, chunk)
                last = chunk[-1].pk
        rebuilder.finish()
    return time.perf_counter() - started


def run_query(backend_name: str, kind: str, text: str) -> int:
    from modelsearch.query import Phrase

    from questions.models import Question

    if kind == "auto":
        results = Question.objects.autocomplete(text, backend=backend_name, operator="and")
    elif kind == "phrase":
        results = Question.objects.search(Phrase(text), backend=backend_name)
    elif kind == "public":
        results = Question.objects.public().search(text, backend=backend_name, operator="and")
    else:
        results = Question.objects.search(text, backend=backend_name, operator=kind)
    return len(list(results[:10]))


def measure(backend_name: str, rounds: int, budget: float) -> tuple[list[float], int]:
    """Each query `rounds` times (after one warm-up pass), stopping early once `budget` seconds
    have gone by: a backend that takes seconds per query still finishes with its figures."""
    deadline = time.perf_counter() + budget
    for kind, text in QUERIES:  # warm up: open searchers, fill caches the way a server would
        run_query(backend_name, kind, text)
        if time.perf_counter() > deadline:
            break
    timings = []
    hits = 0
    for _ in range(rounds):
        for kind, text in QUERIES:
            started = time.perf_counter()
            hits += run_query(backend_name, kind, text)
            timings.append((time.perf_counter() - started) * 1000)
            if time.perf_counter() > deadline and timings:
                return timings, hits
    return timings, hits


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--budget", type=float, default=300, help="seconds of querying per backend at most"
    )
    parser.add_argument(
        "--keep", type=Path, help="keep the corpus and indexes in this directory, reuse them"
    )
    parser.add_argument(
        "--reindex", action="store_true", help="with --keep: index the kept corpus again"
    )
    args = parser.parse_args()

    if args.keep:
        workdir = args.keep.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="parley-bench-search-"))
    marker = workdir / "bench-state.json"
    state = json.loads(marker.read_text()) if marker.exists() else {}
    if state.get("docs") != args.docs:
        if state:
            sys.exit(f"{workdir} holds a corpus of {state['docs']:,} documents, not {args.docs:,}")
        state = {"docs": args.docs, "indexed": {}}
    os.environ["PARLEY_VAR_DIR"] = str(workdir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.search_settings"
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        print(
            f"corpus: {args.docs:,} documents (questions and answers), SQLite {_sqlite()}",
            flush=True,
        )
        if not state.get("generated"):
            call_command("migrate", verbosity=0, interactive=False)
            started = time.perf_counter()
            build_corpus(args.docs)
            print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
            state["generated"] = True
            marker.write_text(json.dumps(state))
        else:
            print(f"  reused from {workdir}", flush=True)
        load = os.getloadavg()[0]
        rows = {}
        for name, label in (("default", "Whoosh"), ("fts5", "SQLite FTS5")):
            if args.reindex or name not in state["indexed"]:
                seconds = index_with(name)
                state["indexed"][name] = seconds
                marker.write_text(json.dumps(state))
                print(f"  {label}: indexed in {seconds:.1f} s", flush=True)
            else:
                seconds = state["indexed"][name]
                print(f"  {label}: index reused (built in {seconds:.1f} s)", flush=True)
            timings, hits = measure(name, args.rounds, args.budget)
            print(f"  {label}: {len(timings)} timed queries", flush=True)
            rows[name] = (label, seconds, timings, hits)
            connection.close()
        print(
            f"  load average: {load:.2f} at start, {os.getloadavg()[0]:.2f} at end, "
            f"on {os.cpu_count()} cores"
        )
        print()
        header = ("backend", "index s", "docs/s", "p50 ms", "p95 ms", "queries")
        print(f"{header[0]:<12} " + " ".join(f"{h:>8}" for h in header[1:]))
        for label, seconds, timings, _hits in rows.values():
            print(
                f"{label:<12} {seconds:>8.1f} {args.docs / seconds:>8,.0f} "
                f"{statistics.median(timings):>8.1f} {percentile(timings, 95):>8.1f} "
                f"{len(timings):>8}"
            )
        whoosh, fts5 = rows["default"], rows["fts5"]
        p95_whoosh, p95_fts5 = percentile(whoosh[2], 95), percentile(fts5[2], 95)
        print()
        print(
            f"Whoosh/FTS5: p50 {statistics.median(whoosh[2]) / statistics.median(fts5[2]):.2f}x, "
            f"p95 {p95_whoosh / p95_fts5:.2f}x, index time {whoosh[1] / fts5[1]:.2f}x"
        )
        print(
            f"targets: Whoosh p95 <= 50 ms: {'met' if p95_whoosh <= 50 else 'NOT met'} "
            f"({p95_whoosh:.1f} ms); within 2x of FTS5: "
            f"{'met' if p95_whoosh <= 2 * p95_fts5 else 'NOT met'}"
        )
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _sqlite() -> str:
    import sqlite3

    return sqlite3.sqlite_version


if __name__ == "__main__":
    sys.exit(main())
