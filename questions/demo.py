"""Demo content for questions: "Ask the council" with about thirty threads across the topics
residents of the invented Harrowfield Borough Council ask about most.

Rows are created directly (not through the services) so that seeding sends no emails; the
counters are then recomputed from the rows. Every thread is looked up by its title first, so
running `seed_demo` again changes nothing.
"""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from portal import roles
from portal.models import User

from .models import Answer, Comment, Flag, Follow, Question, QuestionIndexPage, Vote
from .services import recount_question

# Extra people so that threads have several voices. They cannot sign in (no password).
RESIDENTS = [
    ("aisha", "aisha.demo@example.com", "Aisha from Northgate"),
    ("gareth", "gareth.demo@example.com", "Gareth P."),
    ("nora", "nora.demo@example.com", "Nora (Kingsmead)"),
    ("kwame", "kwame.demo@example.com", "Kwame, Station Road"),
    ("lena", "lena.demo@example.com", "Lena K."),
    ("olu", "olu.demo@example.com", "Olu from Ashby Road"),
    ("bernie", "bernie.demo@example.com", "Bernie in Castle Ward"),
    ("marcus", "marcus.demo@example.com", "Marcus W."),
]

OFFICERS = [
    (
        "highways",
        "highways.demo@example.com",
        "Femi Adeyemi",
        "Highways Inspection Manager",
        "Highways and Transport",
    ),
    (
        "revenues",
        "revenues.demo@example.com",
        "Claire Donnelly",
        "Revenues Team Leader",
        "Finance",
    ),
    (
        "libraries",
        "libraries.demo@example.com",
        "Imran Shah",
        "Libraries Service Manager",
        "Culture and Communities",
    ),
    (
        "care",
        "care.demo@example.com",
        "Joanne Pryce",
        "Head of Adult Social Care Practice",
        "Adults and Health",
    ),
    (
        "planning",
        "planning.demo@example.com",
        "Tomasz Kowal",
        "Principal Planning Officer",
        "Planning and Regeneration",
    ),
    (
        "safety",
        "safety.demo@example.com",
        "Helen Mbeki",
        "Community Safety Partnership Manager",
        "Communities",
    ),
]

# Each thread: who asked, when (days ago), topics, answers (with who, whether official, votes,
# comments), comments on the question, who voted for it, who follows it.
THREADS = [
    {
        "title": "Why has my garden waste bin not been collected for three weeks in Eastfield?",
        "body": "We paid for the garden waste subscription in March. The brown bin on Orchard "
        "Close has been out every other Tuesday since the start of the month and nobody has "
        "emptied it. Is the round suspended?",
        "tags": ["bins", "garden waste"],
        "by": "resident",
        "days": 26,
        "votes": ["resident2", "aisha", "gareth", "nora", "lena", "olu"],
        "followers": ["aisha", "nora"],
        "answers": [
            {
                "by": "officer",
                "official": True,
                "days": 2,
                "votes": ["resident", "aisha", "nora", "olu"],
                "body": "I am sorry about this. Two of our garden waste crews were moved to "
                "cover general waste rounds while a vehicle was repaired, and the Eastfield "
                "Tuesday round was missed on three dates.\n\nThe vehicle is back and the round "
                "is running again from this week. Every subscriber on the round has had their "
                "subscription extended by three weeks at no cost; you do not need to do "
                "anything.\n\nIf your bin is missed again, report it on the missed bin page "
                "within two working days and we will come back for it.",
                "comments": [
                    ("resident", "Thank you, it was collected this morning."),
                ],
            },
            {
                "by": "aisha",
                "days": 1,
                "votes": ["resident"],
                "body": "Same on our side of Northgate. I reported it on the missed bin page "
                "and got a reference number, but nothing happened for a fortnight.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "Can I put black plastic food trays in the recycling bin?",
        "body": "The leaflet says plastic pots, tubs and trays, but someone told me black ones "
        "are not accepted.",
        "tags": ["bins", "recycling"],
        "by": "nora",
        "days": 60,
        "votes": ["resident", "gareth", "marcus"],
        "answers": [
            {
                "by": "officer",
                "official": True,
                "days": 1,
                "votes": ["nora", "gareth", "resident", "lena"],
                "body": "Yes, you can now. Our sorting contractor upgraded its equipment last "
                "year and it can detect black plastic. Please rinse trays first and leave the "
                "film lid off: film goes in your general waste.",
            },
            {
                "by": "gareth",
                "days": 0,
                "body": "This changed last year. The old leaflet was right at the time.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "When will the Mill Lane recycling centre reopen after the resurfacing work?",
        "body": "",
        "tags": ["recycling", "bins"],
        "by": "marcus",
        "days": 12,
        "votes": ["kwame", "olu", "resident2"],
        "followers": ["kwame"],
        "answers": [
            {
                "by": "kwame",
                "days": 0,
                "votes": ["marcus"],
                "body": "The sign on the gate says the end of the month, but it does not "
                "give a date.",
            },
        ],
    },
    {
        "title": "How do I get a replacement wheelie bin after mine was damaged by the lorry?",
        "body": "The lid snapped off when it was tipped. Do I have to pay for a new one?",
        "tags": ["bins"],
        "by": "lena",
        "days": 90,
        "votes": ["bernie"],
        "answers": [
            {
                "by": "officer",
                "official": True,
                "days": 1,
                "votes": ["lena", "bernie"],
                "body": "If the crew damaged it, the replacement is free. Request one on the "
                "bins page and choose ‘damaged during collection’. We deliver within ten "
                "working days and take the broken bin away.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "Why are residents’ parking permits in Castle Ward going up to £95 a year?",
        "body": "It was £60 last year. What is the extra money being spent on?",
        "tags": ["parking", "permits"],
        "by": "bernie",
        "days": 35,
        "votes": ["resident", "resident2", "aisha", "gareth", "nora", "kwame", "lena"],
        "followers": ["resident2", "gareth"],
        "answers": [
            {
                "by": "highways",
                "official": True,
                "days": 3,
                "votes": ["bernie", "nora"],
                "body": "The new charge was agreed at the Cabinet meeting in February as part "
                "of the budget. The scheme had been running at a loss: enforcement patrols, "
                "signs and lines in the zone cost more than the permits brought in.\n\nThe "
                "extra income pays for two more civil enforcement officers covering Castle "
                "Ward in the evenings, which residents asked for in last year’s consultation. "
                "Second permits for the same household are now £140. Blue Badge holders still "
                "get a free permit.",
                "comments": [
                    ("bernie", "Can we see the consultation results somewhere?"),
                    (
                        "highways",
                        "Yes, they are published with the Cabinet papers for 12 February.",
                    ),
                ],
            },
            {
                "by": "gareth",
                "days": 1,
                "votes": ["bernie", "aisha", "lena"],
                "body": "The evening patrols have made a difference on Tower Street. Before, "
                "people parked on the corners every night.",
            },
        ],
    },
    {
        "title": "Can visitors use my parking permit on Station Road on Sundays?",
        "body": "My parents visit every Sunday afternoon.",
        "tags": ["parking", "permits"],
        "by": "kwame",
        "days": 18,
        "votes": ["olu"],
        "answers": [
            {
                "by": "olu",
                "days": 0,
                "votes": ["kwame"],
                "body": "The signs on Station Road say Monday to Saturday, 8am to 6:30pm, so "
                "anyone can park there on Sundays without a permit.",
            },
            {
                "by": "highways",
                "official": True,
                "days": 2,
                "votes": ["kwame", "olu"],
                "body": "That is right: the Station Road zone does not operate on Sundays or "
                "bank holidays. On other days you can buy visitor vouchers in books of ten "
                "from the parking pages.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "Is the council going to do anything about "
        "cars parked on the pavement on Ashby Road?",
        "body": "People with pushchairs and wheelchairs have to go into the road near the "
        "school every morning.",
        "tags": ["parking", "roads"],
        "by": "olu",
        "days": 8,
        "votes": ["resident", "aisha", "lena", "marcus", "nora"],
        "followers": ["lena", "marcus"],
        "answers": [],
        "comments": [("lena", "It is worst between 8:30 and 9, at drop-off time.")],
    },
    {
        "title": "How can I comment on the planning "
        "application for flats at the old Kingsmead depot?",
        "body": "I live next door and only heard about it from a neighbour.",
        "tags": ["planning"],
        "by": "nora",
        "days": 21,
        "votes": ["resident", "bernie", "marcus"],
        "followers": ["bernie"],
        "answers": [
            {
                "by": "planning",
                "official": True,
                "days": 1,
                "votes": ["nora", "bernie"],
                "body": "You can comment on the application online through the planning "
                "register: search for ‘Kingsmead depot’. Comments are open for 21 days from "
                "the date on the site notice, and we accept comments until the committee "
                "report is written.\n\nWe sent letters to the properties that share a "
                "boundary with the site. If you live next door and did not get one, please "
                "tell us: we will check the neighbour list.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "Do I need planning permission for a garden office at the back of my house?",
        "body": "It would be about 3 metres by 4, with electricity but no toilet.",
        "tags": ["planning"],
        "by": "marcus",
        "days": 70,
        "votes": ["gareth", "olu"],
        "answers": [
            {
                "by": "gareth",
                "days": 0,
                "votes": ["marcus"],
                "body": "Usually not, if it is single storey, under 2.5 metres high near the "
                "boundary and covers less than half the garden. Listed buildings and "
                "conservation areas are different.",
            },
            {
                "by": "planning",
                "official": True,
                "days": 2,
                "votes": ["marcus", "gareth", "olu"],
                "body": "Gareth is right about the general rule (permitted development). If "
                "you want certainty, apply for a lawful development certificate: it costs "
                "half the usual fee and protects you if you sell the house.",
            },
        ],
        "accepted": 1,
    },
    {
        "title": "Why did the planning committee approve the drive-through on Fenwick Road?",
        "body": "Nearly everyone who commented objected because of traffic.",
        "tags": ["planning", "roads"],
        "by": "aisha",
        "days": 45,
        "votes": ["resident", "resident2", "nora", "kwame"],
        "answers": [
            {
                "by": "planning",
                "official": True,
                "days": 4,
                "votes": ["aisha"],
                "body": "The committee has to decide applications on planning grounds. The "
                "highways assessment found that the junction had capacity for the extra "
                "traffic, so refusing on traffic grounds would very likely have been overturned "
                "on appeal, with costs awarded against the council.\n\nThe committee added "
                "conditions: no deliveries between 10pm and 7am, and a review of the queue "
                "after six months of opening. The minutes and the officer’s report are on the "
                "meeting page.",
                "comments": [
                    ("aisha", "Who checks the queue after six months?"),
                ],
            },
        ],
    },
    {
        "title": "Will Kingsmead Library keep its Saturday opening hours?",
        "body": "I heard library hours are being cut as part of the budget.",
        "tags": ["libraries"],
        "by": "lena",
        "days": 15,
        "votes": ["nora", "aisha", "resident", "marcus", "gareth"],
        "followers": ["nora", "aisha"],
        "answers": [
            {
                "by": "libraries",
                "official": True,
                "days": 2,
                "votes": ["lena", "nora", "aisha"],
                "body": "Yes. We are consulting on changes to weekday hours at four branch "
                "libraries, but Saturday opening stays the same at every library, "
                "including Kingsmead (9am to 4pm). Nothing changes before the consultation "
                "closes and the results are published.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "Can I borrow e-books from Harrowfield libraries without going into a branch?",
        "body": "",
        "tags": ["libraries"],
        "by": "gareth",
        "days": 100,
        "votes": ["lena"],
        "answers": [
            {
                "by": "nora",
                "days": 0,
                "votes": ["gareth", "lena"],
                "body": "Yes, you can join online and use the library app straight away. I "
                "did it last winter.",
            },
            {
                "by": "libraries",
                "official": True,
                "days": 1,
                "votes": ["gareth"],
                "body": "Nora is right. Join online with your address and you get a digital "
                "membership number at once, for e-books, e-audiobooks and newspapers. To "
                "borrow printed books, bring proof of address to any branch once.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "Are there study spaces with power sockets in the Central Library during exams?",
        "body": "My daughter has GCSEs in May and our flat is very small.",
        "tags": ["libraries"],
        "by": "olu",
        "days": 30,
        "votes": ["kwame", "bernie"],
        "answers": [
            {
                "by": "libraries",
                "official": True,
                "days": 1,
                "votes": ["olu", "kwame"],
                "body": "Yes. The second floor of the Central Library is a quiet study area "
                "with 40 desks with sockets, and during the exam season (late April to June) "
                "it opens at 8am on weekdays. No booking is needed.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "How long is the wait for a social care needs assessment for my mother?",
        "body": "She is 84 and has had two falls this year. We asked for an assessment six "
        "weeks ago and have heard nothing.",
        "tags": ["social care"],
        "by": "bernie",
        "days": 20,
        "votes": ["resident", "nora", "lena", "marcus", "kwame"],
        "followers": ["nora"],
        "answers": [
            {
                "by": "care",
                "official": True,
                "days": 1,
                "votes": ["bernie", "nora", "lena"],
                "body": "I am sorry you have been waiting. At the moment the average wait for "
                "a first assessment is five weeks, but anyone at risk of harm, including "
                "after repeated falls, should be seen much sooner.\n\nPlease do not post "
                "your mother’s details here. Call the adult social care front door and say "
                "that she has fallen twice: the team will review the priority of the "
                "request the same day. If she falls again and is hurt, call 999.",
                "comments": [
                    ("bernie", "Thank you. I rang and she has a visit booked for Thursday."),
                ],
            },
        ],
        "accepted": 0,
    },
    {
        "title": "What support is there for unpaid carers who need a break?",
        "body": "I look after my husband full time and have not had a day off in a year.",
        "tags": ["social care", "carers"],
        "by": "nora",
        "days": 50,
        "votes": ["bernie", "aisha", "lena"],
        "answers": [
            {
                "by": "aisha",
                "days": 0,
                "votes": ["nora"],
                "body": "The carers’ centre on Bridge Street runs a sitting service. It helped "
                "me a lot when I was caring for my dad.",
            },
            {
                "by": "care",
                "official": True,
                "days": 3,
                "votes": ["nora", "bernie"],
                "body": "You have a right to a carer’s assessment of your own needs, separate "
                "from your husband’s. It can lead to replacement care so that you can take "
                "breaks, and to a carer’s personal budget. Ask for one through the adult "
                "social care front door or the Harrowfield Carers Centre.",
            },
        ],
        "accepted": 1,
    },
    {
        "title": "Who do I report drug dealing near the Brookside play area to?",
        "body": "It happens most evenings and the children are scared to use the park.",
        "tags": ["policing", "anti-social behaviour"],
        "by": "aisha",
        "days": 10,
        "votes": ["resident", "resident2", "olu", "kwame", "lena", "bernie"],
        "followers": ["olu", "kwame"],
        "answers": [
            {
                "by": "safety",
                "official": True,
                "days": 1,
                "votes": ["aisha", "olu", "kwame"],
                "body": "Please report it to the police on 101 or online, or anonymously to "
                "Crimestoppers. Reports build the picture that gets patrols sent to an area. "
                "If you see a crime happening, call 999.\n\nThe council’s part is the park "
                "itself: we will cut back the bushes by the Brookside entrance and fix the "
                "broken light this month, and the park is now on the neighbourhood "
                "policing team’s list for evening patrols.",
            },
        ],
    },
    {
        "title": "Why have the police stopped the monthly Eastfield community meeting?",
        "body": "",
        "tags": ["policing"],
        "by": "resident2",
        "days": 40,
        "votes": ["resident", "gareth"],
        "answers": [
            {
                "by": "safety",
                "official": True,
                "days": 5,
                "votes": ["resident2"],
                "body": "The meetings have not stopped; they have moved to the Eastfield "
                "community centre and now run every other month, alternating with an online "
                "session. The next dates are on the neighbourhood policing team’s page.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "Can the council close the alley behind "
        "Tower Street where people gather at night?",
        "body": "There is broken glass every weekend and we have had cars damaged.",
        "tags": ["anti-social behaviour", "policing"],
        "by": "gareth",
        "days": 5,
        "votes": ["bernie", "marcus"],
        "followers": ["bernie"],
        "answers": [
            {
                "by": "bernie",
                "days": 1,
                "body": "We got gates on our alley in Castle Ward a few years ago. All the "
                "houses backing on to it had to agree.",
            },
        ],
    },
    {
        "title": "When will the pothole on Kingsmead Road outside number 42 be repaired?",
        "body": "I reported it online a month ago. It is deep enough to damage a tyre.",
        "tags": ["potholes", "roads"],
        "by": "kwame",
        "days": 14,
        "votes": ["nora", "marcus", "olu", "lena"],
        "followers": ["marcus"],
        "answers": [
            {
                "by": "highways",
                "official": True,
                "days": 2,
                "votes": ["kwame", "nora"],
                "body": "Our inspector visited on the 3rd and recorded it as a category 2 "
                "defect, which means a repair within 28 days. It is booked in for next "
                "Wednesday. Because the road is a bus route, the work will be done between "
                "9:30am and 3pm.",
                "comments": [
                    ("kwame", "Done this morning, thanks."),
                ],
            },
        ],
        "accepted": 0,
    },
    {
        "title": "How do I claim for damage to my car caused by a pothole?",
        "body": "",
        "tags": ["potholes", "roads"],
        "by": "lena",
        "days": 80,
        "votes": ["kwame", "gareth", "resident"],
        "answers": [
            {
                "by": "highways",
                "official": True,
                "days": 1,
                "votes": ["lena", "kwame"],
                "body": "Use the highways claim form and include photos of the pothole with "
                "something for scale, the repair invoice and the date and time. We check our "
                "inspection records: if the road was inspected on schedule and the defect "
                "had not been reported, the law means we may not be liable.",
            },
            {
                "by": "marcus",
                "days": 2,
                "votes": ["lena"],
                "body": "Take the photos before it gets filled in. Mine was repaired two days "
                "after I hit it, and I had no pictures.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "Why are potholes patched again and again instead of the road being resurfaced?",
        "body": "Millbrook Lane has had the same holes filled four times this year.",
        "tags": ["potholes", "roads"],
        "by": "resident2",
        "days": 33,
        "votes": ["resident", "aisha", "gareth", "nora", "kwame", "lena", "marcus", "olu"],
        "followers": ["gareth", "olu"],
        "answers": [
            {
                "by": "highways",
                "official": True,
                "days": 6,
                "votes": ["resident2", "gareth"],
                "body": "Resurfacing is planned from condition surveys across the whole "
                "borough, and the money goes to the roads in the worst condition first. "
                "Millbrook Lane is on the list for surface dressing in the next financial "
                "year. Until then we have to make safe the defects that meet our "
                "intervention levels. I accept that repeated patching is frustrating and "
                "not good value, and we are trialling larger ‘planned patching’ repairs on "
                "roads like this one.",
            },
        ],
    },
    {
        "title": "Am I entitled to a single person discount on council tax if my son is a student?",
        "body": "He is 19 and at university in term time, living with me in the holidays.",
        "tags": ["council tax"],
        "by": "aisha",
        "days": 55,
        "votes": ["lena", "bernie"],
        "answers": [
            {
                "by": "revenues",
                "official": True,
                "days": 1,
                "votes": ["aisha", "lena"],
                "body": "Full-time students are ‘disregarded’ for council tax, so if you are "
                "the only other adult you get the 25% single person discount. Apply on the "
                "council tax discounts page and upload his student certificate from the "
                "university.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "Why has my council tax bill gone up by more than 5% this year?",
        "body": "",
        "tags": ["council tax"],
        "by": "marcus",
        "days": 48,
        "votes": ["resident", "resident2", "gareth", "kwame", "olu"],
        "followers": ["gareth"],
        "answers": [
            {
                "by": "revenues",
                "official": True,
                "days": 2,
                "votes": ["marcus"],
                "body": "The council’s own share went up by 4.99%: 2.99% for general services "
                "and 2% ring-fenced for adult social care, the most allowed without a local "
                "referendum. Your bill also includes the police and fire authorities’ shares, "
                "which they set themselves; the police share went up by a larger amount. The "
                "breakdown is on the back of your bill.",
                "comments": [
                    ("gareth", "It would help if the leaflet showed this in pounds, not just %."),
                ],
            },
        ],
    },
    {
        "title": "Can I pay my council tax in 12 monthly instalments instead of 10?",
        "body": "",
        "tags": ["council tax"],
        "by": "olu",
        "days": 75,
        "votes": ["nora"],
        "answers": [
            {
                "by": "revenues",
                "official": True,
                "days": 1,
                "votes": ["olu", "nora"],
                "body": "Yes. Ask on the council tax page or by phone before the first "
                "instalment is due, and we will spread the year over 12 payments from April "
                "to March.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "Will the paddling pool in Fenwick Park open this summer?",
        "body": "It was shut all last summer with no explanation.",
        "tags": ["parks"],
        "by": "resident",
        "days": 9,
        "votes": ["aisha", "olu", "kwame"],
        "answers": [
            {
                "by": "olu",
                "days": 1,
                "body": "There were contractors there last week, so maybe they are fixing it.",
            },
        ],
    },
    {
        "title": "Who is responsible for cutting the grass verges on Bridge Street?",
        "body": "",
        "tags": ["parks", "roads"],
        "by": "bernie",
        "days": 66,
        "votes": [],
        "answers": [
            {
                "by": "officer",
                "official": True,
                "days": 3,
                "votes": ["bernie"],
                "body": "The council cuts them, five times a year between April and October. "
                "We leave some verges longer on purpose for wildflowers; Bridge Street is not "
                "one of them, so it is due in the next round.",
            },
        ],
        "accepted": 0,
    },
    {
        "title": "Why is the streetlight outside the Millbrook bus stop still not fixed?",
        "body": "It has been out since the clocks changed and the stop is very dark.",
        "tags": ["roads"],
        "by": "resident2",
        "days": 3,
        "votes": ["resident", "lena"],
        "followers": ["lena"],
        "answers": [],
    },
    {
        "title": "How do I join the waiting list for council housing?",
        "body": "I rent privately in Northgate and the rent keeps going up.",
        "tags": ["housing"],
        "by": "lena",
        "days": 28,
        "votes": ["aisha", "kwame"],
        "answers": [
            {
                "by": "kwame",
                "days": 2,
                "votes": ["lena"],
                "body": "You apply through the housing register online. It took about a week "
                "to hear which band I was in.",
            },
        ],
    },
]

# Questions awaiting a moderator, to show pre-moderation in the admin.
PENDING = [
    {
        "title": "Why are the public toilets in the market square locked on Sundays?",
        "body": "Market traders and shoppers have nowhere to go.",
        "tags": ["town centre"],
        "by": "gareth",
        "days": 1,
    },
    {
        "title": "Will the council plant more trees on Orchard "
        "Street after the old ones were cut down?",
        "body": "",
        "tags": ["parks"],
        "by": "resident",
        "days": 0,
    },
]

# A duplicate merged into an earlier thread, and a closed one: the moderator's other tools.
MERGED = {
    "title": "When is Mill Lane tip opening again after the works?",
    "body": "",
    "tags": ["recycling"],
    "by": "olu",
    "days": 11,
    "into": "When will the Mill Lane recycling centre reopen after the resurfacing work?",
}
CLOSED = {
    "title": "Why was my bin not emptied on Tuesday 4 March?",
    "body": "Number 12, I put it out at 6am.",
    "tags": ["bins"],
    "by": "kwame",
    "days": 6,
    "reason": "This is about one household’s collection, so we have asked the resident to "
    "report it on the missed bin page where the crew can act on it.",
}


def _user(email, name, *, job_title="", department="", officer=False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(
            email=email,
            display_name=name,
            job_title=job_title,
            department=department,
            email_verified=True,
            is_staff=officer,
        )
        user.set_unusable_password()
        user.save()
        if officer:
            user.groups.add(Group.objects.get(name=roles.OFFICERS))
    return user


def _people(ctx) -> dict[str, User]:
    people = dict(ctx.users)
    for key, email, name in RESIDENTS:
        people[key] = _user(email, name)
    for key, email, name, title, dept in OFFICERS:
        people[key] = _user(email, name, job_title=title, department=dept, officer=True)
    return people


def _question(spec: dict, people: dict, now, *, status=Question.Status.PUBLISHED) -> Question:
    asked = now - timedelta(days=spec["days"], hours=3)
    question = Question(
        title=spec["title"],
        body=spec.get("body", ""),
        author=people[spec["by"]],
        status=status,
        created_at=asked,
        published_at=asked + timedelta(hours=2) if status != Question.Status.PENDING else None,
        last_activity_at=asked,
    )
    question.save()
    question.tags.set(spec.get("tags", []))
    Follow.objects.get_or_create(user=people[spec["by"]], question=question)
    return question


def _thread(spec: dict, people: dict, now) -> Question:
    question = _question(spec, people, now)
    for key in spec.get("followers", []):
        Follow.objects.get_or_create(user=people[key], question=question)
    for key in spec.get("votes", []):
        if people[key].pk != question.author_id:
            Vote.objects.get_or_create(user=people[key], question=question)
    for i, (key, text) in enumerate(spec.get("comments", [])):
        Comment.objects.create(
            question=question,
            author=people[key],
            body=text,
            created_at=question.created_at + timedelta(hours=5 + i),
        )
    answers = []
    for i, a in enumerate(spec.get("answers", [])):
        author = people[a["by"]]
        when = question.created_at + timedelta(days=a.get("days", 1), hours=4 + i)
        answer = Answer.objects.create(
            question=question,
            author=author,
            body=a["body"],
            is_official=a.get("official", False),
            official_title=author.official_title if a.get("official") else "",
            created_at=min(when, now),
        )
        answers.append(answer)
        for key in a.get("votes", []):
            if people[key].pk != author.pk:
                Vote.objects.get_or_create(user=people[key], answer=answer)
        for j, (key, text) in enumerate(a.get("comments", [])):
            Comment.objects.create(
                question=question,
                answer=answer,
                author=people[key],
                body=text,
                created_at=min(answer.created_at + timedelta(hours=2 + j), now),
            )
    if "accepted" in spec and answers:
        question.accepted_answer = answers[spec["accepted"]]
        question.save(update_fields=["accepted_answer"])
    last = max([question.created_at, *(a.created_at for a in answers)])
    Question.objects.filter(pk=question.pk).update(last_activity_at=last)
    recount_question(question.pk)
    return question


def seed(ctx) -> None:
    """Create "Ask the council" and its demo threads (idempotent)."""
    with transaction.atomic():
        index = ctx.page(
            ctx.home,
            QuestionIndexPage,
            "ask-the-council",
            title="Ask the council",
            intro="Ask Harrowfield Borough Council a question in public. Officers answer, "
            "residents add what they know, and everyone can see the answers.",
            show_in_menus=True,
        )
        people = _people(ctx)
        now = timezone.now()
        existing = set(Question.objects.values_list("title", flat=True))
        created = 0
        for spec in THREADS:
            if spec["title"] not in existing:
                _thread(spec, people, now)
                created += 1
        for spec in PENDING:
            if spec["title"] not in existing:
                _question(spec, people, now, status=Question.Status.PENDING)
                created += 1
        moderator = people["moderator"]
        if MERGED["title"] not in existing:
            duplicate = _question(MERGED, people, now)
            into = Question.objects.get(title=MERGED["into"])
            Follow.objects.get_or_create(user=duplicate.author, question=into)
            Question.objects.filter(pk=duplicate.pk).update(
                status=Question.Status.MERGED, merged_into=into
            )
            recount_question(into.pk)
            log(
                duplicate,
                "questions.merge",
                user=moderator,
                data={"into": into.pk, "title": into.title},
            )
            log(
                into,
                "questions.merge_target",
                user=moderator,
                data={"from": duplicate.pk, "title": duplicate.title},
            )
            created += 1
        if CLOSED["title"] not in existing:
            closed = _question(CLOSED, people, now)
            Question.objects.filter(pk=closed.pk).update(
                status=Question.Status.CLOSED, moderation_reason=CLOSED["reason"]
            )
            log(closed, "questions.close", user=moderator, data={"reason": CLOSED["reason"]})
            created += 1
        # One answer someone has reported, waiting in the moderators' queue.
        reported = Answer.objects.filter(
            question__title="Can the council close the alley behind Tower Street where people "
            "gather at night?"
        ).first()
        if reported is not None:
            Flag.objects.get_or_create(
                reporter=people["marcus"],
                answer=reported,
                defaults={
                    "reason": Flag.Reason.OFF_TOPIC,
                    "details": "This is about a different ward.",
                },
            )
        ctx.write(f"Questions: {created} new threads under {index.url_path}")
