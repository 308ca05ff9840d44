"""Demo content for scrutiny: two inquiries with evidence from every source, tagged and triaged.

Runs after the other apps' demo modules, so it promotes the questions, answers, comments,
consultation responses and X replies they created, and adds direct submissions and notes of
oral evidence of its own. Everything is looked up before it is created (idempotent). The
council, places and people are invented.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from wagtail.models import Page

from . import services, sources
from .models import (
    Consent,
    Evidence,
    EvidenceLink,
    InquiryFollow,
    InquiryIndexPage,
    InquiryLinkedPage,
    InquiryPage,
    SourceKind,
    SourceState,
    TriageStatus,
)


@dataclass
class Item:
    text: str
    author: str
    days_ago: int
    themes: tuple[str, ...]
    status: str = TriageStatus.RELEVANT
    consent_publish: bool = True
    organisation: str = ""
    publish: bool = True
    redact: tuple[str, str] | None = None  # (phrase, reason)


ROAD_SAFETY_SUBMISSIONS = [
    Item(
        "I walk my two children to Millbrook Primary along Station Road. Drivers treat the "
        "20mph limit as a suggestion: I timed cars between the lights and most were doing 30. "
        "A speed camera or a raised table at the school gate would change this overnight.",
        "Aisha Rahman",
        18,
        ("Speeding",),
    ),
    Item(
        "Parents park on the zig-zags outside St Anne's every afternoon because there is "
        "nowhere else to stop. The civil enforcement officers come once a term and everyone "
        "knows it. Please consider a school street closure at pick-up time.",
        "Gareth Lewis",
        16,
        ("Parking at the school gate",),
    ),
    Item(
        "As chair of the Eastfield Primary PTA I surveyed 212 families in February. 61% said "
        "they would let their children walk or cycle if the crossing on Bridge Street had a "
        "patrol. 48% drive less than one mile to school.",
        "Harriet Doyle",
        14,
        ("Crossings and patrols", "Walking and cycling routes"),
        organisation="Eastfield Primary PTA",
    ),
    Item(
        "The school crossing patrol on Canal Lane retired last summer and has not been "
        "replaced. My son now crosses four lanes of traffic alone. Call me on 07700 900481 "
        "if you want to see it for yourselves.",
        "Name withheld",
        12,
        ("Crossings and patrols",),
        redact=("07700 900481", "Personal phone number"),
    ),
    Item(
        "There is no safe cycle route from the Orchard estate to Harrowfield Academy. The "
        "shared path ends at the ring road and children are expected to cycle on the "
        "carriageway. A short link across the old railway land would fix this.",
        "Harrowfield Cycle Forum",
        10,
        ("Walking and cycling routes",),
        organisation="Harrowfield Cycle Forum",
    ),
    Item(
        "My daughter was clipped by a van reversing out of a driveway opposite Millbrook "
        "Primary. She was not badly hurt. I would rather this was not published because "
        "it identifies her.",
        "Name withheld",
        9,
        ("Speeding", "Parking at the school gate"),
        consent_publish=False,
        publish=False,
    ),
    Item(
        "Speeding near schools is a real problem in Harrowfield, drivers are far too fast "
        "on Station Road at school times and something needs to be done about it.",
        "Paul Whitcombe",
        7,
        ("Speeding",),
        status=TriageStatus.DUPLICATE,
    ),
    Item(
        "Please fix the potholes on the High Street, my car's suspension has been damaged "
        "twice this winter.",
        "R. Singh",
        6,
        (),
        status=TriageStatus.NOT_RELEVANT,
        publish=False,
    ),
    Item(
        "The new 'school street' trial outside Northgate Infants has been brilliant. The "
        "road is quiet, children scoot in, and the neighbours who worried about access "
        "have found the permit system easy.",
        "Deborah Okoye",
        3,
        ("Parking at the school gate", "Walking and cycling routes"),
        status=TriageStatus.NEW,
        publish=False,
    ),
]

ROAD_SAFETY_ORAL = [
    Item(
        "Sergeant Mistry told the committee that 14 of the 23 injury collisions within 400m "
        "of a school in the last three years happened between 8.15 and 9.00am, and that "
        "speed enforcement outside schools is limited by the number of trained officers.",
        "Sgt Karen Mistry",
        11,
        ("Speeding",),
        organisation="Harrowfield Roads Policing Unit",
    ),
    Item(
        "Mr Adeyemi, head teacher of Millbrook Primary, described the school's walking bus "
        "and said that the loss of the crossing patrol had ended it: parents no longer felt "
        "able to let volunteers take children across Canal Lane.",
        "Tunde Adeyemi",
        5,
        ("Crossings and patrols", "Walking and cycling routes"),
        organisation="Head teacher, Millbrook Primary School",
    ),
]

LIBRARY_SUBMISSIONS = [
    Item(
        "I work shifts and the Eastfield library is only open until 5pm on weekdays. One late "
        "evening a week would let me take my children to the Saturday Club books back.",
        "Marta Kowalczyk",
        110,
        ("Opening hours",),
    ),
    Item(
        "The mobile library stopped visiting Upper Wenlow village in 2024. Most of us are "
        "over 70 and the bus to town runs twice a day. Please bring back even a monthly stop.",
        "Upper Wenlow Parish Council",
        104,
        ("Mobile library",),
        organisation="Upper Wenlow Parish Council",
    ),
    Item(
        "The public computers at the Central Library are always booked. People come in to "
        "apply for Universal Credit and are turned away. More computers and someone to help "
        "would make a big difference.",
        "Colin Barrett",
        96,
        ("Digital access",),
    ),
    Item(
        "The ramp at the Millbrook branch is too steep for my wheelchair without help, and "
        "the accessible toilet is used as a store room.",
        "Name withheld",
        90,
        ("Accessibility",),
        consent_publish=False,
        publish=False,
    ),
    Item(
        "Libraries are a lifeline. Please do not close any branches.",
        "Janet Hooper",
        78,
        ("Opening hours",),
        status=TriageStatus.NOT_RELEVANT,
        publish=False,
    ),
]

LIBRARY_ORAL = [
    Item(
        "The Head of Libraries explained that self-service 'open plus' hours could extend "
        "opening at Eastfield and Millbrook to 8pm on three evenings at modest cost, with "
        "staff present for part of that time.",
        "Neil Ashworth",
        85,
        ("Opening hours", "Digital access"),
        organisation="Head of Libraries, Harrowfield Borough Council",
    ),
    Item(
        "A volunteer from Age Concern Harrowfield described running digital drop-ins at the "
        "Central Library and said demand outstrips what volunteers can offer.",
        "Brenda Fairweather",
        80,
        ("Digital access",),
        organisation="Age Concern Harrowfield",
    ),
]


def _rich(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _record(inquiry, item: Item, kind: str, officer) -> tuple[Evidence, bool]:
    """A submission or oral note as it was given on its day (found again on a second run)."""
    text = item.text
    digest = Evidence.hash_text(text)
    existing = Evidence.objects.filter(source_kind=kind, text_sha256=digest).first()
    if existing is not None:
        return existing, False
    said_at = timezone.now() - timedelta(days=item.days_ago, hours=3)
    [reference] = services.allocate_references(1)
    evidence = Evidence.objects.create(
        reference=reference,
        source_kind=kind,
        source_state=SourceState.NONE,
        title=f"Oral evidence from {item.author}" if kind == SourceKind.ORAL else "",
        author_name=item.author,
        organisation=item.organisation,
        said_at=said_at,
        captured_at=said_at + timedelta(hours=2),
        captured_by=officer if kind == SourceKind.ORAL else None,
        text=text,
        text_sha256=digest,
        consent=Consent.PUBLIC if item.consent_publish else Consent.COMMITTEE_ONLY,
    )
    EvidenceLink.objects.create(evidence=evidence, inquiry=inquiry, linked_by=officer)
    services._audit(
        [evidence],
        "scrutiny.evidence.oral" if kind == SourceKind.ORAL else "scrutiny.evidence.submit",
        officer if kind == SourceKind.ORAL else None,
        {"inquiry": inquiry.pk},
    )
    return evidence, True


def _triage(evidence: Evidence, item: Item, officer, original: Evidence | None = None) -> None:
    if item.themes:
        services.evidence_add_themes(evidences=[evidence], names=item.themes, by=officer)
    if item.status == TriageStatus.DUPLICATE and original is not None:
        services.evidence_mark_duplicate(evidences=[evidence], original=original, by=officer)
    elif item.status != TriageStatus.NEW:
        services.evidence_set_status(evidences=[evidence], status=item.status, by=officer)
    if item.publish and evidence.consent == Consent.PUBLIC:
        services.evidence_set_public(evidences=[evidence], public=True, by=officer)
    if item.redact:
        phrase, reason = item.redact
        services.evidence_redact(evidence=evidence, phrase=phrase, reason=reason, by=officer)


def _add(inquiry, items, kind, officer) -> list[Evidence]:
    out = []
    first = None
    for item in items:
        evidence, created = _record(inquiry, item, kind, officer)
        if created:
            _triage(evidence, item, officer, original=first)
        first = first or evidence
        out.append(evidence)
    return out


# Which contributions from the other apps' demos go to which inquiry, and how they are triaged.
ROAD_WORDS = ("school", "crossing", "speed", "20mph", "pavement", "cycle", "parked on", "drop-off")
LIBRARY_WORDS = ("library", "libraries", "e-book", "opening hours")
ROAD_THEMES = {
    "speed": "Speeding",
    "20mph": "Speeding",
    "park": "Parking at the school gate",
    "crossing": "Crossings and patrols",
    "patrol": "Crossings and patrols",
    "cycl": "Walking and cycling routes",
    "walk": "Walking and cycling routes",
    "school run": "Walking and cycling routes",
}
LIBRARY_THEMES = {
    "hour": "Opening hours",
    "evening": "Opening hours",
    "mobile": "Mobile library",
    "computer": "Digital access",
    "wifi": "Digital access",
    "online": "Digital access",
    "access": "Accessibility",
}


def _themes_for(text: str, table: dict) -> list[str]:
    low = text.lower()
    return sorted({theme for word, theme in table.items() if word in low})


def _promote_sources(inquiry, words, themes_table, officer, per_kind=4) -> int:
    """Promote matching demo contributions from every installed source (idempotently)."""
    promoted = 0
    for adapter in sources.adapters():
        picked = []
        for obj in adapter.demo_candidates():
            try:
                captured = adapter.capture(obj)
            except sources.PromotionRefused:
                continue
            # Chosen on what the person said (not the post or question they replied to), and
            # said while the inquiry was taking evidence.
            if not any(w in captured.text.lower() for w in words):
                continue
            said = timezone.localdate(captured.said_at) if captured.said_at else None
            if said and inquiry.evidence_closes and said > inquiry.evidence_closes:
                continue
            picked.append((obj, captured))
            if len(picked) >= per_kind:
                break
        if not picked:
            continue
        results = services.evidence_promote_many(
            sources_=[obj for obj, _ in picked], inquiry=inquiry, by=officer
        )
        for result, (_obj, captured) in zip(results, picked, strict=True):
            if not result.created:
                continue
            e = result.evidence
            # Triage on what the person said, not on the post or question it answered.
            names = _themes_for(captured.text, themes_table)
            if names:
                services.evidence_add_themes(evidences=[e], names=names, by=officer)
                services.evidence_set_status(
                    evidences=[e], status=TriageStatus.RELEVANT, by=officer
                )
                if e.consent == Consent.PUBLIC:
                    services.evidence_set_public(evidences=[e], public=True, by=officer)
            elif not any(w in captured.text.lower() for w in words):
                services.evidence_set_status(
                    evidences=[e], status=TriageStatus.NOT_RELEVANT, by=officer
                )
            promoted += 1
    return promoted


def _linked(*slugs: str) -> list[InquiryLinkedPage]:
    """Consultations and meetings from the consultations demo that feed an inquiry."""
    pages = {p.slug: p for p in Page.objects.filter(slug__in=slugs)}
    return [InquiryLinkedPage(page=pages[s]) for s in slugs if s in pages]


def seed(ctx) -> None:
    officer = ctx.users["officer"]
    today = timezone.localdate()
    index = ctx.page(
        ctx.home,
        InquiryIndexPage,
        "inquiries",
        title="Scrutiny inquiries",
        show_in_menus=True,
        intro="Councillors on Harrowfield's scrutiny committees look closely at how services "
        "work and recommend improvements. Find out what they are looking at and give evidence.",
    )
    road = ctx.page(
        index,
        InquiryPage,
        "road-safety-near-schools",
        title="Road safety near schools",
        summary="How safe are the journeys children make to Harrowfield's schools, and what "
        "would make more families walk and cycle?",
        committee="Place Scrutiny Committee",
        chair="Cllr Margaret Osei",
        terms_of_reference=_rich(
            "To examine the safety of roads within 400 metres of the borough's primary and "
            "secondary schools, and the council's approach to speed limits, parking "
            "enforcement, crossing patrols and safe routes to school.",
            "To hear from parents, children, schools, Harrowfield Police and the council's "
            "highways team, and to recommend practical changes the council can make within "
            "its budget.",
        ),
        key_questions="\n".join(
            [
                "Where do families feel least safe on the way to school, and why?",
                "Is the 20mph limit outside schools respected and enforced?",
                "What has happened since crossing patrols were reduced in 2024?",
                "Would school streets work in Harrowfield?",
            ]
        ),
        evidence_opens=today - timedelta(days=21),
        evidence_closes=today + timedelta(days=24),
        linked_pages=_linked("station-road-cycle-lane", "millbrook-residents-parking-zone"),
    )
    libraries = ctx.page(
        index,
        InquiryPage,
        "access-to-library-services",
        title="Access to library services",
        summary="Who can use Harrowfield's libraries, who finds it hard, and how opening "
        "hours, the mobile library and digital services could change that.",
        committee="Communities Scrutiny Committee",
        chair="Cllr Jonah Pritchard",
        terms_of_reference=_rich(
            "To review access to the borough's eight libraries and the mobile library "
            "service, including opening hours, physical accessibility, digital access and "
            "the effect of the 2024 changes to mobile library routes.",
        ),
        key_questions="\n".join(
            [
                "Do opening hours suit people who work or care for others?",
                "What did the changes to the mobile library mean for rural villages?",
                "Can people get the help they need with computers and online forms?",
            ]
        ),
        evidence_opens=today - timedelta(days=120),
        evidence_closes=today - timedelta(days=70),
        final_report=_rich(
            "The committee heard from 143 residents and organisations. It recommends one late "
            "opening a week at every branch, a monthly mobile library stop in each village "
            "that lost one, and a digital help desk at the Central Library.",
        ),
        report_published_on=today - timedelta(days=14),
        linked_pages=_linked("library-opening-hours-review", "cabinet-library-hours"),
    )

    _add(road, ROAD_SAFETY_SUBMISSIONS, SourceKind.SUBMISSION, officer)
    _add(road, ROAD_SAFETY_ORAL, SourceKind.ORAL, officer)
    _add(libraries, LIBRARY_SUBMISSIONS, SourceKind.SUBMISSION, officer)
    _add(libraries, LIBRARY_ORAL, SourceKind.ORAL, officer)
    _promote_sources(road, ROAD_WORDS, ROAD_THEMES, officer)
    _promote_sources(libraries, LIBRARY_WORDS, LIBRARY_THEMES, officer)

    InquiryFollow.objects.get_or_create(inquiry=road, user=ctx.users["resident"])
    ctx.write(
        f"Scrutiny: {InquiryPage.objects.count()} inquiries, "
        f"{Evidence.objects.count()} items of evidence."
    )
