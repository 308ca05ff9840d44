"""Demo content: Harrowfield's consultations in every phase, responses and meetings.

Dates are set relative to the first run, so the phases are spread out whenever the demo is
loaded; a second run finds everything by slug and changes nothing.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from questions.models import Answer, Follow, Question
from questions.services import recount_question

from .models import (
    ConsultationFollow,
    ConsultationIndexPage,
    ConsultationMilestone,
    ConsultationPage,
    ConsultationResponse,
    LiveUpdate,
    MeetingDecision,
    MeetingIndexPage,
    MeetingPage,
    Phase,
)

CONTACT = {
    "contact_email": "haveyoursay@harrowfield.example",
    "contact_phone": "01632 960 418",
    "contact_address": "Consultation team\nHarrowfield Borough Council\nCivic Centre\n"
    "Market Square\nHarrowfield\nHF1 2CC",
}


# Councils do not launch consultations or hold meetings at weekends or over Christmas.
NON_WORKING = {(12, 24), (12, 25), (12, 26), (12, 31), (1, 1)}


def _working_day(day_offset: int):
    """The day `day_offset` from today, moved to a working day: earlier for a day in the past,
    later for one in the future, so that a date never crosses today and changes a phase."""
    step = -1 if day_offset < 0 else 1
    day = timezone.localdate() + timedelta(days=day_offset)
    while day.weekday() >= 5 or (day.month, day.day) in NON_WORKING:
        day += timedelta(days=step)
    return day


def _at(day_offset: int, hour: int, minute: int = 0, *, working: bool = True) -> datetime:
    """A time `day_offset` days from today; on a working day unless `working` is off (online
    consultations close at midnight whatever the day)."""
    day = _working_day(day_offset) if working else timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _day(value: datetime) -> str:
    return date_format(timezone.localtime(value), "j F Y")


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _rich(*paragraphs: str):
    return ("paragraph", _p(*paragraphs))


def _q(kind: str, qid: str, question: str, *, required=False, hint="", **extra) -> dict:
    value = {"question": question, "hint": hint, "required": required, **extra}
    return {"type": kind, "id": qid, "value": value}


def _agree(qid, question, **kw):
    return _q("agree_scale", qid, question, include_dont_know=True, **kw)


def _postcode(qid):
    return _q(
        "short_text",
        qid,
        "What is the first part of your postcode?",
        hint="For example, HF4. This tells us which parts of the borough responses come from.",
        max_length=8,
    )


def _comments(qid, question="Is there anything else you would like to tell us?"):
    return _q("long_text", qid, question, max_length=3000)


def _respondent(qid):
    return _q(
        "single_choice",
        qid,
        "Are you responding as",
        required=True,
        choices=[
            "A resident of Harrowfield",
            "Someone who works or studies in Harrowfield",
            "A local business",
            "On behalf of an organisation or group",
        ],
    )


CONSULTATIONS = [
    {
        "slug": "library-opening-hours-review",
        "title": "Library opening hours review",
        "summary": "We must save £310,000 from the library budget. We asked how to change opening "
        "hours at our six libraries while keeping the times people use them most.",
        "decision_to_make": "Which pattern of opening hours to adopt at Harrowfield's six "
        "libraries from April.",
        "decision_maker": "Cabinet",
        "opens": (-120, 9),
        "closes": (-64, 23, 59),
        "decision_day": -40,
        "tags": ["Libraries", "Budget"],
        "contact_team": "Libraries and Culture",
        "body": [
            _rich(
                "Harrowfield's libraries had 212,000 visits last year. Visits on weekday "
                "mornings have fallen by a third since 2019, while Saturday and after-school "
                "visits have grown.",
                "We must save £310,000 from the library service next year. We do not want to "
                "close a library, so we proposed changing opening hours instead.",
            ),
            (
                "key_facts",
                {
                    "heading": "Key facts",
                    "facts": [
                        {"label": "Libraries", "value": "6"},
                        {"label": "Visits last year", "value": "212,000"},
                        {"label": "Saving needed", "value": "£310,000"},
                        {"label": "Busiest time", "value": "Saturday, 10am to 1pm"},
                    ],
                },
            ),
            (
                "options",
                {
                    "heading": "The options",
                    "options": [
                        {
                            "title": "Option A: open later on weekdays",
                            "description": _p(
                                "Open at 11am instead of 9am from Monday to Friday, and stay "
                                "open until 7pm two evenings a week."
                            ),
                        },
                        {
                            "title": "Option B: close each library one weekday",
                            "description": _p(
                                "Each library closes on one weekday, chosen so that a "
                                "neighbouring library is always open."
                            ),
                        },
                    ],
                },
            ),
        ],
        "questions": [
            _respondent("lib-who"),
            _q(
                "single_choice",
                "lib-option",
                "Which option do you prefer?",
                required=True,
                choices=[
                    "Option A: open later on weekdays",
                    "Option B: close each library one weekday",
                    "Neither",
                ],
            ),
            _agree("lib-saturday", "We should keep Saturday opening hours as they are."),
            _q(
                "multiple_choice",
                "lib-use",
                "What do you use the library for?",
                hint="Select all that apply.",
                choices=[
                    "Borrowing books",
                    "Computers and printing",
                    "Study space",
                    "Children's activities",
                    "Groups and events",
                ],
            ),
            _postcode("lib-postcode"),
            _comments("lib-comments"),
        ],
        "outcome": {
            "we_asked": _p(
                "Between February and April we asked how we should change opening hours at our "
                "six libraries to save £310,000 a year, and whether Saturday hours should stay "
                "the same.",
                "We held drop-in sessions at every library and at Eastgate Community Centre, "
                "and paper forms were available at each library.",
            ),
            "you_said": _p(
                "1,146 people responded. Most (61%) preferred opening later on weekdays to "
                "closing libraries on a weekday. Nine in ten people said Saturday hours must "
                "not be cut.",
                "Parents told us that after-school opening mattered more than mornings. "
                "Older residents at Brookmead asked us to keep the Tuesday morning "
                "Knit and Natter group, which meets before 11am.",
            ),
            "we_did": _p(
                "Cabinet agreed Option A with two changes you asked for: Brookmead Library "
                "opens at 10am on Tuesdays so the group can carry on, and every library stays "
                "open until 6pm on weekdays in school term time.",
                "Saturday hours are unchanged. The new hours start on 6 April. We will review "
                "visitor numbers after six months and report back to the Communities Scrutiny "
                "Committee.",
            ),
            "decision": "Cabinet agreed to open Harrowfield's libraries at 11am on weekdays "
            "(10am at Brookmead on Tuesdays), to keep Saturday hours unchanged, and to stay "
            "open until 6pm in term time, from 6 April.",
        },
        "responses": 46,
    },
    {
        "slug": "millbrook-residents-parking-zone",
        "title": "Residents' parking zone for Hollins Park and Kestrel Road",
        "summary": "Residents near Harrowfield Parkway station have asked for a parking zone. "
        "Tell us whether you support one and which hours it should cover.",
        "decision_to_make": "Whether to introduce a residents' parking zone in the streets "
        "around Harrowfield Parkway station, and its hours.",
        "decision_maker": "Cabinet Member for Transport and Highways",
        "opens": (-9, 9),
        "closes": (19, 23, 59),
        "decision_day": 60,
        "tags": ["Parking", "Transport"],
        "contact_team": "Parking Services",
        "body": [
            _rich(
                "Since the new station car park charges began, residents of Hollins Park, "
                "Kestrel Road and Larchfield Close tell us they cannot park near their homes "
                "on weekdays. A petition signed by 212 households asked us to consider a "
                "residents' parking zone.",
                "A permit would cost £45 a year for the first car and £70 for a second. "
                "Visitor permits would be sold in books of 20.",
            ),
            (
                "callout",
                {
                    "style": "inset",
                    "title": "Drop-in session",
                    "text": _p(
                        "Talk to the parking team at Hollins Park Community Hall on Thursday "
                        "evenings, 5pm to 7pm, while the consultation is open."
                    ),
                },
            ),
        ],
        "questions": [
            _respondent("rpz-who"),
            _agree(
                "rpz-support", "I support a residents' parking zone in this area.", required=True
            ),
            _q(
                "single_choice",
                "rpz-hours",
                "If there is a zone, which hours should it cover?",
                choices=[
                    "Monday to Friday, 8am to 6pm",
                    "Monday to Saturday, 8am to 6pm",
                    "Monday to Friday, 10am to 11am only",
                ],
            ),
            _postcode("rpz-postcode"),
            _comments("rpz-comments"),
        ],
        "responses": 31,
    },
    {
        "slug": "budget-2026-27",
        "title": "Budget consultation 2026 to 2027",
        "summary": "We face a gap of £8.4 million next year. Tell us which services matter most to "
        "you and how you think we should balance the budget.",
        "decision_to_make": "The council's budget and council tax for 2026 to 2027.",
        "decision_maker": "Full Council",
        "opens": (-26, 9),
        "closes": (2, 17),
        "decision_day": 35,
        "tags": ["Budget", "Council tax"],
        "contact_team": "Finance and Corporate Services",
        "body": [
            _rich(
                "Every year we spend about £186 million on services for Harrowfield's 142,000 "
                "residents. More than half goes on adult social care and children's services.",
                "Next year we expect costs to rise faster than our income, leaving a gap of "
                "£8.4 million. We want to know which services you value most before we set "
                "the budget.",
            ),
            (
                "callout",
                {
                    "style": "warning",
                    "title": "",
                    "text": _p(
                        "Each 1% rise in council tax raises about £790,000, or 60p a week "
                        "for a Band D home."
                    ),
                },
            ),
        ],
        "questions": [
            _respondent("bud-who"),
            _q(
                "multiple_choice",
                "bud-priorities",
                "Which three services matter most to you?",
                required=True,
                hint="Select up to three.",
                choices=[
                    "Adult social care",
                    "Children's services",
                    "Bins and recycling",
                    "Roads and pavements",
                    "Parks and open spaces",
                    "Libraries",
                    "Leisure centres",
                ],
            ),
            _q(
                "single_choice",
                "bud-tax",
                "How should we balance the budget?",
                required=True,
                choices=[
                    "Raise council tax by the most allowed (4.99%) and protect services",
                    "Raise council tax by 2.99% and make some savings",
                    "Freeze council tax and make larger savings",
                ],
            ),
            _comments(
                "bud-ideas", "Do you have ideas for how we could save money or raise income?"
            ),
        ],
        "responses": 38,
    },
    {
        "slug": "station-road-cycle-lane",
        "title": "Station Road protected cycle lane",
        "summary": "We plan a kerb-protected cycle lane on Station Road between Market Square and "
        "Harrowfield Parkway, funded by the Active Travel Fund.",
        "decision_to_make": "Whether to build a protected cycle lane on Station Road, and how to "
        "arrange loading and bus stops along it.",
        "decision_maker": "Planning and Highways Committee",
        "opens": (8, 9),
        "closes": (50, 23, 59),
        "decision_day": 90,
        "tags": ["Transport", "Cycling"],
        "contact_team": "Highways and Transport Planning",
        "body": [
            _rich(
                "Station Road carries 14,000 vehicles and 900 cycle trips a day. There were 11 "
                "collisions involving cyclists on it in the last three years.",
                "The scheme would put a 2 metre cycle lane on each side, separated from traffic "
                "by a kerb, with floating bus stops and two loading bays.",
            ),
        ],
        "questions": [
            _agree(
                "cyc-support", "I support a protected cycle lane on Station Road.", required=True
            ),
            _q(
                "multiple_choice",
                "cyc-travel",
                "How do you usually travel along Station Road?",
                choices=["Walking", "Cycling", "Bus", "Car or van", "I do not use it"],
            ),
            _comments("cyc-comments", "How would the scheme affect you?"),
        ],
        "responses": 0,
    },
    {
        "slug": "elmhurst-house-care-home",
        "title": "Proposed closure of Elmhurst House care home",
        "summary": "We proposed closing Elmhurst House, our last council-run care home, and "
        "helping its 23 residents move to nearby homes. The consultation has closed and we are "
        "considering the responses.",
        "decision_to_make": "Whether to close Elmhurst House residential care home, and if so, "
        "how to support residents and staff through the move.",
        "decision_maker": "Cabinet",
        "opens": (-95, 9),
        "closes": (-8, 23, 59),
        "decision_day": 21,
        "tags": ["Adult social care"],
        "contact_team": "Adult Social Care Commissioning",
        "body": [
            _rich(
                "Elmhurst House opened in 1974. It would need £2.6 million of work to meet "
                "current standards, and only 23 of its 40 rooms are used.",
                "Nobody would have to move until a place they and their family are happy with "
                "has been found. Each resident would have a named social worker throughout.",
            ),
        ],
        "questions": [
            _q(
                "single_choice",
                "elm-who",
                "What is your connection to Elmhurst House?",
                required=True,
                choices=[
                    "I live there",
                    "A relative or friend lives there",
                    "I work there",
                    "None: I am a resident of Harrowfield",
                ],
            ),
            _agree(
                "elm-agree", "I agree with the proposal to close Elmhurst House.", required=True
            ),
            _comments("elm-impact", "How would the proposal affect you or your family?"),
        ],
        "responses": 27,
    },
    {
        "slug": "cctv-policy",
        "title": "Public space CCTV policy",
        "summary": "We are updating the rules for our 118 public space CCTV cameras: where they "
        "go, how long footage is kept and who can see it.",
        "decision_to_make": "Whether to adopt the revised public space CCTV policy and code of "
        "practice.",
        "decision_maker": "Cabinet Member for Community Safety",
        "opens": (-4, 9),
        "closes": (38, 23, 59),
        "decision_day": 75,
        "tags": ["Community safety", "Privacy"],
        "contact_team": "Community Safety Partnership",
        "body": [
            _rich(
                "We run 118 cameras in town centres, car parks and parks, monitored from the "
                "control room at the Civic Centre with Harrowfield Police.",
                "The revised policy shortens how long footage is kept from 31 to 28 days, "
                "publishes a map of every camera, and bans facial recognition without a "
                "further public consultation.",
            ),
        ],
        "questions": [
            _agree(
                "cctv-safe", "CCTV makes me feel safer in Harrowfield town centre.", required=True
            ),
            _agree("cctv-retention", "Footage should be kept for no more than 28 days."),
            _q(
                "single_choice",
                "cctv-facial",
                "Should the council ever use live facial recognition?",
                required=True,
                choices=[
                    "Never",
                    "Only for serious crime, after a public consultation",
                    "Yes, where the police ask for it",
                ],
            ),
            _comments("cctv-comments"),
        ],
        "responses": 19,
    },
]

FIRST_NAMES = [
    "Aisha", "Ben", "Carys", "Deepak", "Elin", "Fraser", "Grace", "Hamza", "Imogen", "Jonah",
    "Kiran", "Lowri", "Marek", "Niamh", "Olu", "Poppy", "Rhys", "Sana", "Tariq", "Una",
]  # fmt: skip
COMMENTS = [
    "I work shifts, so evening opening matters more to me than mornings.",
    "Please think about older people who do not use the internet. The library is where I get "
    "help with forms.",
    "The buses on this route are already unreliable; anything that slows them down will make "
    "it worse.",
    "We moved here because of the parks. Please do not cut the grounds maintenance again.",
    "I support this, but please publish the figures behind it so people can check them.",
    "My mum has lived at Elmhurst for six years. The staff are like family to her.",
    "Parking on our street is impossible after 8am on weekdays. Something has to change.",
    '=HYPERLINK("http://example.com") is what a spreadsheet would run if you are not careful.',
    "I would rather pay a little more council tax than lose any more services.",
    "Consult the people who live on the road, not just those who drive through it.",
]


def _answer_for(rng: random.Random, block: dict):
    kind, value = block["type"], block["value"]
    if kind == "single_choice":
        return rng.choice(value["choices"])
    if kind == "multiple_choice":
        return rng.sample(value["choices"], k=rng.randint(1, min(3, len(value["choices"]))))
    if kind == "agree_scale":
        scale = [
            "Strongly agree",
            "Agree",
            "Agree",
            "Neither agree nor disagree",
            "Disagree",
            "Strongly disagree",
            "Don't know",
        ]
        return rng.choice(scale)
    if kind == "short_text":
        return rng.choice(["HF1", "HF2", "HF3", "HF4", "HF7", ""])
    return rng.choice(COMMENTS) if rng.random() < 0.6 else ""


def _seed_responses(ctx, page: ConsultationPage, spec: dict) -> None:
    wanted = spec["responses"]
    if not wanted or ConsultationResponse.objects.filter(page=page).exists():
        return
    rng = random.Random(page.slug)  # noqa: S311  # nosec B311 - demo content, not security
    span = (min(page.closes_at, timezone.now()) - page.opens_at).total_seconds()
    rows = []
    for i in range(wanted):
        answers = {}
        for position, block in enumerate(spec["questions"], start=1):
            answer = _answer_for(rng, block)
            if answer:
                answers[block["id"]] = {
                    "question": block["value"]["question"],
                    "kind": block["type"],
                    "position": position,
                    "answer": answer,
                }
        named = rng.random() < 0.5
        name = f"{rng.choice(FIRST_NAMES)}" if named else ""
        consent_contact = rng.random() < 0.35
        rows.append(
            ConsultationResponse(
                page=page,
                answers=answers,
                consent_publish=rng.random() < 0.7,
                consent_contact=consent_contact,
                name=name,
                email=f"{name.lower() or 'respondent'}.{i}@example.com" if consent_contact else "",
                submitted_at=page.opens_at + timedelta(seconds=rng.uniform(0, span)),
                receipt_sent_at=timezone.now() if consent_contact else None,
            )
        )
    # the demo residents' own responses, so "My contributions" has something to show
    if page.phase_at(timezone.now()) != Phase.UPCOMING and spec["slug"] in (
        "library-opening-hours-review",
        "budget-2026-27",
    ):
        resident = ctx.users["resident"]
        answers = {}
        for position, block in enumerate(spec["questions"], start=1):
            seeded = random.Random(f"{page.slug}-resident-{position}")  # noqa: S311  # nosec B311
            answer = _answer_for(seeded, block)
            if answer:
                answers[block["id"]] = {
                    "question": block["value"]["question"],
                    "kind": block["type"],
                    "position": position,
                    "answer": answer,
                }
        rows.append(
            ConsultationResponse(
                page=page,
                user=resident,
                answers=answers,
                consent_publish=True,
                consent_contact=False,
                email=resident.email,
                submitted_at=page.opens_at + timedelta(days=3, hours=4),
                receipt_sent_at=page.opens_at + timedelta(days=3, hours=4),
            )
        )
        ConsultationFollow.objects.get_or_create(page=page, user=resident)
    created = ConsultationResponse.objects.bulk_create(rows)
    year_prefix = "HBC-CR-"
    for row in created:
        row.reference = f"{year_prefix}{row.submitted_at.year}-{row.pk:06d}"
    ConsultationResponse.objects.bulk_update(created, ["reference"])


def _mark_announced(page: ConsultationPage) -> None:
    """Phase changes that happened before the demo existed are not news to anyone."""
    now = timezone.now()
    phase = page.phase_at(now)
    kinds = []
    if phase != Phase.UPCOMING:
        kinds.append(ConsultationMilestone.Kind.OPENED)
    if phase != Phase.UPCOMING and page.closes_at - now <= timedelta(days=3):
        kinds.append(ConsultationMilestone.Kind.CLOSING_SOON)
    if phase == Phase.DECIDED:
        kinds.append(ConsultationMilestone.Kind.OUTCOME_PUBLISHED)
    for kind in kinds:
        happened_at = page.opens_at
        if kind == ConsultationMilestone.Kind.OUTCOME_PUBLISHED:
            happened_at = page.closes_at + timedelta(days=26)
        ConsultationMilestone.objects.get_or_create(
            page=page, kind=kind, defaults={"happened_at": happened_at}
        )


LIVE_UPDATES = [
    (0, "The meeting has started. The Leader, Cllr Joanna Whitfield, is in the chair. "
        "Apologies from Cllr Harris."),
    (6, "Item 3: the minutes of the last meeting were agreed."),
    (11, "Item 4, library opening hours. Cllr Bukola Adeyemi, Cabinet Member for Communities, "
         "introduces the report: 1,146 people responded to the consultation."),
    (19, "Two residents spoke on the library item, including a member of the Brookmead "
         "Knit and Natter group asking for Tuesday mornings to be kept."),
    (27, "Cllr Adeyemi proposes an amendment: Brookmead Library to open at 10am on Tuesdays."),
    (34, "Decision: Cabinet agreed new library opening hours from 6 April, with the Brookmead "
         "amendment. Saturday hours are unchanged. Full details on the consultation page."),
    (41, "Item 5, quarter 3 budget monitoring. The council is forecasting an overspend of "
         "£1.2 million, mainly in children's placements."),
    (55, "Item 5 noted. Item 6, the Harrowfield Parkway station parking review, is deferred "
         "to the next meeting."),
    (62, "The meeting has closed. The webcast recording will be online within two working days."),
]  # fmt: skip


def _seed_meetings(ctx, meetings_index, pages: dict) -> None:
    library = pages["library-opening-hours-review"]
    past_start = timezone.make_aware(datetime.combine(library.decision_date, time(18, 30)))
    cabinet = ctx.page(
        meetings_index,
        MeetingPage,
        "cabinet-library-hours",
        title=f"Cabinet, {_day(past_start)}",
        committee="Cabinet",
        starts_at=past_start,
        ends_at=past_start + timedelta(hours=1, minutes=5),
        venue="Council Chamber, Harrowfield Civic Centre",
        venue_address="Market Square\nHarrowfield\nHF1 2CC",
        summary="Cabinet considered the library opening hours review, quarter 3 budget "
        "monitoring and the station parking review.",
        webcast_url="https://harrowfield.example/webcasts/cabinet-library-hours",
        agenda=[
            ("item", {"title": "Apologies for absence", "summary": "", "papers": []}),
            ("item", {"title": "Declarations of interest", "summary": "", "papers": []}),
            ("item", {"title": "Minutes of the previous meeting", "summary": "", "papers": []}),
            (
                "item",
                {
                    "title": "Library opening hours review: outcome of consultation",
                    "summary": _p("Report of the Director of Communities."),
                    "papers": [],
                    "consultation": library,
                },
            ),
            ("item", {"title": "Quarter 3 budget monitoring", "summary": "", "papers": []}),
            ("item", {"title": "Harrowfield Parkway parking review", "summary": "", "papers": []}),
        ],
        decisions=[
            MeetingDecision(
                sort_order=0,
                title="Library opening hours",
                text="Cabinet agreed to open libraries at 11am on weekdays from 6 April, with "
                "Brookmead Library opening at 10am on Tuesdays, Saturday hours unchanged and "
                "opening until 6pm on weekdays in term time. The service will report visitor "
                "numbers to the Communities Scrutiny Committee after six months.",
                consultation=library,
            ),
            MeetingDecision(
                sort_order=1,
                title="Quarter 3 budget monitoring",
                text="Cabinet noted the forecast overspend of £1.2 million and asked the "
                "Director of Children's Services to report on placement costs at the next "
                "meeting.",
            ),
        ],
        body=[
            _rich(
                "Members of the public are welcome to attend. You can ask to speak on an item "
                "by emailing democratic.services@harrowfield.example by noon two working days "
                "before the meeting."
            )
        ],
    )
    if library.decision_meeting_id != cabinet.pk:
        library.decision_meeting = cabinet
        library.save(update_fields=["decision_meeting"])
        revision = library.save_revision()
        revision.publish()
    if not LiveUpdate.objects.filter(meeting=cabinet).exists():
        officer = ctx.users["officer"]
        LiveUpdate.objects.bulk_create(
            LiveUpdate(
                meeting=cabinet,
                text=text,
                posted_by=officer,
                posted_at=past_start + timedelta(minutes=minutes),
            )
            for minutes, text in LIVE_UPDATES
        )

    care_home = pages["elmhurst-house-care-home"]
    cabinet_next = _at(21, 18, 30)
    ctx.page(
        meetings_index,
        MeetingPage,
        "cabinet-elmhurst-house",
        title=f"Cabinet, {_day(cabinet_next)}",
        committee="Cabinet",
        starts_at=cabinet_next,
        ends_at=cabinet_next + timedelta(hours=2),
        venue="Council Chamber, Harrowfield Civic Centre",
        venue_address="Market Square\nHarrowfield\nHF1 2CC",
        summary="Cabinet will consider the outcome of the consultation on Elmhurst House care "
        "home.",
        webcast_url="https://harrowfield.example/webcasts/cabinet-elmhurst",
        agenda=[
            ("item", {"title": "Apologies for absence", "summary": "", "papers": []}),
            (
                "item",
                {
                    "title": "Future of Elmhurst House residential care home",
                    "summary": _p(
                        "Report of the Director of Adult Social Care on the consultation."
                    ),
                    "papers": [],
                    "consultation": care_home,
                },
            ),
        ],
    )

    planning = _at(6, 19)
    ctx.page(
        meetings_index,
        MeetingPage,
        "planning-highways-committee",
        title=f"Planning and Highways Committee, {_day(planning)}",
        committee="Planning and Highways Committee",
        starts_at=planning,
        ends_at=planning + timedelta(hours=2, minutes=30),
        venue="Committee Room 2, Harrowfield Civic Centre",
        venue_address="Market Square\nHarrowfield\nHF1 2CC",
        summary="The committee will discuss the Station Road cycle lane before its public "
        "consultation, and two planning applications.",
        agenda=[
            (
                "item",
                {
                    "title": "Station Road protected cycle lane: design and consultation",
                    "summary": "",
                    "papers": [],
                    "consultation": pages["station-road-cycle-lane"],
                },
            ),
            (
                "item",
                {
                    "title": "24/0917/FUL: 14 Larchfield Close, two-storey side extension",
                    "summary": "",
                    "papers": [],
                },
            ),
        ],
    )


# Questions residents asked about consultations ("Ask a question about this consultation").
LINKED_QUESTIONS = [
    {
        "page": "millbrook-residents-parking-zone",
        "title": "Would carers visiting residents in the parking zone need to pay for a permit?",
        "body": "My mum lives on Kestrel Road and her carers visit four times a day. If the zone "
        "goes ahead, would they need visitor permits, and who pays?",
        "by": "resident2",
        "days": 9,
        "answer": "No. Carers visiting someone who lives in the zone can have a free carer's "
        "permit, which works in every street in the zone. The person being cared for, or "
        "their family, applies once and the permit lasts a year.\n\nIf you want the zone "
        "to work differently for carers, please say so in the consultation: it is one of the "
        "things we are asking about.",
    },
    {
        "page": "budget-2026-27",
        "title": "Does the budget consultation include the garden waste charge?",
        "body": "The budget papers mention fees and charges. Is the price of the garden waste "
        "subscription part of this consultation or decided separately?",
        "by": "resident",
        "days": 5,
        "answer": "Yes. The proposed fees and charges for next year, including garden waste "
        "(£52 to £56 a year), are in appendix C of the budget papers, and the last question "
        "in the consultation asks about them. Cabinet sets all fees and charges at the same "
        "meeting as the budget in February.",
    },
    {
        "page": "station-road-cycle-lane",
        "title": "Will the Station Road cycle lane remove the loading bay outside the bakery?",
        "body": "The bakery and the pharmacy get deliveries every morning. The drawings do not "
        "show where lorries would stop.",
        "by": "resident2",
        "days": 12,
        "answer": "The loading bay stays, moved 15 metres towards the station so that it sits "
        "outside the cycle lane. Deliveries can use it from 7am to 10am. The revised drawing "
        "is in the consultation documents (drawing 4, revision B).",
    },
]


def _seed_linked_questions(ctx, pages: dict) -> None:
    existing = set(
        Question.objects.filter(title__in=[q["title"] for q in LINKED_QUESTIONS]).values_list(
            "title", flat=True
        )
    )
    now = timezone.now()
    officer = ctx.users["officer"]
    for spec in LINKED_QUESTIONS:
        if spec["title"] in existing:
            continue
        asked = now - timedelta(days=spec["days"])
        question = Question.objects.create(
            title=spec["title"],
            body=spec["body"],
            author=ctx.users[spec["by"]],
            about_page=pages[spec["page"]],
            status=Question.Status.PUBLISHED,
            created_at=asked,
            published_at=asked,
            last_activity_at=asked,
        )
        question.tags.add(*pages[spec["page"]].tags.names())
        Follow.objects.get_or_create(user=question.author, question=question)
        Answer.objects.create(
            question=question,
            author=officer,
            body=spec["answer"],
            is_official=True,
            official_title=officer.official_title,
            created_at=asked + timedelta(days=1),
        )
        recount_question(question.pk)


def seed(ctx) -> None:
    with transaction.atomic():
        index = ctx.page(
            ctx.home,
            ConsultationIndexPage,
            "consultations",
            title="Consultations",
            show_in_menus=True,
        )
        meetings_index = ctx.page(
            ctx.home,
            MeetingIndexPage,
            "meetings",
            title="Meetings and decisions",
            show_in_menus=True,
        )
        pages = {}
        for spec in CONSULTATIONS:
            existing = index.get_children().filter(slug=spec["slug"]).specific().first()
            if existing is None:
                fields = {
                    "title": spec["title"],
                    "summary": spec["summary"],
                    "decision_to_make": spec["decision_to_make"],
                    "decision_maker": spec["decision_maker"],
                    "decision_date": _working_day(spec["decision_day"]),
                    "opens_at": _at(*spec["opens"]),
                    "closes_at": _at(*spec["closes"], working=False),
                    "body": spec["body"],
                    "questions": spec["questions"],
                    "contact_team": spec["contact_team"],
                    **CONTACT,
                    **spec.get("outcome", {}),
                }
                page = ConsultationPage(slug=spec["slug"], **fields)
                index.add_child(instance=page)
                page.tags.add(*spec["tags"])
                page.save()
                # announcements for the demo's history are recorded before anyone could follow
                _mark_announced(page)
                page.save_revision().publish()
                existing = page
            pages[spec["slug"]] = existing
            _seed_responses(ctx, existing, spec)
        _seed_meetings(ctx, meetings_index, pages)
        _seed_linked_questions(ctx, pages)
        for slug in ("millbrook-residents-parking-zone", "station-road-cycle-lane"):
            ConsultationFollow.objects.get_or_create(page=pages[slug], user=ctx.users["resident2"])
    ctx.write(
        f"Consultations: {len(pages)} consultations, "
        f"{ConsultationResponse.objects.count()} responses, "
        f"{MeetingPage.objects.count()} meetings."
    )
