"""The words of the demo school's plans: fictional, plain English, matched to each area of
need. Kept apart from partnership.plans.demo so the logic there stays readable."""

from typing import NamedTuple


class Idea(NamedTuple):
    outcome: str
    baseline: str
    success: str
    home: str


# Needs with few children share a neighbouring bank of ideas.
NEED_BANK = {"PMLD": "SLD", "MSI": "HI", "NSA": "MLD", "OTH": "MLD"}

# Per area: [0] is carried forward from last year's plan, [1] is new this term, [2] was
# last year's (achieved or partly) for children with an earlier plan.
TARGETS = {
    "SPLD": [
        Idea(
            "{name} reads a page of a book at the right level aloud, sounding out new words.",
            "Guesses new words from the first letter; reads about 20 words a minute.",
            "Reads a levelled page with no more than three errors, three times running.",
            "Read together for ten minutes most days. When {name} gets stuck, ask "
            "'what sound does it start with?' and wait before helping.",
        ),
        Idea(
            "{name} spells the 50 most common words correctly in their own writing.",
            "Spells 18 of the 50 words correctly in a check.",
            "45 of the 50 words spelt correctly in a piece of free writing.",
            "Stick five of the words on the fridge each week and play 'look, cover, write, "
            "check' for five minutes after tea.",
        ),
        Idea(
            "{name} uses a word mat to plan and write three linked sentences.",
            "Writes one sentence, then stops.",
            "Three sentences that follow on, using the word mat without a reminder.",
            "Ask {name} to write a shopping list or a card to a relative. Praise the ideas, "
            "not the spelling.",
        ),
    ],
    "MLD": [
        Idea(
            "{name} adds and takes away numbers up to 20 using a number line.",
            "Counts on in ones on fingers up to 10.",
            "Eight of ten sums to 20 right, using the number line alone.",
            "Play shops with coins up to 20p, and board games with dice: count on together.",
        ),
        Idea(
            "{name} follows a two-step instruction in class without it being repeated.",
            "Follows the first step, then needs the second repeated.",
            "Follows two-step instructions in four of five lessons, over two weeks.",
            "Give two-step jobs at home ('shoes away, then wash your hands') and ask {name} "
            "to say them back first.",
        ),
        Idea(
            "{name} tells the time to the half hour on a clock with hands.",
            "Knows o'clock times.",
            "Reads o'clock and half past correctly on ten clocks.",
            "Talk about the time at set points ('half past six: bath time') and let {name} "
            "check the kitchen clock.",
        ),
    ],
    "SLD": [
        Idea(
            "{name} makes a choice between two objects or pictures by looking or pointing.",
            "Reaches for things nearby; choices are not yet consistent.",
            "Makes a clear choice in four of five offers across a week.",
            "At snack or bath time hold up two things and ask 'this one or this one?' Wait, "
            "and give the one {name} looks at or points to.",
        ),
        Idea(
            "{name} uses ten Makaton signs to ask for things they want.",
            "Uses three signs: more, drink, finished.",
            "Uses ten signs without a prompt, on different days.",
            "We send the signs home each fortnight. Sign as you speak, above all at meal "
            "times, and give the thing straight away when {name} signs.",
        ),
        Idea(
            "{name} washes and dries their hands with one picture prompt.",
            "Needs hand-over-hand help for each step.",
            "Washes hands with only the picture strip, on five days.",
            "Put the same picture strip by the sink at home; point to the next picture "
            "rather than saying the step.",
        ),
    ],
    "SEMH": [
        Idea(
            "{name} tells an adult when they start to feel cross, using the feelings chart.",
            "Gets upset quickly and leaves the room about twice a day.",
            "Uses the chart or a time-out card before leaving the room, most days for three weeks.",
            "Use the same feelings chart at home. Name your own feelings out loud ('I'm a bit "
            "cross, I'll take three breaths') so {name} sees how.",
        ),
        Idea(
            "{name} settles in the classroom within five minutes at the start of the day.",
            "Takes twenty minutes and an adult to settle most mornings.",
            "Settled within five minutes on eight of ten mornings.",
            "Keep the morning routine the same, and talk through tomorrow the night before "
            "with the picture timetable we sent home.",
        ),
        Idea(
            "{name} joins a group task and stays with it for ten minutes.",
            "Joins a group for a minute or two, then wanders off.",
            "Stays with a group task for ten minutes in three lessons a week.",
            "Play a short family game with a timer; praise staying in the game, not winning.",
        ),
    ],
    "SLCN": [
        Idea(
            "{name} answers 'who', 'what' and 'where' questions about a short story.",
            "Answers 'what' questions; 'who' and 'where' answers are often unrelated.",
            "Answers eight of ten mixed questions about a story read aloud.",
            "When you share a book, stop on each page and ask one question ('Who is that?' "
            "'Where are they going?'). Offer two choices if {name} is stuck.",
        ),
        Idea(
            "{name} uses sentences of five or more words to tell an adult about the weekend.",
            "Uses two or three word phrases ('park, swing, mum').",
            "Five-word sentences in three news times running.",
            "At tea, ask about one thing from the day. Say back what {name} tells you as a "
            "full sentence, adding a word or two.",
        ),
        Idea(
            "{name} learns and uses five new topic words each half term.",
            "Knows topic words from pictures but does not use them.",
            "Uses four of the five words correctly when talking or writing.",
            "We send the five words home on a card: use them in everyday chat and see how "
            "often {name} spots them.",
        ),
    ],
    "HI": [
        Idea(
            "{name} tells the teacher when they have not heard an instruction.",
            "Copies other children rather than asking.",
            "Asks for a repeat at least once a lesson, unprompted, for two weeks.",
            "Practise 'Can you say that again, please?' at home and praise {name} every time "
            "they use it.",
        ),
        Idea(
            "{name} checks their hearing aids each morning and says if something is wrong.",
            "An adult checks the aids every day.",
            "Checks the aids with the picture checklist, five days running.",
            "Do the check together at breakfast with the same checklist: {name} leads, you watch.",
        ),
        Idea(
            "{name} joins a small group discussion using the radio aid.",
            "Stays quiet in group work.",
            "At least two contributions in a small group, in three lessons.",
            "At meal times take turns to speak, and make sure {name} can see your face.",
        ),
    ],
    "VI": [
        Idea(
            "{name} finds the way alone from the classroom to the hall and the dining room.",
            "Needs an adult to guide them between rooms.",
            "Makes both journeys alone on five days running.",
            "Practise short routes in familiar places, naming landmarks ('the door is after "
            "the radiator').",
        ),
        Idea(
            "{name} reads class worksheets on the tablet with enlarged text.",
            "Relies on an adult to read worksheets aloud.",
            "Reads worksheets on the tablet alone in four lessons of five.",
            "Let {name} use the zoom on a phone or tablet for recipes or games, and show you how.",
        ),
        Idea(
            "{name} organises their desk so they can find their own equipment.",
            "Often loses equipment and waits for help.",
            "Finds pencil, ruler and book without help in most lessons.",
            "Give each thing at home its own place; ask {name} to pack the school bag in the "
            "same order each night.",
        ),
    ],
    "PD": [
        Idea(
            "{name} writes their name and a short sentence with the sloping board and grip.",
            "Writes first name; letters vary a lot in size.",
            "Writes a sentence others can read, with the grip, in four of five tries.",
            "Playdough, pegs and tweezers strengthen fingers. Let {name} write labels or a "
            "short list with the pencil grip.",
        ),
        Idea(
            "{name} gets changed for PE with one reminder.",
            "Needs help with buttons, laces and socks.",
            "Gets changed alone with one reminder on three PE days.",
            "Practise with big buttons and Velcro at weekends; time it and beat the record.",
        ),
        Idea(
            "{name} moves safely around the playground and joins a game at playtime.",
            "Stays by the wall at playtime.",
            "Joins a game for at least five minutes on most days.",
            "At the park, practise balancing and catching a big ball; let {name} choose the game.",
        ),
    ],
    "ASD": [
        Idea(
            "{name} uses the picture timetable to move between activities calmly.",
            "Gets distressed at about half of the changes in a day.",
            "Moves between activities calmly at eight of ten changes, with the timetable.",
            "Use a simple picture timetable for the morning routine, and give a 'two more "
            "minutes' warning before a change.",
        ),
        Idea(
            "{name} takes turns in a game with two other children, with an adult nearby.",
            "Plays alongside others; waiting for a turn is hard.",
            "Takes turns for the whole of a short game in three sessions running.",
            "Play a short board game after tea and praise each time {name} waits for a turn. "
            "Use the words 'my turn, your turn'.",
        ),
        Idea(
            "{name} asks for help with a help card or the words 'I need help'.",
            "Waits without saying anything, or leaves the task.",
            "Asks for help at least once a day for two weeks.",
            "Keep a help card on the fridge. When {name} is stuck, point to it and wait, then "
            "help straight away.",
        ),
    ],
}

# A third target for some children with an earlier plan.
GENERAL = [
    Idea(
        "{name} packs their own bag for school using a picture checklist.",
        "An adult packs the bag; PE kit is often forgotten.",
        "Bag packed with the checklist on four school days of five.",
        "Pin the same checklist by the door; pack the bag the night before and let {name} "
        "tick each item.",
    ),
    Idea(
        "{name} tells an adult one thing they did well each day.",
        "Says 'nothing' or 'I'm rubbish at everything' when asked.",
        "Names something they did well on most days for three weeks.",
        "At bedtime share one thing each of you did well today; go first so {name} hears how.",
    ),
]

OVERDUE = {5, 12, 21}  # the SENDCo's list always has some catching up to do

REVIEW_SUMMARY = (
    "Reviewed with the family. {name}'s target “{done}” was {ended}. What the family sees "
    "at home helped shape the next plan; one target carries forward."
)

COMMENTS = {
    1: ["We introduced this target this week; {name} is getting used to it."],
    2: [
        "Starting to show this, with a lot of adult support.",
        "Some good moments this fortnight, mostly after a prompt.",
    ],
    3: [
        "Doing this about half of the time now, with fewer prompts.",
        "Real progress: {name} managed it in class and in the small group.",
    ],
    4: [
        "Nearly there: {name} did this on most days without help.",
        "Managed it independently in four of five sessions.",
    ],
    5: ["Achieved! {name} does this on their own now, in different lessons."],
}
PLATEAU = [
    "Much the same as last time; we are keeping the same approach for now.",
    "A steady few weeks. A busy time in school; we will try smaller steps.",
    "No change yet. The family's ideas from home are helping us adjust.",
]

INTERVENTIONS = {
    "reading": (
        "Reading catch-up",
        "Twenty minutes of phonics and reading with a trained teaching assistant, in a "
        "group of three, to close the gap with classmates.",
        "Listen to your child read their school book for ten minutes most days. Praise the "
        "effort and sound out tricky words together.",
    ),
    "talk": (
        "Talk Boost (speech and language group)",
        "A ten-week small group that builds listening, vocabulary and talking in sentences "
        "through games and stories.",
        "Play 'I spy' and describing games. When your child speaks, say back what they said "
        "as a slightly longer sentence.",
    ),
    "elsa": (
        "ELSA (emotional literacy support)",
        "Weekly one-to-one sessions with a trained emotional literacy support assistant, "
        "helping a child understand and manage feelings, friendships and worries.",
        "Use the same feelings words at home. Ten calm minutes a day doing something your "
        "child chooses helps more than talking about problems.",
    ),
    "motor": (
        "Fine motor group",
        "Short, fun activities that strengthen hands and fingers for writing, cutting and "
        "getting dressed.",
        "Playdough, pegs, threading beads, tearing paper and helping with cooking all "
        "strengthen small hands.",
    ),
    "social": (
        "Social skills group",
        "A small group where children practise turn-taking, sharing and working together, "
        "using building bricks and games.",
        "Play short board or card games together and talk about taking turns and losing well.",
    ),
    "maths": (
        "Maths catch-up",
        "Three short sessions a week in a small group, using objects and pictures to secure "
        "number facts and place value.",
        "Count things together: stairs, shopping, coins. Ask 'how many more to make ten?' in "
        "everyday moments.",
    ),
}

NEED_INTERVENTIONS = {
    "SPLD": ["reading", "maths"],
    "MLD": ["maths", "reading"],
    "SLD": ["motor", "talk"],
    "PMLD": ["motor"],
    "SEMH": ["elsa", "social"],
    "SLCN": ["talk", "reading"],
    "HI": ["talk"],
    "MSI": ["talk", "motor"],
    "VI": ["motor"],
    "PD": ["motor"],
    "ASD": ["social", "elsa"],
}

FREQUENCY = {
    "reading": "Every day, 20 minutes",
    "talk": "Three times a week, 30 minutes",
    "elsa": "Once a week, 30 minutes",
    "motor": "Twice a week, 15 minutes",
    "social": "Twice a week, 30 minutes",
    "maths": "Three times a week, 20 minutes",
}

MEASURES = {
    "reading": ("Reads 22 words a minute", "Reads 41 words a minute"),
    "talk": ("Talk Boost check: 14 of 34", "Talk Boost check: 25 of 34"),
    "elsa": ("Settled on 2 of 5 mornings", "Settled on 4 of 5 mornings"),
    "motor": ("Threads 4 beads in a minute", "Threads 11 beads in a minute"),
    "social": ("Joins group play for 2 minutes", "Joins group play for 10 minutes"),
    "maths": ("Number facts to 10: 6 of 20", "Number facts to 10: 17 of 20"),
}

CUSTOM_HOME = (
    "{name} loves football: count passes or goals together, and talk about what happened "
    "in the match using the new words from the group."
)

# (days ago, index of the target or None, what the family saw, a reply or None)
FAMILY_OBSERVATIONS = {
    0: [
        (
            3,
            1,
            "{name} played snap with her cousin on Sunday and waited for her turn the whole "
            "game. She said 'your turn' without me reminding her!",
            None,
        ),
        (
            12,
            0,
            "The morning picture timetable is helping. Monday was hard because we went to "
            "the dentist first and it wasn't on the chart.",
            (
                "teacher@example.org",
                "Thank you – that helps us too. We'll add a 'something different' card "
                "to her timetable so surprises are less of a shock.",
            ),
        ),
        (
            26,
            None,
            "{name} has been very tired after school this week and goes straight to her "
            "room. She says the hall is too noisy at lunch.",
            (
                "sendco@example.org",
                "Thank you for telling us. We'll offer {name} lunch in the quiet room for "
                "two weeks and let you know how it goes.",
            ),
        ),
    ],
    1: [
        (
            5,
            1,
            "{name} told his grandad about the football in long sentences: 'We won three one "
            "and I scored the second goal.'",
            None,
        ),
        (
            16,
            0,
            "We ask a question on each page of his bedtime book. He gets 'who' now but "
            "'where' is still tricky.",
            (
                "teacher.y7@example.org",
                "Same in school. We'll use the map pictures for 'where' questions – try "
                "pointing to the place in the picture first.",
            ),
        ),
        (
            30,
            None,
            "{name} is worried about moving rooms for maths. Could someone walk him through "
            "where the new room is?",
            None,
        ),
    ],
}
OBSERVING_FAMILIES = {2, 3, 4, 6, 8, 10, 13, 17}
OBSERVATIONS = [
    (
        6,
        0,
        "We tried the idea from the plan every evening this week. It worked on three nights "
        "out of five; {name} was proud of it.",
        (
            "sendco@example.org",
            "Three out of five is great. We're seeing the same in class – keep going.",
        ),
    ),
    (14, 1, "{name} did this at home without being asked when playing with friends.", None),
    (
        9,
        None,
        "{name} has had a difficult week at home; sleep has been poor since the clocks changed.",
        None,
    ),
    (
        20,
        0,
        "Grandma noticed {name} managing this at her house too, which is new.",
        None,
    ),
]

ADMIRE = [
    "kind to younger children",
    "very funny",
    "brilliant at building things",
    "a loyal friend",
    "determined and does not give up",
    "great with animals",
    "full of ideas",
    "a careful artist",
]
ADMIRE_LINE = "People say {name} is {a} and {b}."
ADMIRE_MORE = "This year people also noticed that I am {c}."
IMPORTANT = [
    "Knowing what is happening next.",
    "My dog, Biscuit.",
    "Football on Saturdays with my dad.",
    "My big sister, who walks me to school.",
    "Drawing comics.",
    "Building worlds in Minecraft.",
    "Swimming lessons on Wednesdays.",
    "A quiet place to go at lunchtime.",
]
PASSPORT_SUPPORT = {
    "SPLD": [
        "Give me extra time to read and let me use my coloured overlay.",
        "Don't ask me to read aloud in front of the class without warning.",
        "Let me record ideas by talking or drawing first.",
    ],
    "MLD": [
        "Give me one instruction at a time and check I have understood.",
        "Let me use objects and pictures in maths.",
        "Show me an example of what a finished piece looks like.",
    ],
    "SLD": [
        "Use signs and pictures as you talk to me.",
        "Give me time to answer; I need longer than you think.",
        "Keep my routine the same and show me changes with my pictures.",
    ],
    "SEMH": [
        "If I get cross, give me space and a quiet word, not an audience.",
        "Greet me at the door in the morning; it helps me settle.",
        "Let me use my time-out card and go to the calm corner.",
    ],
    "SLCN": [
        "Say my name before you give me an instruction.",
        "Use short sentences and show me pictures of new words.",
        "Give me time to think before I answer.",
    ],
    "HI": [
        "Make sure I can see your face when you talk, and use my radio aid.",
        "Let me sit near the front, away from the door and the noisy heater.",
        "Check I have heard homework instructions; write them down.",
    ],
    "VI": [
        "Give me worksheets in large print or on my tablet.",
        "Tell me when furniture in the classroom is moved.",
        "Say my name and yours when you speak to me.",
    ],
    "PD": [
        "Let me leave lessons two minutes early so corridors are quiet.",
        "I use a sloping board and a pencil grip for writing.",
        "Give me a job in PE if an activity is not safe for me.",
    ],
    "ASD": [
        "Tell me about changes before they happen and show me on my timetable.",
        "Say exactly what you mean; I take words literally.",
        "Let me wear my ear defenders in assembly and the hall.",
    ],
}

NOAH_PROPOSAL = {
    "admire": "He has started helping to coach the Year 5 football team on Fridays.",
    "important": "Knowing where every room is before the timetable changes.",
    "support": "Please show him a map of the new maths room before he moves.",
    "note": "We wrote this together at home – Noah chose the words for the first part.",
}
