"""Words for the demo school's praise: its values, and notes that sound like a classroom.
Fictional; `{name}` is the child's first name."""

VALUES = [
    ("Be kind", "Helping, sharing, noticing when someone is on their own"),
    ("Keep going", "Sticking with something hard, trying again after a wobble"),
    ("Be curious", "Asking questions, trying something new, wondering why"),
    ("Work together", "Taking turns, listening to a partner, sharing the job"),
    ("Speak up", "Saying what they need, how they feel, or what they think"),
]

NOTES = {
    "Be kind": [
        "{name} helped a new pupil find the lunch hall",
        "{name} noticed a friend was upset at break and sat with them",
        "{name} shared their pencils when their table ran out",
        "{name} held the door for the whole class without being asked",
        "{name} helped tidy the reading corner after wet play",
        "{name} made a get-well card for a classmate who is in hospital",
        "{name} invited someone playing alone to join their game",
        "{name} was gentle and patient with the Reception children at story time",
    ],
    "Keep going": [
        "{name} kept going with the fractions sheet even when it got tricky",
        "{name} stayed in the classroom for the whole of assembly today",
        "{name} tried the spelling test again after a wobble and got 8 out of 10",
        "{name} used their calm card and came back to the lesson by themselves",
        "{name} finished their longest piece of writing this year",
        "{name} managed the change of room for PE without any fuss",
        "{name} read a whole chapter aloud to an adult",
        "{name} came into school calmly after a difficult morning",
    ],
    "Be curious": [
        "{name} asked brilliant questions about the Romans in history",
        "{name} tried a new food at lunch today",
        "{name} wanted to know why the ice melted faster in the sun and tested it",
        "{name} found three more facts about volcanoes at home and shared them",
        "{name} had a go at the challenge question without being asked",
        "{name} looked closely at the minibeasts in the garden and drew them",
    ],
    "Work together": [
        "{name} took turns fairly in the group maths game",
        "{name} listened to their partner's idea and built on it",
        "{name} shared the job of giving out the books",
        "{name} helped their group finish the science poster",
        "{name} waited patiently for their turn on the computers",
        "{name} worked with a new partner in PE and encouraged them",
    ],
    "Speak up": [
        "{name} put their hand up to answer in front of the class",
        "{name} told an adult they needed a movement break before things got too much",
        "{name} read their poem to the class",
        "{name} asked for help with the worksheet instead of giving up",
        "{name} said good morning to the office staff all by themselves",
        "{name} explained how they felt after a falling-out, using the feelings chart",
        "{name} ordered their own lunch at the counter",
    ],
}

TARGET_NOTES = [
    "{name} worked on their target today and did it with less help than last week",
    "Real progress on {name}'s target this morning",
    "{name} remembered the strategy from their target all by themselves",
]

THANKS = [
    "Thank you so much, this made our evening",
    "We read this together at tea time – big smiles",
    "Thank you for noticing, it means a lot",
    "",
    "So proud! Thank you for telling us",
    "Thank you – we'll keep practising at home",
    "",
]
