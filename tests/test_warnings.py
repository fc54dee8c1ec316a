"""The learned warning-sign model (bot/warnings.py): a second opinion beside content/safety.yml's
patterns, trained on data/warning_signs.yml, data/warning_corpus.yml and data/nlu.yml."""

from __future__ import annotations

import pytest

from bot.dialogue import SUSPICION_VETO_BELOW, WARNING_HINTED, WARNING_SURE, Turn
from bot.safety import ALL_CLEAR_BELOW, LEARNED_CLEAR_BELOW
from bot.understanding import Match, Meaning
from bot.warnings import WarningModel, default_warning_model, nlu_examples

# Written for this test, in words the patterns of content/safety.yml don't have, and not among the
# model's examples (checked below).
WARNINGS = [
    "since yesterday I cannot feel the area I sit on, and my back is agony. which stretch?",
    "I wet myself without noticing twice this week and my lower back aches, best stretch?",
    "my back pain came with a high temperature and chills, is stretching ok",
]
ORDINARY = [
    "how many seconds do I stay in the sphinx when I start out?",
    "my lower back hurts after gardening, which stretch helps?",
    "no numbness or tingling, just tight after my long drive",
]


@pytest.fixture(scope="module")
def model():
    return default_warning_model()


def test_the_test_messages_are_not_among_the_examples():
    from bot import settings
    from bot.warnings import warning_examples

    known = {text.lower() for text, _ in warning_examples(settings.WARNING_EXAMPLES)}
    known |= {text.lower() for text, _ in warning_examples(settings.WARNING_CORPUS)}
    known |= {text.lower() for text, _ in nlu_examples(settings.NLU_DATA)}
    assert not known & {text.lower() for text in WARNINGS + ORDINARY}


@pytest.mark.parametrize("text", WARNINGS)
def test_warning_signs_in_new_words_are_sure(model, text):
    assert model.probability(text) >= WARNING_SURE


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_questions_are_far_from_sure(model, text):
    assert model.probability(text) < 0.5


def test_an_empty_message_is_no_warning(model):
    assert model.probability("   ") == 0.0


def test_examples_of_one_kind_only_are_refused():
    with pytest.raises(ValueError, match="both"):
        WarningModel([("my legs are numb", True), ("my legs went numb", True)])


def test_nlu_examples_lose_their_entity_marks(tmp_path):
    path = tmp_path / "nlu.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: red_flag\n  examples: |\n'
        "    - numb [legs](area) after a fall\n- intent: greet\n  examples: |\n    - hi\n"
    )
    assert nlu_examples(path) == [("numb legs after a fall", True), ("hi", False)]


def test_the_models_opinion_travels_in_the_meaning():
    meaning = Meaning(Match("foam_rolling", 0.9, 0.4), None, (), 0.93)
    assert Meaning.from_dict(meaning.to_dict()) == meaning
    assert Meaning.from_dict({**meaning.to_dict(), "warning": "sure"}) is None


def test_a_sure_opinion_gets_the_cautious_reply_first(dialogue):
    text = "my back is a bit sore after gardening, what can i do"
    assert not dialogue.checker.check(text)
    reply = dialogue.respond(Turn(text, "recommend", 0.9, Meaning(warning=WARNING_SURE)))
    assert reply.red_flag
    assert reply.messages[0] == dialogue.catalogue.safety.caution
    assert not any("1. " in m for m in reply.messages)  # no steps


def test_an_unsure_opinion_leaves_the_question_answered(dialogue):
    text = "my back is a bit sore after gardening, what can i do"
    assert not dialogue.checker.hinted(text)
    reply = dialogue.respond(Turn(text, "recommend", 0.9, Meaning(warning=WARNING_SURE - 0.01)))
    assert not reply.red_flag
    assert reply.messages[0].startswith("For ")


def test_a_less_sure_opinion_needs_a_word_that_hints_at_a_sign(dialogue):
    # "unwell" hints at a fever (content/safety.yml cues); no pattern matches the message
    text = "i feel a bit unwell and my back is sore, what can i do"
    assert not dialogue.checker.check(text)
    assert [f.id for f in dialogue.checker.hinted(text)]
    reply = dialogue.respond(Turn(text, "recommend", 0.9, Meaning(warning=WARNING_HINTED)))
    assert reply.red_flag
    assert reply.messages[0] == dialogue.catalogue.safety.caution
    reply = dialogue.respond(Turn(text, "recommend", 0.9, Meaning(warning=WARNING_HINTED - 0.01)))
    assert not reply.red_flag


def test_a_sure_opinion_on_talk_about_something_else_is_no_warning(dialogue):
    # (heard in the room during a voice routine: the model learned from messages about backs)
    text = "the road has been full of holes since the winter, the buses have gone round for months"
    reply = dialogue.respond(Turn(text, "out_of_scope", 0.9, Meaning(warning=0.99)))
    assert not reply.red_flag


def test_a_part_of_a_checked_message_is_read_without_the_model():
    from bot.understanding import default_understanding

    understanding = default_understanding()
    assert understanding.interpret(WARNINGS[0]).warning >= WARNING_SURE
    assert understanding.interpret(WARNINGS[0], warning=False).warning is None


def test_the_writers_corpus_is_read_with_both_kinds():
    from bot import settings
    from bot.warnings import warning_examples

    corpus = warning_examples(settings.WARNING_CORPUS)
    assert sum(label for _, label in corpus) >= 400
    assert sum(not label for _, label in corpus) >= 400


# A pattern's sign said to have passed, denied or asked about in general (content/safety.yml
# `all_clear`), written for this test.
CLEARED = [
    "sat on my heels for ages at the kids' recital and my foot went numb, after a minute of walking "
    "it was fine again. good stretch for after?",
    "my fingers go tingly on the handlebars but I shake them out and it's fine. what's good for a "
    "stiff upper back?",
    "what counts as pain radiating down the leg? I don't have it, just want to know what to watch for",
]


@pytest.mark.parametrize("text", CLEARED)
def test_a_sign_said_to_be_over_gets_no_warning(dialogue, text):
    assert dialogue.checker.check(text) and dialogue.checker.all_clear(text)
    assert not dialogue.respond(Turn(text)).red_flag
    # ...only while the learned model doesn't read a warning sign in it either
    reply = dialogue.respond(Turn(text, "recommend", 0.9, Meaning(warning=ALL_CLEAR_BELOW)))
    assert reply.red_flag


@pytest.mark.parametrize(
    "text",
    [
        # an emergency sign, even said to be over
        "last week I lost control of my bladder once but it's fine now. which stretch for my low back?",
        # the sign stays
        "my left leg has been numb for three weeks and it never goes away, which stretch?",
        "my legs keep going weak and numb, it passes after a minute but it happens every day now",
        # another sign beside the one that passed
        "I fell down the stairs yesterday and my back is killing me, the tingling in my foot went away",
    ],
)
def test_a_warning_sign_beside_words_of_relief_still_gets_the_warning(dialogue, text):
    assert dialogue.respond(Turn(text)).red_flag


def test_the_routine_controller_clears_the_same_signs_when_it_has_the_models_opinion(dialogue):
    from bot.control import RoutineControl

    control = RoutineControl(dialogue.catalogue, dialogue.checker)
    text = CLEARED[0]
    assert control.must_stop(text)  # no opinion (the voice loop's own stop): the patterns decide
    assert not control.must_stop(text, warning=ALL_CLEAR_BELOW / 2)
    assert control.must_stop(text, warning=ALL_CLEAR_BELOW)
    emergency = "last week I lost control of my bladder once but it's fine now"
    assert control.must_stop(emergency, warning=0.0)


# An urgent sign's words in an ordinary message, with no all-clear phrase (written for this test).
READ_AS_ORDINARY = [
    "my nephew had a fever at the weekend so we stayed in and played board games. which stretch for "
    "a stiff upper back?",
    "had chills watching the final penalty, what a match. back stiff from the sofa, stretch?",
]


@pytest.mark.parametrize("text", READ_AS_ORDINARY)
def test_an_urgent_sign_the_model_gives_next_to_nothing_gets_no_warning(dialogue, text):
    checker = dialogue.checker
    hits = checker.check(text)
    assert hits and all(hit.flag.level == "urgent" for hit in hits)
    assert not checker.all_clear(text)
    assert checker.cleared(text, hits, LEARNED_CLEAR_BELOW / 2)
    assert not checker.cleared(text, hits, LEARNED_CLEAR_BELOW)
    assert not checker.cleared(text, hits, None)  # never without the model's opinion
    quiet = Meaning(warning=LEARNED_CLEAR_BELOW / 2)
    assert not dialogue.respond(Turn(text, "recommend", 0.9, quiet)).red_flag
    reply = dialogue.respond(Turn(text, "recommend", 0.9, Meaning(warning=LEARNED_CLEAR_BELOW)))
    assert reply.red_flag and reply.messages[0].startswith("Please stop stretching")
    # the real model reads them as ordinary too (they are not among its examples)
    assert default_warning_model().probability(text) < LEARNED_CLEAR_BELOW


@pytest.mark.parametrize(
    "text",
    [
        # an emergency sign
        "I can't feel when I need to pee since Monday and my back aches, which stretch?",
        # a sharp pain felt in a stretch: its stop-and-ease-off answer
        "sharp stabbing pain in my spine when I do cat cow, keep going?",
    ],
)
def test_the_model_never_clears_an_emergency_or_a_sharp_pain(dialogue, text):
    hits = dialogue.checker.check(text)
    assert hits and not dialogue.checker.cleared(text, hits, 0.0)
    assert dialogue.respond(Turn(text, "recommend", 0.9, Meaning(warning=0.0))).red_flag


def test_the_pipeline_leaves_a_cleared_sign_to_the_classifier():
    from rasa.shared.nlu.training_data.message import Message

    from components.red_flags import RedFlagDetector

    detector = RedFlagDetector()
    text = READ_AS_ORDINARY[0]
    guess = {"name": "recommend", "confidence": 0.8}
    for warning, expected in ((LEARNED_CLEAR_BELOW / 2, "recommend"), (0.5, "red_flag")):
        message = Message(data={"text": text, "intent": guess, "meaning": {"warning": warning}})
        detector.process([message])
        assert message.get("intent")["name"] == expected
        flags = [e for e in message.get("entities") if e["entity"] == "red_flag"]
        assert bool(flags) == (expected == "red_flag")


def test_a_hint_of_an_urgent_sign_backs_no_suspicion_the_model_reads_as_ordinary(dialogue):
    # a word that hints at an accident ("car"), no pattern, and the classifier suspecting a sign
    text = "my car is in the garage so I walk to work now, stretch for a stiff back?"
    assert not dialogue.checker.check(text) and dialogue.checker.hinted(text)
    quiet = Meaning(warning=LEARNED_CLEAR_BELOW / 2)
    assert not dialogue.respond(Turn(text, "red_flag", 0.6, quiet)).red_flag
    # (below SUSPICION_VETO_BELOW the model vetoes a suspicion backed by hints only)
    unsure = Meaning(warning=SUSPICION_VETO_BELOW)
    assert dialogue.respond(Turn(text, "red_flag", 0.6, unsure)).red_flag


def test_a_suspicion_backed_by_hints_only_is_vetoed_when_the_model_is_next_to_sure(dialogue):
    # a saddle-area word as a hint, no pattern: the classifier suspecting, the model not
    text = "Saddle sore from my first spin class lol, my butt hurts when I sit down. Any glute stretches?"
    assert not dialogue.checker.check(text) and dialogue.checker.hinted(text)
    vetoed = Meaning(warning=SUSPICION_VETO_BELOW / 2)
    assert not dialogue.respond(Turn(text, "red_flag", 0.8, vetoed)).red_flag
    assert dialogue.respond(Turn(text, "red_flag", 0.8, Meaning(warning=0.2))).red_flag


def test_a_sharp_pain_hint_is_never_vetoed(dialogue):
    text = "stabby pain in my back with the kneeling rotation. just a tight muscle or?"
    reply = dialogue.respond(Turn(text, "red_flag", 0.9, Meaning(warning=0.0)))
    assert reply.red_flag


def test_an_emergency_sign_asked_about_as_written_on_a_list_is_cleared_with_the_model(dialogue):
    checker = dialogue.checker
    text = "What does saddle numbness mean? I saw it on a list of warning signs, I'm fine"
    hits = checker.check(text)
    assert [h.flag.level for h in hits][:1] == ["emergency"]
    assert checker.cleared(text, hits, ALL_CLEAR_BELOW / 2)
    assert not checker.cleared(text, hits, ALL_CLEAR_BELOW)  # the model must agree
    assert not checker.cleared(text, hits, None)
    reply = dialogue.respond(Turn(text, "red_flag", 0.9, Meaning(warning=ALL_CLEAR_BELOW / 2)))
    assert not reply.red_flag
    # told as one's own, in the same words but with no list: an emergency, whatever the model says
    own = "what does it mean that I have saddle numbness since yesterday?"
    own_hits = checker.check(own)
    assert "emergency" in [h.flag.level for h in own_hits]
    assert not checker.cleared(own, own_hits, 0.0)


def test_a_sharp_pain_in_a_stretch_asked_about_with_a_list_is_never_cleared(dialogue):
    text = "the site says sharp pain means stop, I get a sharp stabbing pain in cat cow"
    hits = dialogue.checker.check(text)
    assert "stop" in [h.flag.level for h in hits]
    assert dialogue.checker.asked_about(text)
    assert not dialogue.checker.cleared(text, hits, 0.0)


def test_a_hint_of_a_sign_said_to_have_passed_backs_no_suspicion_the_model_reads_as_ordinary(
    dialogue,
):
    # (red-flag set 10's dev part, reworded): a leg gone dead from kneeling, shaken out at once
    text = "knelt on the tiles for an hour and my leg went dead, shook it out and it was fine, stretch?"
    checker = dialogue.checker
    assert checker.all_clear(text) and [f.level for f in checker.hinted(text)] == ["urgent"]
    hits = checker.check(text)
    assert hits and checker.cleared(text, hits, ALL_CLEAR_BELOW / 2)
    quiet = Meaning(warning=ALL_CLEAR_BELOW / 2)
    assert not dialogue.respond(Turn(text, "red_flag", 0.6, quiet)).red_flag
    unsure = Meaning(warning=ALL_CLEAR_BELOW)
    assert dialogue.respond(Turn(text, "red_flag", 0.6, unsure)).red_flag


@pytest.mark.parametrize(
    "text, all_clear",
    [
        (
            "the article says tingling in your legs is a sign. I've never had it, just checking",
            True,
        ),
        (
            "back in 2015 I had a bad back for a couple of months, it cleared up and never returned",
            True,
        ),
        # a fall or a knock with nothing hurt after (red-flag set 12)
        ("took a knock at five-a-side, on the deck for a second, nothing hurt after", True),
        ("got rear ended in the van, not a scratch on me, which stretches before shifts?", True),
        ("came off my horse in the sand but I'm totally fine, post-ride stretches?", True),
        ("a big tackle at rugby but walked away fine, a routine for the week?", True),
        # a sign said to have passed, or denied when asked about
        ("my bum went a bit numb on the stool, then I stand up and walk and it is ok", True),
        ("slept on a sofa bed and woke up with a crick, back in my own bed and it's gone", True),
        ("Severe pain? No, nothing like that, it's easing off every day", True),
        # (red-flag set 13)
        ("tripped over the dog's lead, landed on my bum, zero pain, just my pride hurt", True),
        ("hurt my back in a car crash in 2009, healed, pain-free for over a decade", True),
        ("a sharp pain after a 12 hour shift but a hot shower sorted it completely", True),
        ("is tingling in the legs a reason to stop? I've got no tingling, just asking", True),
        ("my aunt had pain shooting down her leg for weeks, I don't have anything like that", True),
        ("knee to chest helped loads, the ache is mostly gone, numb legs before though", True),
        ("I've got no tingling in my feet but my legs are numb since Monday", False),
        # ... not when the sign is only better at some times, or has got worse
        (
            "pins and needles down my leg into my foot since Tuesday, and it's gone a bit numb",
            False,
        ),
        ("the pain wakes me up at night, but it's fine in the daytime", False),
        ("my back gets way worse at night when i lie down, its fine-ish during the day", False),
        # a sign said to be new is no all-clear
        ("my legs went numb twice this week, I've never had that before", False),
        ("my leg has been tingling for weeks and I've never had it this bad", False),
    ],
)
def test_a_sign_never_had_or_cleared_up_reads_as_all_clear_but_a_new_one_does_not(
    dialogue, text, all_clear
):
    assert dialogue.checker.check(text)
    assert dialogue.checker.all_clear(text) is all_clear


@pytest.mark.parametrize(
    "text",
    [
        "Is unexplained weight loss a red flag with back pain? I saw it in an article",
        "what sort of night pain is supposed to be worrying with a bad back? my friend said so",
        "What does saddle numbness mean? just curious after reading about warning signs",
    ],
)
def test_a_sign_read_in_an_article_or_asked_which_kind_worries_is_asked_about(dialogue, text):
    checker = dialogue.checker
    assert checker.check(text) and checker.asked_about(text)


def test_a_sign_quoted_to_ask_what_it_covers_is_asked_about(dialogue):
    checker = dialogue.checker
    text = "Does 'unexplained weight loss' mean any weight loss? I've lost a few pounds walking"
    assert checker.check(text) and checker.asked_about(text)
    assert checker.cleared(text, checker.check(text), ALL_CLEAR_BELOW / 2)
    # the article's words said without asking what they mean
    own = "the article says bladder trouble is a warning and I have bladder trouble since Monday"
    assert checker.asked_about(own)
    assert not checker.cleared(own, checker.check(own), ALL_CLEAR_BELOW)  # the model must agree
