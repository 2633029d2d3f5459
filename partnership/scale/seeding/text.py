"""The words of the scale data set: plausible, fictional, and few, so that millions of
rows cost little to make. No tab, newline or backslash anywhere (COPY's text format).
The children's names begin with the demo school's, in the same order."""

from partnership.schools import demo_names

FIRST_NAMES = (
    *demo_names.FIRST_NAMES,
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Felix",
    "Grace",
    "Harry",
    "Imran",
    "Jack",
    "Keira",
    "Liam",
    "Molly",
    "Nathan",
    "Olivia",
    "Priya",
    "Reuben",
    "Sana",
    "Toby",
    "Zara",
)
ADULT_FIRST_NAMES = (
    "Jamie",
    "Sam",
    "Alex",
    "Priya",
    "Jordan",
    "Chris",
    "Pat",
    "Dana",
    "Robin",
    "Fatima",
    "Mark",
    "Sarah",
    "Tom",
    "Anna",
    "David",
    "Lucy",
    "James",
    "Emma",
    "Mohammed",
    "Helen",
    "Paul",
    "Claire",
    "Kwame",
    "Joanna",
    "Tariq",
    "Rachel",
    "Steve",
    "Nadia",
    "Gareth",
    "Laura",
)
LAST_NAMES = (
    *demo_names.LAST_NAMES,
    "Edwards",
    "Foster",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jackson",
    "Kaur",
    "Lee",
    "Murphy",
    "Nash",
    "Owen",
    "Price",
)

CONTACT_SUMMARIES = (
    "Quick chat at the gate about how the morning went.",
    "Phoned to say the new visual timetable is helping at home.",
    "Talked about the move to the new classroom and what might help.",
    "Agreed to try the calm box before lunch for the next two weeks.",
    "Shared how the reading group is going and a book to try at home.",
    "Parent asked about the school trip; we went through the plan together.",
    "Discussed sleep and tiredness on Mondays; school will watch for it.",
    "Update on the speech and language sessions and words to practise.",
    "Talked through a difficult playtime and what we will do next time.",
    "Checked in after the review meeting; no concerns from home this week.",
    "Parent shared a letter from the paediatrician; added to the passport.",
    "Agreed a signal for when a break is needed in class.",
)
CHECKIN_MESSAGES = (
    "",
    "",
    "A good week, thank you.",
    "Mornings have been hard again.",
    "Loved the praise note on Friday!",
    "Could we talk about homework?",
    "Much calmer at home this week.",
    "Worried about the change of teacher.",
)
PRAISE_NOTES = (
    "Helped a friend who was upset at playtime.",
    "Kept going with a tricky maths problem.",
    "Asked a great question in science.",
    "Read aloud to the class for the first time.",
    "Used the break card instead of leaving the room.",
    "Tidied the classroom without being asked.",
    "Shared the building blocks really kindly.",
    "Tried a new food at lunch.",
    "Told an adult how they were feeling.",
    "Worked brilliantly in the group task.",
    "Got changed for PE on their own.",
    "Waited patiently for their turn.",
)
TARGETS = (
    ("SLCN", "Ask for help using a sentence of four or more words."),
    ("SEMH", "Name how they feel using the feelings chart, three times a day."),
    ("SPLD", "Read 40 high-frequency words by sight."),
    ("ASD", "Move between activities with a five-minute warning and no distress."),
    ("MLD", "Add two-digit numbers using a number line."),
    ("PD", "Get ready for PE independently within ten minutes."),
    ("SEMH", "Take a calm break when needed, using the break card."),
    ("SLCN", "Take turns in a conversation of three exchanges."),
)
HOME_IDEAS = (
    "Ask one open question at tea time and wait for the whole answer.",
    "Use the same feelings chart at bedtime; it is in the book bag.",
    "Five minutes of word cards before school, only when it feels fun.",
    "Give a five-minute warning before screens go off.",
)
REVIEW_COMMENTS = (
    "Steady progress this fortnight.",
    "Managed it most days with a reminder.",
    "A harder fortnight after the trip; back on track now.",
    "Doing this without prompts in class now.",
    "Needs more practice; we will keep going.",
)
OBSERVATIONS = (
    "Asked for help with their shoes using a full sentence.",
    "Used the feelings chart at bedtime without being asked.",
    "Read a page of their book to grandma.",
    "Had a calm morning with the five-minute warning.",
    "Got dressed on their own before school.",
)
PASSPORT = (
    "Kind, funny and brilliant with animals.",
    "My family, my dog, and knowing what happens next.",
    "Give me time to answer and warn me before changes.",
)
INTERVENTIONS = (
    (
        "Reading catch-up",
        "Short daily reading sessions in a small group.",
        "Read together for ten minutes.",
    ),
    ("Talk Boost", "A small group for talking and listening.", "Play turn-taking games."),
    ("ELSA", "Emotional literacy support, one to one.", "Talk about feelings at bedtime."),
    (
        "Lego therapy",
        "Building in a group of three to practise working together.",
        "Build together.",
    ),
    (
        "Precision teaching",
        "Short daily practice of key facts.",
        "Practise flashcards for five minutes.",
    ),
    ("Sensory circuits", "A morning circuit to get ready to learn.", "A short walk before school."),
)
SESSION_TITLES = (
    ("coffee_morning", "meeting_parents", "SEND coffee morning"),
    ("workshop", "autism", "Understanding autism at home"),
    ("workshop", "behaviour", "Calm mornings: routines that help"),
    ("workshop", "need", "Reading with your child"),
    ("coffee_morning", "wellbeing", "Parents' wellbeing drop-in"),
)
CONSULTATIONS = (
    "A new quiet room at lunchtime",
    "Changes to the SEND information report",
    "Moving parents' evenings online",
)
QUESTIONS = (
    "This change would help my child.",
    "I understand why school is thinking about it.",
    "I would like to hear more before it happens.",
)
