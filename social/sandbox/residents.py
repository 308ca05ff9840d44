"""Invented Harrowfield residents and the kind of thing they reply to a council's posts."""

import random

RESIDENTS = [
    ("eastfield_jen", "Jen from Eastfield"),
    ("millbrook_mo", "Mo Haddad"),
    ("harrowfield_cyclist", "Pedal Harrowfield"),
    ("oakhill_gran", "Brenda Oakhill"),
    ("canalside_tom", "Tom @ Canalside"),
    ("hfield_parent", "Harrowfield Parent Forum"),
    ("dr_lakshmi_v", "Lakshmi V"),
    ("northgate_ned", "Ned Northgate"),
    ("sunnybank_sue", "Sue (Sunnybank)"),
    ("ravi_rides", "Ravi K"),
    ("westmoor_wendy", "Wendy Westmoor"),
    ("hf_bus_user", "Bus user, Harrowfield"),
]

OPENERS = [
    "Thanks for sharing this.",
    "Good to see this at last.",
    "Not convinced, to be honest.",
    "Is this definitely going ahead?",
    "Spoke to my neighbours about this.",
    "Finally!",
    "Hmm.",
]

POINTS = [
    "The pavements on Mill Lane are still a mess after the last works.",
    "Will the drop-in session be recorded for those of us who work shifts?",
    "Please think about wheelchair access at the library entrance.",
    "Bus 14 is already late most mornings, so this worries me.",
    "Our street floods every time it rains heavily, and nothing changes.",
    "Would love more cycle parking near the market square.",
    "Can you publish the figures behind this decision?",
    "Older residents don't all use the internet, so please post leaflets too.",
    "The streetlights on Canal Walk have been out for weeks.",
    "Happy with this, it will make the school run safer.",
    "What happens to the recycling centre opening hours in winter?",
    "Parking on Station Road is impossible on market days.",
]

FOLLOW_UPS = [
    "Agree with this.",
    "Same on our road.",
    "I asked the same thing at the last meeting and got no answer.",
    "That's a fair point, but the money has to come from somewhere.",
    "+1, the council should reply to this.",
    "Not my experience at all, it's been fine near us.",
]


def reply_text(rng: random.Random, nested: bool = False) -> str:
    if nested:
        return rng.choice(FOLLOW_UPS)
    return f"{rng.choice(OPENERS)} {rng.choice(POINTS)}"


def resident(rng: random.Random) -> tuple[str, str]:
    return rng.choice(RESIDENTS)


def plan_replies(rng: random.Random, roots: list[str], count: int) -> list[dict]:
    """`count` replies spread over `roots`; about a third answer an earlier reply instead.

    A nested reply names its parent as ("ref", index into the list), resolved as created.
    """
    planned: list[dict] = []
    for _ in range(count):
        username, name = resident(rng)
        earlier = [i for i, p in enumerate(planned) if p["root"] in roots]
        said = {p["text"] for p in planned}
        if earlier and rng.random() < 0.35:
            parent = rng.choice(earlier)
            planned.append(
                {
                    "root": planned[parent]["root"],
                    "in_reply_to": ("ref", parent),
                    "username": username,
                    "name": name,
                    "text": reply_text(rng, nested=True),
                }
            )
        else:
            root = rng.choice(roots)
            text = reply_text(rng)
            for _ in range(20):  # two residents rarely write the very same words
                if text not in said:
                    break
                text = reply_text(rng)
            planned.append(
                {
                    "root": root,
                    "in_reply_to": root,
                    "username": username,
                    "name": name,
                    "text": text,
                }
            )
    return planned


def add_planned(state, planned: list[dict]) -> list[dict]:
    """Create planned replies in one bulk write; nested ones answer earlier ones by position."""
    return state.add_replies(
        [
            {
                "in_reply_to": item["in_reply_to"],
                "username": item["username"],
                "name": item["name"],
                "text": item["text"],
                "created_at": item.get("created_at"),
            }
            for item in planned
        ]
    )
