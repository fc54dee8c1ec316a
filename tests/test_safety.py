"""Red flags: every one gets 'seek care' first and never exercise steps."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.dialogue import Turn
from bot.safety import default_checker

FRESH = Path(__file__).parent / "data" / "red_flags_fresh.yml"


@pytest.fixture(scope="module")
def checker():
    return default_checker()


@pytest.mark.parametrize(
    "text, flag",
    [
        ("I've lost control of my bladder", "bladder_bowel"),
        ("i cant control my bowels", "bladder_bowel"),
        ("is cat cow ok? I lost bladder control yesterday", "bladder_bowel"),
        ("numb groin since my back went", "saddle_numbness"),
        ("numbness in my left leg", "leg_nerve"),
        ("my foot went numb during the piriformis stretch", "leg_nerve"),
        ("my leg keeps giving way", "leg_nerve"),
        ("pain shooting down my leg", "radiating_pain"),
        ("burning pain going down the back of my leg into my foot", "radiating_pain"),
        (
            "an ache that starts in my lower back and goes all the way down my right leg",
            "radiating_pain",
        ),
        ("sweating buckets then freezing cold in bed with my teeth chattering", "fever"),
        ("I fell down the stairs and my back hurts", "after_fall"),
        ("slipped on ice and landed on my back, can i do knee drops", "after_fall"),
        ("the horse threw me on sunday and my back is sore", "after_fall"),
        ("I threw my back out lifting a box", "after_fall"),
        ("back pain with a fever", "fever"),
        ("I've been sweating at night and my back is sore", "fever"),
        ("the pain is worst when I'm lying in bed", "night_pain"),
        ("the pain wakes me up", "night_pain"),
        ("I wake at 3am with my back aching", "night_pain"),
        ("I can't sit or stand because of my back", "severe_persistent"),
        ("my back has been sore for months, still no better", "severe_persistent"),
        ("I've lost 10 pounds without trying and my back hurts", "weight_loss"),
        ("back pain for 6 weeks and not getting better", "severe_persistent"),
        ("sharp pain in my lower back when I did the sphinx", "sharp_pain"),
        ("I have chest pain", "other_emergency"),
        ("I finished chemo last year and my lower back aches", "cancer_history"),
        ("back sore and since yesterday i cant really control when i need to pee", "bladder_bowel"),
        ("since my back started aching I've had trouble holding my water", "bladder_bowel"),
        ("my dad can't pass his water and his lower back is bad", "bladder_bowel"),
        ("I've been leaking when I stand up and didn't even feel it happen", "bladder_bowel"),
        ("getting thinner without trying and my back is sore", "weight_loss"),
        ("took a massive hit in rugby on saturday, lower back sore ever since", "after_fall"),
        ("my dad fell off a ladder and his back hurts", "after_fall"),
        (
            "my back is fine until I go to bed and then it ramps up so much I've been sleeping in "
            "the recliner",
            "night_pain",
        ),
        ("Pain in low back very very strong, I am crying from it.", "severe_persistent"),
        ("I rest 3 days, no better, my back", "severe_persistent"),
        (
            "My back pain started about six weeks ago and every week it gets worse, even though I "
            "stretch every day.",
            "severe_persistent",
        ),
        ("after leg day my legs went numb", "leg_nerve"),
        ("I fell yesterday and now I'm scared to fall again, my back hurts", "after_fall"),
        # a near miss in one sentence leaves a warning sign in another one counted
        ("I'm kind of numb to my routine. Since Monday my left leg has gone numb.", "leg_nerve"),
        (
            "I had a car accident as a teenager and it has never been an issue. Last week I fell "
            "down the stairs and now my back hurts.",
            "after_fall",
        ),
        # told in other words (red-flag set 4's dev part)
        ("the bits you sit on feel kind of dead since yesterday and my back is killing me",
         "saddle_numbness"),
        ("no feeling in my bottom area and the inside of my thighs, and the back pain",
         "saddle_numbness"),
        ("I've been finding the odd wet patch in my knickers, which is new", "bladder_bowel"),
        ("bad back since sat, and I can't pass water since this morning", "bladder_bowel"),
        ("mates say i look skinny lately and my belt's on a new notch, haven't changed a thing. "
         "back's been nagging too", "weight_loss"),
        ("Every night it's a deep gnawing in the spine once my head hits the pillow", "night_pain"),
        ("I am taking rest from 5 days, not going for work, but no improvement", "severe_persistent"),
        ("I'm crawling to get up off the floor, been like that since Sunday even with rest",
         "severe_persistent"),
        ("feeling proper rough, hot and cold sweats, and my back is killing me", "fever"),
        # a tingle that goes at once, but keeps coming back for days, still counts
        ("tingling in my foot goes away when I stand but keeps coming back for days", "leg_nerve"),
        # lost weight, not on any diet
        ("I've lost 6kg, not on any diet, and my back aches", "weight_loss"),
    ],
)  # fmt: skip
def test_red_flags_are_recognised(checker, text, flag):
    assert flag in [hit.flag.id for hit in checker.check(text)]


@pytest.mark.parametrize(
    "text",
    [
        "is this ok with back pain",
        "I fell asleep on the sofa and now my back is stiff",
        "I can't hold my water bottle during the side stretch, is that ok?",
        "cracked my phone screen when it fell off the bed lol, how do I do the knee to chest?",
        "had a car accident as a teenager, I'm 40 now and my back has never been an issue",
        "8 months into my weight loss journey and down 20kg! my back feels looser than ever",
        "honestly i feel kinda numb to my workout routine, bored stiff",
        "my toddler fell off the sofa yesterday (hes totally fine lol), my upper back is tight",
        "I put some tingly menthol rub on my upper back after stretching",
        "my back cracks loud when I twist, doesn't hurt at all, actually feels nice",
        "does stretching prevent injury?",
        "does losing weight help back pain",
        "I've got a slipped disc, should I avoid this",
        "no numbness or tingling, just stiffness",
        "I don't have a fever, just a stiff back",
        "can I do it with sciatica",
        "what should I do before bed",
        "does stretching prevent cancer?",
        "no history of cancer, just a stiff back",
        "my leaflet got thrown out with the newspapers, how does knee to chest go?",
        "my back is in knots and my old kitchen chair is falling apart, what chair should I buy?",
        # someone else waking, a time since something else, what keeps someone off the floor
        "she only naps in the carrier so I sway for an hour, my back aches, or she wakes",
        "had a c-section 4 months ago, lying on my front still feels odd, my back is so stiff",
        "I can't sit or get on the floor while holding the baby, my back aches, stretches standing?",
        # balance while kneeling, not a leg giving way
        "I feel a little wobbly on my knees during the kneeling back rotation, anything to steady it?",
        # when something happened, not how long pain has lasted; a person's weight, not heavy legs
        "In the child pose my knees are not happy, they ache when I sit back. I had knee replaced "
        "5 years ago, all healed. What I can do?",
        "Getting down onto the floor is a real palaver for me (heavy, and a knee replacement, long "
        "healed). Which back stretches can I do standing?",
        # the knee roll over's own movement; night feeds; knees long "not so good"
        "how do you do the one where you lie on your back with knees bent and let them fall over "
        "to one side and then the other?",
        "any stretch that's good right before bed to help me wind down? Night feeds are killing me",
        "Child pose is hurting a little in my knees, they are not so good since many years. What "
        "can I change?",
        "I wake up pretty stiff most mornings, nothing painful, just tight. is it ok to stretch?",
        # a fall feared, not had; an arm numb under a sleeping child; legs spent after leg day;
        # heels not reached since a knee replacement long healed
        "Standing back extension, what I should not do? Afraid to fall backward or hurt neck.",
        "my arm goes numb when she falls asleep on it lol but my upper back is so tight",
        "Need a quick 5 min cooldown after leg day, legs are dead and my back's a bit tired.",
        "I cannot sit right back on my heels in child's pose since my knee replacement, though it "
        "healed long ago.",
        # a tingle in a stretch or a position that stops at once; weight lost on purpose; a fever
        # with no pain, or a child's; legs "about to fall off" after leg day; the seat of a pew
        "When I do the piriformis stretch I feel a little tingling in my bottom, but when I release "
        "it goes away immediately.",
        "brief tingle in my foot during knee-to-chest, gone the second I let go. normal?",
        "get a lil tingle in my feet in childs pose, stops soon as i come up",
        "pins and needles in my foot after sitting on it, went in a minute. fine now.",
        "I've lost two stone at Slimming World since January and I'm delighted",
        "my trousers are loose since I started intermittent fasting and the gym (down 6kg, all "
        "planned)",
        "I have cold and small fever since yesterday, no pain anywhere, only nose blocked.",
        "my little one has a fever so i'm stuck at home minding her. my back's fine",
        "my legs feel like they're about to fall off after leg day haha",
        "Sat on a hard pew for two hours and the bits you sit on had gone dead. Came right back "
        "within a minute of standing up.",
        # idioms (set 67's and red-flag set 5's dev parts): dead tired, a dead leg from a knock in a
        # game, a numb mind, a football fever
        "my legs are dead tired after a double on the line, just achy",
        "Mate gave me a dead leg playing touch footy, big bruise on the thigh, back's fine.",
        "After six hours of back-to-back Zoom calls my brain is numb and my upper back feels tight",
        "Mundial fever! I watch all the matches on the sofa and now my lower back is stiff",
        # someone else's fever, the writer well (red-flag set 14's dev part); sweating, then cold
        # somewhere else
        "My son is having viral fever and I am nursing him. I am quite fine myself but my back is "
        "paining from sitting bent over beside his bed. Which stretch please?",
        "I was sweating in the gym and then freezing outside in the car park, back is stiff",
    ],
)
def test_close_but_not_red_flags(checker, text):
    assert checker.check(text) == []


def test_most_serious_level_comes_first(checker):
    hits = checker.check("my legs are numb and I wet myself")
    assert hits[0].flag.level == "emergency"


def _fresh_half(half: int):
    """The independent set is split: even cases were used to tune the patterns, odd cases are
    kept blind and only measured by `make bench` (their figure is in BENCHMARKS.md)."""
    data = yaml.safe_load(FRESH.read_text())
    flags = [c["text"] for i, c in enumerate(data["red_flags"]) if i % 2 == half]
    others = [t for i, t in enumerate(data["not_red_flags"]) if i % 2 == half]
    return flags, others


def test_tuning_half_of_the_independent_set(checker):
    flags, others = _fresh_half(0)
    assert [t for t in flags if not checker.check(t)] == []
    assert [t for t in others if checker.check(t)] == []


@pytest.mark.parametrize(
    "text, intent",
    [
        ("how do I do cat cow? my legs have gone numb", "ask_howto"),
        ("thread the needle steps please, I lost bladder control this morning", "ask_howto"),
        ("sphinx pose, though I fell off a ladder yesterday", "inform"),
        ("what muscles does the piriformis stretch work, pain shoots down my leg", "ask_muscles"),
    ],
)
def test_red_flag_beats_a_named_stretch(dialogue, text, intent):
    reply = dialogue.respond(Turn(text, intent, 0.9))
    first = reply.messages[0].lower()
    assert reply.red_flag
    assert "doctor" in first or "emergency" in first or "medical" in first
    assert not any("\n1. " in m or m.startswith("1. ") for m in reply.messages)
    assert not any("Main muscles" in m for m in reply.messages)


def test_bladder_loss_gets_emergency_wording(dialogue):
    reply = dialogue.respond(Turn("I can't control my bladder since my back went", "ask_howto"))
    assert "emergency" in reply.messages[0].lower()


def _red_flag_texts():
    data = Path(__file__).parent.parent / "data" / "nlu.yml"
    for item in yaml.safe_load(data.read_text())["nlu"]:
        if item.get("intent") == "red_flag":
            yield from (line.strip()[2:] for line in item["examples"].splitlines() if line.strip())
    for name in (
        "red_flags_fresh.yml",
        "red_flags_unseen.yml",
        "red_flags_final.yml",
        "red_flags_fresh2.yml",
    ):
        yield from (
            case["text"] for case in yaml.safe_load((FRESH.parent / name).read_text())["red_flags"]
        )


def test_every_known_red_flag_has_a_pattern_or_a_warning_word(checker):
    """The classifier's suspicion alone only counts with a cue word (bot/dialogue.py): so every red
    flag we know of (training examples and the regression sets) must have a pattern or a cue."""
    missed = [t for t in _red_flag_texts() if not checker.check(t) and not checker.hinted(t)]
    assert missed == []


@pytest.mark.parametrize(
    "text",
    [
        "sitting cross legged with a hand behind my head, twisting, is that right?",
        "I can't get my bottom down to my heels",
        "when I pull my knee to my chest I get a pinch in my hip",
        "no numbness or tingling, just tight",
        "what's the breathing trick in the twist",
    ],
)
def test_positions_and_mild_aches_have_no_warning_words(checker, text):
    assert checker.hinted(text) == []


def test_the_words_of_a_stretch_name_are_not_symptoms(checker):
    ordinary = "a heavy gym session, then would lying knee roll overs be ok to cool down?"
    assert checker.check(ordinary) == []
    assert checker.check("my knees give way when I get up from knee to chest")


def test_a_rest_break_is_no_hint_of_pain_at_rest(checker):
    assert (
        checker.hinted("is child's pose doing anything for my back or is it just a rest break?")
        == []
    )
    assert checker.hinted("it hurts even when I'm resting")


@pytest.mark.parametrize(
    "text, not_hinted",
    [
        # Words of a position or an ordinary remark are no hint of a warning sign ...
        ("lying on my back, letting my knees fall side to side", "after_fall"),
        ("the chill kneeling one with my bum on my heels", "fever"),
    ],
)
def test_position_words_are_no_hint_of_a_warning_sign(checker, text, not_hinted):
    assert not_hinted not in [flag.id for flag in checker.hinted(text)]


@pytest.mark.parametrize(
    "text, hinted",
    [
        # ... while the same words as a symptom still are.
        ("I had a fall last week and my back aches", "after_fall"),
        ("back ache with chills", "fever"),
        ("I've had a chill and my back hurts", "fever"),
    ],
)
def test_the_same_words_as_symptoms_still_hint(checker, text, hinted):
    assert hinted in [flag.id for flag in checker.hinted(text)]


@pytest.mark.parametrize(
    "text, not_hinted",
    [
        # A word that only contains a warning word, or an everyday use of one, is no hint.
        ("last time I carried boxes my back was sore for days, how do I lift", "after_fall"),
        ("after a heavy leg day of squats and deadlifts, can I stretch?", "leg_nerve"),
        ("I do the knee roll over every night, what do people get wrong?", "night_pain"),
        ("my hips are tight and it spreads into my lower back", "radiating_pain"),
        ("hunched over spreadsheets all day, my upper back is stiff", "radiating_pain"),
        ("cat cow is a flowing move, is it good for me?", "radiating_pain"),
        ("my current routine is too long, what can I drop?", "radiating_pain"),
        ("back aching after my shift, is child's pose ok before I crash out?", "after_fall"),
        ("tips on how to lift so I don't wreck my back any further?", "after_fall"),
    ],
)
def test_everyday_words_that_contain_a_warning_word_are_no_hint(checker, text, not_hinted):
    assert not_hinted not in [flag.id for flag in checker.hinted(text)]
    assert not_hinted not in [hit.flag.id for hit in checker.check(text)]


@pytest.mark.parametrize(
    "text, flag",
    [
        ("I was in a car crash and my back hurts", "after_fall"),
        ("had a fender bender last week, back been killing me since", "after_fall"),
        ("my back has hurt since the wreck on the motorway", "after_fall"),
        ("the pain spreads down my leg", "radiating_pain"),
        ("since yesterday my legs feel heavy and weak", "leg_nerve"),
        ("it wakes me at night and won't ease", "night_pain"),
        ("the pain spreads down into my leg", "radiating_pain"),
    ],
)
def test_the_same_warning_words_as_symptoms_still_count(checker, text, flag):
    assert flag in [f.id for f in checker.hinted(text)] + [h.flag.id for h in checker.check(text)]


def test_a_range_limit_in_a_stretch_is_not_being_unable_to_sit(checker):
    assert checker.check("In Child's Pose I cannot sit down to my heels, what can I change?") == []
    assert (
        checker.check("cant sit all the way back in childs pose, my hips r too tight, any hack")
        == []
    )
    assert checker.check("the pain is so bad I can't sit or stand")
    propped = "in sphinx pose I can't get up as high as the teacher without it pinching"
    assert "severe_persistent" not in [h.flag.id for h in checker.check(propped)]
    assert "severe_persistent" in [h.flag.id for h in checker.check("I can't get up out of bed")]


def test_texting_spellings_and_someone_elses_night_pain_count(checker):
    for text in (
        "husbands back pain wakes him up at nite and its worse when he lies down, which stretch "
        "before bed?",
        "my back hurts at nite",
    ):
        assert "night_pain" in [h.flag.id for h in checker.check(text)]
    # (and "overnight" with "kills" said of a phone battery is no pain at night)
    assert (
        checker.check("is it bad to charge ur phone overnite? my dad says it kills the battery")
        == []
    )


def test_legs_tired_after_a_rehearsal_are_no_nerve_sign_but_tingling_after_the_gym_is(checker):
    tired = (
        "Super tired after a three hour rehearsal, legs are heavy and I'm just generally wiped. "
        "Is cat-cow still ok to do now?"
    )
    assert checker.check(tired) == []
    for text in (
        "stiff after the gym and my feet are tingling",
        "tired after a run, my legs are numb",
    ):
        assert "leg_nerve" in [h.flag.id for h in checker.check(text)]


def test_a_body_said_heavy_or_squashed_in_a_fold_is_no_warning_sign(checker):
    assert (
        checker.check("piriformis stretch mistakes? I'm heavy and I end up straining my neck") == []
    )
    folded = "do I hold my breath? I'm big and it's kinda hard to breathe when I'm folded forward"
    assert checker.check(folded) == []
    # (heavy legs, and breathing hard with a chest that hurts, still count)
    assert "leg_nerve" in [h.flag.id for h in checker.check("heavy legs since last week")]
    chest = "it's hard to breathe when I'm bent over and my chest hurts"
    assert "other_emergency" in [h.flag.id for h in checker.check(chest)]


def test_weight_lost_told_before_its_amount_counts(checker):
    lost = "I lose weight without diet, around 6 kg, and my back is hurting. Which stretch?"
    assert "weight_loss" in [h.flag.id for h in checker.check(lost)]
    assert checker.check("I want to lose weight, about 6 kg, which stretches") == []


def test_a_car_hitting_ones_car_is_an_accident_a_hand_hitting_a_door_is_not(checker):
    crash = "Three days ago a car hit my car from behind. Now my neck and upper back are sore."
    assert "after_fall" in [h.flag.id for h in checker.check(crash)]
    assert checker.check("I hit my car door with my knee") == []


@pytest.mark.parametrize(
    "text",
    [
        # a word of heaviness and a foot four sentences apart are not heavy legs
        "ok so backstory, im a nurse doing 12hr shifts, 3 kids at home, my back is just TIRED all "
        "the time, not injured just tired and heavy. my sister in law swears by childs pose before "
        "bed and i said fine ill try it. do i sit on my feet?? where do my arms go??",
        # pain said not to be there, beside lying down or years
        "hey. 52, builder, 30 yrs on sites. back isnt hurt just tight as hell by friday. wife says "
        "lie down and pull ur knees to ur chest. is it one leg or both together??",
        "I'm a data analyst so I suppose years at the screen have done it. My back doesn't actually "
        "hurt. Which stretches would help counter that forward slump?",
        "I'm a night-owl freelance writer and my brain just won't switch off at bedtime. My back "
        "isn't sore, but I carry a lot of tension in it from the day.",
        # what to do if it stops improving, asked ahead
        "When should I go back to my GP? She said 'come back if it's not improving'.",
    ],
)
def test_a_long_story_with_no_warning_sign_raises_none(checker, text):
    assert checker.check(text) == []


def test_things_said_together_still_count_across_two_sentences(checker):
    assert "after_fall" in [
        h.flag.id for h in checker.check("I fell off my bike. My back hurts now.")
    ]
    lasting = "My back pain isn't improving after 6 weeks"
    assert "severe_persistent" in [h.flag.id for h in checker.check(lasting)]


def test_working_nights_is_not_pain_at_night(checker):
    shifts = "I'm a nurse on permanent nights and my lower back is throbbing when I get home"
    assert "night_pain" not in [h.flag.id for h in checker.check(shifts)]
    assert "night_pain" not in [f.id for f in checker.hinted("after a string of night shifts")]
    assert "night_pain" in [h.flag.id for h in checker.check("my back throbs all night long")]


@pytest.mark.parametrize(
    "text, flag",
    [
        ("back hurtin a lot and i have a fevr since 2 days wat stretch helps", "fever"),
        ("numbnes in my left leg since friday", "leg_nerve"),
        ("my foot is tinglin all the time now", "leg_nerve"),
        ("i cant control my bladdr anymore", "bladder_bowel"),
        ("I've lost about 6kg without trying and my back has ached for a month", "weight_loss"),
        ("I lose 7 kilo in 2 month without diet and my back is hurting", "weight_loss"),
        ("lost a lot of weight without dieting, back aches at night", "weight_loss"),
        ("pins n needles in both feet and low back pain after lifting the pram", "leg_nerve"),
        (
            "since this back thing started i sometimes cant hold it in when i need the loo",
            "bladder_bowel",
        ),
    ],
)
def test_a_misspelt_symptom_or_an_amount_written_together_still_counts(checker, text, flag):
    assert flag in [h.flag.id for h in checker.check(text)]


@pytest.mark.parametrize(
    "text",
    [
        "how to do chils pose plz",  # a slip from "child's", not "chills"
        "I want to lose 5kg, which stretches help?",
        "I lost 3 kg on my diet, is stretching still worth it?",
        "i lost 2kg on purpose and now stretch daily",
        "what's the best protein powder for losing weight?",
        "i cant hold it in childs pose for 2 minutes",
        "need the loo halfway through the routine, can I pause",
        "what shud i wear for the streches",
    ],
)
def test_a_slip_near_a_stretch_name_or_weight_wanted_off_is_no_symptom(checker, text):
    assert checker.check(text) == []


@pytest.mark.parametrize(
    "text, now",
    [
        ("how do i go deeper without like hurting myself", False),
        ("ouch, that hurts in my lower back", True),
        ("it hurts when i go deeper", True),
        ("i can't do cat cow without pain", True),
        ("this is not good pain in my hip", True),
        ("so i don't hurt myself, how far should i twist", False),
    ],
)
def test_pain_only_to_be_kept_away_is_not_pain_now(text, now):
    from bot.safety import pain_now

    assert pain_now(text) is now


@pytest.mark.parametrize(
    "text, told, now",
    [
        ("just normal tightness, nothing painful, what does cat cow do?", False, True),
        ("it doesn't hurt but my hip feels tight in the piriformis stretch", False, True),
        ("not painful, just stiff in sphinx", False, True),
        ("it's not the stretch, my back hurts in child's pose", True, True),
        ("no pain at first, then it hurts when I twist", True, True),
        ("i can't do cat cow without pain", True, True),
    ],
)
def test_pain_said_not_to_be_there_is_not_told_but_still_stops_a_routine(text, told, now):
    """A question answers the pain it tells of; a routine stops on any pain word (`pain_now`)."""
    from bot.safety import pain_now, pain_told

    assert (pain_told(text), pain_now(text)) == (told, now)


@pytest.mark.parametrize(
    "text",
    [
        "What angle should I sharpen my chef's knife at?",
        "I have a mild scoliosis (thoracic, monitored, no pain) if that matters, found years ago",
        "spinal fusion years ago, no pain since, which stretches are ok?",
        "I'm wiped out after a long shift, is child's pose a good idea before bed?",
        "feeling totally wiped out today, a gentle stretch for my back?",
        "3am and still awake, lying in bed, back a bit stiff (no pain), which stretch?",
        "old rugby injury in my knee from a long time ago, it's healed now. is cat cow ok?",
        "in child pose I cannot sit down on my heels, what can I do?",
    ],
)
def test_a_knife_or_a_condition_with_no_pain_is_no_warning_sign(checker, text):
    assert checker.check(text) == []


@pytest.mark.parametrize(
    "text, flag",
    [
        ("it felt like a knife in my back when I bent down", "sharp_pain"),
        ("no pain in the morning but it has hurt every evening for weeks", "severe_persistent"),
        ("I wiped out on my bike yesterday and now my back is sore", "after_fall"),
    ],
)
def test_a_knife_like_pain_or_pain_beside_a_no_pain_still_counts(checker, text, flag):
    assert flag in [h.flag.id for h in checker.check(text)]


def test_an_energy_crash_is_no_hint_of_a_fall(checker):
    assert [f.id for f in checker.hinted("an energy drink that won't make me crash at 4am")] == []
    assert [f.id for f in checker.hinted("i crashed my bike and my back hurts")] == ["after_fall"]


def test_a_trip_down_there_is_no_hint_of_a_body_part(checker):
    trip = "any truck stops with showers near Lyon? doing a run down there next week"
    assert [f.id for f in checker.hinted(trip)] == []
    assert "saddle_numbness" in [f.id for f in checker.hinted("it goes numb down there")]
    assert "radiating_pain" in [f.id for f in checker.hinted("the pain runs down my leg")]


@pytest.mark.parametrize(
    "text",
    [
        "I hurt my back 2 years ago and it still aches",
        "my cross pain is very strong and every day it is more worse. child pose is ok?",
        "my back pain gets worse day by day",
        "my legs feel heavy and dead",
        "my knee keeps giving way on the stairs",
        "stretched daily 6 wks, low back pain not better at all. hold longer?",
        "I have also had some difficulty controlling my bladder, which is rather embarrassing.",
    ],
)
def test_pain_since_long_ago_worse_by_the_day_and_heavy_legs_still_count(checker, text):
    assert checker.check(text), text


def test_a_weight_carried_is_no_hint_of_weight_lost(checker):
    text = "My shoulder gets achy in the kneeling back rotation. I carry a 12kg toddler a lot."
    assert checker.hinted(text) == []
    assert [f.id for f in checker.hinted("I've lost 6kg without trying, back aches")] == [
        "weight_loss"
    ]


@pytest.mark.parametrize(
    "text, not_hinted",
    [
        ("I'm 38 and sit at a laptop all day", "fever"),  # an age, no temperature
        ("Nothing is injured as far as I know, I just feel stiff", "after_fall"),
        ("How do I fill in the work injury compensation form?", "after_fall"),
    ],
)
def test_an_age_a_denied_injury_and_paperwork_are_no_hints(checker, text, not_hinted):
    assert not_hinted not in [flag.id for flag in checker.hinted(text)]
    assert not_hinted not in [hit.flag.id for hit in checker.check(text)]


def test_a_temperature_still_hints_a_fever(checker):
    said = "I've been running 38.5 since yesterday and my back aches"
    assert "fever" in [flag.id for flag in checker.hinted(said)]


def test_a_foot_asleep_from_sitting_that_passes_is_no_warning_sign(checker):
    assert checker.check("my foot went dead sitting in the forklift so im up walking it off") == []
    passes = "my foot tingles for a minute from sitting cross-legged, then it's fine once I move"
    assert checker.check(passes) == []
    # ... while one that stays, or comes with weakness, still is
    assert checker.check("my foot went numb sitting at my desk and it still tingles now")
    assert checker.check("my foot goes numb when sitting and it stays numb for hours")
    assert checker.check("my leg went dead sitting and felt weak for a minute when I got up")


def test_a_fear_of_getting_hurt_is_no_pain_told():
    from bot.safety import pain_told

    assert not pain_told("I'm terrified of twisting too far and hurting myself")
    assert not pain_told("I'm nervous I'll do it wrong and tweak something")
    assert pain_told("I'm worried that it hurt my back")
    assert pain_told("it hurts in my lower back when I twist")


@pytest.mark.parametrize(
    "text",
    [
        # the lying knee roll over's own movement
        "the lying on back knees falling side to side one - my low back feels tight doing it",
        # a seat sat in, with no crash
        "my leg fell asleep sitting in the patrol car, shook it off fine, but now my back's stiff",
        # not up yet, not unable to get up
        "any stretches i can do lying in bed. cant get up yet",
        # a leg gone to sleep that has passed
        "My leg fell asleep during a long session yesterday - totally fine now, just pins and "
        "needles for a minute",
    ],
)
def test_a_position_a_seat_a_lie_in_and_a_leg_asleep_that_passed_are_no_warning_signs(
    checker, text
):
    assert checker.check(text) == []
    assert checker.hinted(text) == []


def test_a_vehicle_that_hit_us_and_a_leg_asleep_that_stays_still_count(checker):
    hit = "i was sitting in the car when a truck hit us, now my back hurts"
    assert [h.flag.id for h in checker.check(hit)] == ["after_fall"]
    assert [h.flag.id for h in checker.check("a cyclist ran into me and my back aches")] == [
        "after_fall"
    ]
    assert checker.check("my leg fell asleep and it's still numb days later")
    assert [h.flag.id for h in checker.check("i can't get up, the pain is too bad")] == [
        "severe_persistent"
    ]


@pytest.mark.parametrize(
    "text, flag",
    [
        # (red-flag set 9's dev part, reworded)
        ("my legs just give out on me now and then, back's stiff too", "leg_nerve"),
        ("on the stairs my knee folded under me for no reason, sore back since", "leg_nerve"),
        ("both feet feel like ants are crawling in them, back aches, stretches?", "leg_nerve"),
        ("i sit on the loo and nothing comes though i need to go, back's bad", "bladder_bowel"),
        ("since my back went i have to strain for ages to pee", "bladder_bowel"),
    ],
)
def test_legs_giving_out_ants_in_the_feet_and_straining_to_pee_count(checker, text, flag):
    assert [h.flag.id for h in checker.check(text)] == [flag]


@pytest.mark.parametrize(
    "text",
    [
        "legs give out after a 20 km hike, fine after a rest and a meal",  # no "give out on me"
        "fold your knees under you and sit back on your heels",
        "ants got into the kitchen again, my back is stiff from cleaning up",
        "i push the stretch further each time, how far is too far?",
    ],
)
def test_a_hike_a_fold_ants_and_a_push_in_other_senses_are_no_warning_signs(checker, text):
    assert checker.check(text) == []


@pytest.mark.parametrize(
    "text, flag",
    [
        # (red-flag set 11's dev part, reworded)
        (
            "my soles feel fuzzy all day like i'm walking on thick carpet, back is stiff",
            "leg_nerve",
        ),
        ("soon as i lie down it starts up so bad i've been kipping in the armchair", "night_pain"),
    ],
)
def test_fuzzy_feet_and_kipping_in_a_chair_for_the_pain_count(checker, text, flag):
    assert [h.flag.id for h in checker.check(text)] == [flag]


@pytest.mark.parametrize(
    "text",
    [
        "treated myself to fuzzy socks and my feet are toasty, best stretch for a stiff back?",
        "three pints at the match and I nearly didn't make it to the loo in time, anyway cat cow?",
        "in the butterfly I feel it in my groin. is that normal? not numb, just a stretch",
    ],
)
def test_fuzzy_socks_a_near_thing_a_saddle_that_passed_and_a_stretch_in_the_groin(checker, text):
    assert checker.check(text) == []


def test_a_saddle_gone_numb_on_a_ride_that_passed_is_no_emergency(checker):
    text = "long ride, my bum went numb on the saddle but feeling came back once I got off the bike"
    # a numb bum is still a hint of the legs' nerves, which the all-clear and the model may clear
    assert [h.flag.id for h in checker.check(text)] == ["leg_nerve"]


@pytest.mark.parametrize(
    "text, flag",
    [
        # a near thing is no accident, but an accident is
        (
            "had four coffees and didn't make it to the toilet, wet myself, never happens",
            "bladder_bowel",
        ),
        # the saddle numbness stays, or comes with the bladder
        (
            "after cycling my saddle area goes numb and it still hasn't come back today",
            "saddle_numbness",
        ),
        (
            "since the ride my groin is numb and it comes back only slowly, and peeing feels odd",
            "saddle_numbness",
        ),
        # "not" before another word is no denial of the numbness
        ("my groin is not right, numb since yesterday", "saddle_numbness"),
    ],
)
def test_an_accident_a_saddle_numbness_that_stays_and_a_numb_groin_still_count(checker, text, flag):
    assert flag in [h.flag.id for h in checker.check(text)]


@pytest.mark.parametrize(
    "text, flag",
    [
        # a numb seat told by what it is like (red-flag set 12)
        (
            "since Tuesday when I sit it feels like my backside just isn't there, ok to do cat cow?",
            "saddle_numbness",
        ),
        # a laugh with a leak, or one that keeps happening, still counts
        (
            "I laughed at a joke and leaked a bit, I didn't even feel it, back hurts",
            "bladder_bowel",
        ),
        ("every time I laugh I nearly wet myself since the back went", "bladder_bowel"),
        # pain one wants to prevent beside pain that wakes you
        ("I want to prevent back pain. it hurts at night and wakes me", "night_pain"),
        # night pain denied in one breath, but waking one up
        ("my back is not bad at night but it wakes me at 3am with pain", "night_pain"),
        # dress sizes dropped without dieting (tests/data/red_flags_final.yml)
        ("back pain + dropped 2 dress sizes without dieting lol, what stretches", "weight_loss"),
        # a sharp nip in a stretch (set 73's conversations)
        ("tried it, gives me a sharp nip in the lower back", "sharp_pain"),
    ],
)
def test_a_seat_not_there_a_laugh_with_a_leak_and_night_pain_beside_prevention_count(
    checker, text, flag
):
    assert flag in [h.flag.id for h in checker.check(text)]


@pytest.mark.parametrize(
    "text",
    [
        "laughed so hard at my mate's joke I nearly peed my pants haha, back only stiff from my desk",
        "which pillow is best for not having back pain? I wake up every morning a bit stiff",
        "dropped a dress size on slimming world, back a bit stiff, which stretches?",
        # (red-flag set 13) night pain denied
        "The pain is NOT worse at night, I sleep very good, it is only in the day at my desk",
    ],
)
def test_a_laugh_and_a_pillow_against_pain_are_no_warning_signs(checker, text):
    assert checker.check(text) == []
