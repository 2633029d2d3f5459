"""Words for the demo school's contact log, check-ins, documents and broadcasts. All
fictional."""

from .models import Frequency

PLAN_NOTES = {
    Frequency.DAILY: "A quick word at pick-up every day, and a note in the home–school book.",
    Frequency.WEEKLY: "A call or an email each week from the class team; the SENDCo joins "
    "every few weeks.",
    Frequency.FORTNIGHTLY: "In touch every two weeks, by the family's preferred way.",
    Frequency.HALF_TERMLY: "The family asked for a catch-up each half-term, and to hear "
    "sooner if anything changes.",
}

# What school started, in words that fit a call, an email or a word at the gate.
FROM_SCHOOL = [
    "{name} had a really settled week and joined in at group time.",
    "Explained the change of teaching assistant after half-term and how we will introduce her.",
    "{name} managed the noisy assembly with ear defenders; shared what helped.",
    "Talked about {name}'s reading: the new phonics books are going well at school.",
    "Talked through the visual timetable for the school trip next week.",
    "Let the family know {name} found lunchtime hard today and what helped.",
    "Shared a photo of {name}'s writing and the target it shows progress on.",
    "Checked how the new bedtime routine is going, as agreed last time.",
    "Explained the plan for the supply teacher day so it is not a surprise.",
    "Told the family about {name}'s good day on the class residential planning day.",
]
# What the family started.
FROM_PARENT = [
    "{name} was worried about the fire drill; we agreed a warning next time.",
    "The family let us know {name} slept badly and may be tired today.",
    "The family asked about the homework club and whether {name} could join.",
    "The family told us about {name}'s medication change; agreed how school will know.",
    "{name} is excited about sports day but anxious about the noise, the family said.",
    "The family asked how {name} is getting on with friends at playtime.",
]
# (how, what) for meetings with the SENDCo.
MEETINGS = [
    ("meeting", "Reviewed how {name}'s targets are going and what the family sees at home."),
    ("meeting", "Met the family to plan support for the move to the next class."),
    ("meeting", "Coffee and a catch-up: talked about sleep, and about {name}'s friendships."),
    ("video", "Video call with the family and the speech and language therapist."),
    ("home_visit", "Home visit: saw how {name} uses the picture timetable at home."),
    ("meeting", "Met to agree the new pupil passport with the family."),
    ("video", "Talked through the EHC plan annual review paperwork and what the family wants."),
]
# (what, who): "staff" is the author, "family" a parent in the contact, anything else a
# name for someone not on the portal.
ACTIONS = [
    ("Send home a copy of the visual timetable", "staff"),
    ("Try the five-minute warning before screen time ends", "family"),
    ("Ask the speech and language therapist for a visit", "NHS speech and language team"),
    ("Book a follow-up meeting before half-term", "staff"),
    ("Share a photo of the new reading book at home", "family"),
    ("Set up a quiet space for lunchtimes", "staff"),
    ("Look at the homework club leaflet together", "family"),
    ("Refer to the school nurse about sleep", "School nurse"),
]
CONFIRM_NOTES = ["", "", "Thank you, that was really helpful.", "", "Yes – and it is working."]
DISPUTE_NOTE = (
    "I remember agreeing the quiet space would start this week, not after half-term. "
    "Could we check?"
)

CHECKIN_MESSAGES = [
    "A good week – {name} talked about school at tea time.",
    "{name} has been tired, maybe the new medication.",
    "Thank you for the photos, they made our day.",
    "Mornings are still hard, but we are using the timetable.",
    "{name} loved the science lesson with the magnets.",
]
LOW_RATING_MESSAGES = {
    2: "{name} has been upset every morning and did not want to come in.",
    1: "A really hard week. {name} had a meltdown after school every day.",
}
CALL_BACK_MESSAGE = "Could someone ring me about the options evening? I am worried about it."

DOCUMENTS = [
    (
        "SEND information report",
        "How the school identifies and supports children with special educational needs "
        "and disabilities (SEND), who the SENDCo is, and how to raise a concern.",
        "https://riverside.example.org/send/information-report",
    ),
    (
        "SEND policy",
        "The school's rules for SEND support. It covers how we assess, plan, do and review "
        "support, and how we write plans with you. We meet families at least six times a year.",
        "https://riverside.example.org/send/policy",
    ),
    (
        "The local offer",
        "The council's guide to services for children and young people with SEND: health, "
        "social care, short breaks, transport and support groups.",
        "https://localoffer.example.org/",
    ),
]

# (subject, body, audience in words, days ago, "all" or a year group)
BROADCASTS = [
    (
        "Coffee morning for SEND families",
        "Join us for coffee and a chat in the library next Friday at 9am. The SENDCo will "
        "talk about how reviews work, and there is time to meet other parents. Little ones "
        "welcome.",
        "All SEND families",
        20,
        "all",
    ),
    (
        "Year 4 trip to the science museum: what to expect",
        "The trip is on the 14th. We have a picture story of the day for children who like "
        "to know what is coming. A quiet room is booked at the museum. Ask the class "
        "teacher for a copy.",
        "Year 4 families",
        45,
        4,
    ),
]
