"""Stretch recognition as people really type: aliases, typos, no punctuation, descriptions."""

from __future__ import annotations

import pytest

from bot.matching import char_span, default_matcher


@pytest.fixture(scope="module")
def matcher():
    return default_matcher()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("how do I do thread the needle?", "thread_the_needle"),
        ("thred the neeedle", "thread_the_needle"),
        ("what muscles does cat-cow work", "cat_cow"),
        ("catcow", "cat_cow"),
        ("cat cow", "cat_cow"),
        ("childs pose", "childs_pose"),
        ("Child\u2019s Pose", "childs_pose"),
        ("chid pose", "childs_pose"),
        ("piriformus stretch", "piriformis_stretch"),
        ("figure four", "piriformis_stretch"),
        ("sphynx", "sphinx_pose"),
        ("kneel to chest", "knee_to_chest"),
        ("KNEE TO CHEST", "knee_to_chest"),
        ("trunk twist", "upper_back_trunk_rotation"),
        ("knee roll over", "lying_knee_roll_over"),
        ("chair twist", "seated_thoracic_twist"),
        ("seated twist", "seated_spinal_twist"),
        ("standing back extention", "standing_back_extension"),
        ("side strech", "side_stretch"),
        ("peliv tilts", "pelvic_tilts"),
        ("kneeling back rotaion", "kneeling_back_rotation"),
    ],
)
def test_names_aliases_and_typos(matcher, text, expected):
    assert matcher.stretches(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "my side hurts",
        "my child is sick",
        "how long should I hold a stretch",
        "what should I do for my lower back",
        "stretch for my chest",
    ],
)
def test_ordinary_words_are_not_stretch_names(matcher, text):
    assert matcher.stretches(text) == []


def test_a_name_near_in_spelling_is_not_read_across_a_comma(matcher):
    # "knee drop" (the lying knee roll-over) is one edit from "knee, drop": two clauses
    assert matcher.stretches("grab the outside of your knee, drop your elbow back") == []
    assert matcher.stretches("grab the outside of your knee drop your elbow back") == [
        "lying_knee_roll_over"
    ]
    # a name written exactly is still the stretch, comma or not
    assert matcher.stretches("cat, cow and then rest") == ["cat_cow"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the one where you lie on your belly propped on your elbows", "sphinx_pose"),
        ("the one where you lie face down on your forearms", "sphinx_pose"),
        ("on all fours arching my back like a cat", "cat_cow"),
        ("lying on my back dropping my knees side to side", "lying_knee_roll_over"),
        ("hugging one knee into my chest", "knee_to_chest"),
        ("sitting back on my heels with arms out front", "childs_pose"),
        ("reaching one arm overhead and leaning to the side", "side_stretch"),
        (
            "the kneeling one where you rotate with a hand behind your head",
            "kneeling_back_rotation",
        ),
        ("ankle over the opposite knee and pull the leg in", "piriformis_stretch"),
    ],
)
def test_descriptions(matcher, text, expected):
    found = matcher.describe(text)
    assert found is not None and found.value == expected


@pytest.mark.parametrize(
    "text", ["how long should I hold a stretch", "my back hurts when I sit", "hello"]
)
def test_vague_text_is_no_description(matcher, text):
    assert matcher.describe(text) is None


def test_bare_head_word_is_ambiguous(matcher):
    options = matcher.ambiguous("how do I do the twist")
    assert "seated_spinal_twist" in options and "seated_thoracic_twist" in options
    assert "cat_cow" not in options


def test_areas_and_situations(matcher):
    found = matcher.find("stiff upper back from sitting at my desk all day", ("area", "tag"))
    assert ("area", "upper_back") in {(f.kind, f.value) for f in found}
    assert ("tag", "desk") in {(f.kind, f.value) for f in found}


def test_stretch_name_beats_area_inside_it(matcher):
    found = matcher.find("is knee to chest good", ("stretch", "area"))
    assert [(f.kind, f.value) for f in found] == [("stretch", "knee_to_chest")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a description, then a question about it
        ("standing, one arm up over my head and leaning to the other side, how long should I hold",
         "side_stretch"),
        # "hands and knees" is said as "all fours" (content/vocabulary.yml same_words)
        ("on hands and knees sliding one arm under the other and resting my shoulder down - how "
         "long should I stay?", "thread_the_needle"),
        # close on single phrases, clearly ahead on all of the stretch's descriptions together
        ("the resting one where you kneel and fold forward with your forehead on the floor and "
         "arms stretched out in front - what does it actually stretch?", "childs_pose"),
        # a greeting first, then the description's own sentence and the question
        ("Salam alaikum. The stretch on hands and knees where you put one arm under the other arm "
         "and your shoulder goes down to the floor, what is the correct way to do it?",
         "thread_the_needle"),
    ],
)  # fmt: skip
def test_descriptions_with_a_question_or_other_words(matcher, text, expected):
    found = matcher.describe(text)
    assert found is not None and found.value == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("how do i get into the cat thing", ["cat_cow"]),
        ("the needle one, how long", ["thread_the_needle"]),
        ("my cat is sick", []),
        ("ankle stretch?", []),  # a body part the stretches aren't for, not the piriformis
    ],
)
def test_everyday_names_from_a_word_only_one_stretch_has(matcher, text, expected):
    assert matcher.stretches(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I need a stretch for my whole back",  # not "needle stretch" split in two
        "my knee hurts when I walk",  # a real word two edits from "knee hugs" is no typo
    ],
)
def test_ordinary_words_are_not_read_as_a_misspelt_stretch_name(matcher, text):
    assert matcher.find(text) == []


@pytest.mark.parametrize(
    "text, minutes",
    [
        ("give me 10 minutes for my lower back", "10"),
        ("a ten minute routine", "10"),
        ("I have half an hour", "30"),
        ("15min at my desk", "15"),
        ("I've got a couple of minutes", "2"),
        ("two hours a week", "120"),
    ],
)
def test_a_length_of_time_is_found_in_minutes(matcher, text, minutes):
    found = [f.value for f in matcher.find(text, ("duration",))]
    assert found == [minutes]


@pytest.mark.parametrize(
    "text, routine",
    [("start the daily routine", "basic_daily"), ("what's in the full one?", "comprehensive")],
)
def test_a_routine_is_found_by_its_names(matcher, text, routine):
    assert [f.value for f in matcher.find(text, ("routine",))] == [routine]


def test_a_description_spread_over_several_phrases_of_one_stretch_is_that_stretch(matcher):
    """One Sphinx phrase shares "floor" and "front"; everything said is Child's Pose's."""
    text = "kneeling, folding forward, arms out in front and forehead on the floor: what is it?"
    assert matcher.describe(text).value == "childs_pose"


def test_a_foam_roller_is_no_description_of_the_knee_roll_over(matcher):
    assert matcher.describe("what does foam rolling do for the back") is None


@pytest.mark.parametrize(
    "text, minutes",
    [
        ("I have ten minutes", ["10"]),
        ("give me a 15-minute routine", ["15"]),
        ("twelve hour shifts and my back hurts", []),
        ("after a 40 minute drive", []),
    ],
)
def test_a_length_of_time_is_a_session_length_only_when_it_can_be_one(text, minutes):
    assert [f.value for f in default_matcher().find(text, ("duration",))] == minutes


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the standing leaning back one hurts", "standing_back_extension"),
        (
            "is there a floor version of that twist where u sit cross legged w/ one hand behind ur "
            "head and rotate? want something harder",
            "upper_back_trunk_rotation",
        ),
        # words in the order of one of its descriptions: "hand behind my head", said sitting
        (
            "when i do the twist sitting with my hand behind my head my neck feels strained what "
            "am i doing wrong",
            "upper_back_trunk_rotation",
        ),
        (
            "sitting cross-legged with one hand behind my head, elbow out wide, twisting toward "
            "that side with my other hand on my knee - how long per side?",
            "upper_back_trunk_rotation",
        ),
        # the same hand behind the head, on hands and knees: not the seated one
        ("the hands-and-knees twist with a hand behind your head", "kneeling_back_rotation"),
        # a number 4 made with the legs is the figure four
        (
            "the stretch where you lie and put one foot on the other knee like a number 4 and pull "
            "the leg",
            "piriformis_stretch",
        ),
    ],
)
def test_a_description_inside_the_one_or_a_where_clause_or_in_order_is_found(
    matcher, text, expected
):
    found = matcher.describe(text)
    assert found is not None and found.value == expected, found


def test_the_words_around_the_one_are_no_description_by_themselves(matcher):
    assert matcher.describe("the first one hurts") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("how do you do the pear a form is stretch", "piriformis_stretch"),
        ("what does the peri for miss stretch work", "piriformis_stretch"),
        ("is the spinks pose ok for me", "sphinx_pose"),
        ("need to chest stretch how do i do it", "knee_to_chest"),
        ("whats the standing back extinction good for", "standing_back_extension"),
        ("my physio said to do the cat cal stretch", "cat_cow"),
    ],
)
def test_a_name_written_as_it_sounds_is_that_stretch(matcher, text, expected):
    assert matcher.stretches(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "does being overweight make back pain worse",  # not "overhead" (side stretch)
        "my back went last week and it still hurts",  # not "backward"
        "can you recommend a good film",  # not "reclined"
        "how can I improve my posture in general",  # not "posterior"
        "I need to stretch my chest",
        "walk me through doing it slowly",  # not "thread"
    ],
)
def test_ordinary_words_do_not_sound_like_a_stretch_name(matcher, text):
    assert matcher.stretches(text) == []


def test_the_first_clause_of_a_long_message_is_matched_as_a_description(matcher):
    text = (
        "The one lying on your back with your arms out in a T where you drop both knees from side "
        "to side - my knees end up miles from the floor and it feels strainy. Is there an easier "
        "version?"
    )
    assert matcher.describe(text).value == "lying_knee_roll_over"


def test_misspelt_words_of_the_content_are_read_as_those_words():
    from bot.lexicon import default_speller

    speller = default_speller()
    assert speller.fix("shud i hold my breth when im streching") == (
        "shud i hold my breath when im stretching"
    )
    assert speller.fix("pirifomis stretch after runing") == "piriformis stretch after running"
    # ordinary English, short words and slips as near to two words are left as they are
    assert speller.fix("my hips feel tight") == "my hips feel tight"
    assert speller.fix("hiks") == "hiks"  # "hips" or "hike"
    # of two words as near, the one with a letter left out is the likelier slip ("chin" is not)
    assert speller.fix("chid pose") == "child pose"
    assert speller.fix("how ofen") == "how often"  # not "open"
    # short forms typed without the apostrophe are meant as themselves
    assert (
        speller.fix("i dont think so, it wont and doesnt") == "i dont think so, it wont and doesnt"
    )


def test_a_situation_typed_with_a_slip_is_found(matcher):
    found = matcher.find("good back streches after runing?", ("tag",))
    assert [f.value for f in found] == ["cool_down"]


def test_a_length_of_time_is_read_as_written_before_spelling_fixes(matcher):
    # ("wala" spelt right would be "walk", and "a 10 minute walk" is no session length)
    found = matcher.find("chalo 10 minute wala routine shuru karte hai", ("duration",))
    assert [(f.kind, f.value) for f in found] == [("duration", "10")]
    assert matcher.find("after a 10 minute walk", ("duration",)) == []


def test_accents_are_folded_and_spans_stay_on_the_words(matcher):
    text = "rotación del tronco? the cat-cow, por favor"
    found = matcher.find(text, ("stretch",))
    assert [f.value for f in found] == ["cat_cow"]
    start, end = char_span(text, found[0])
    assert text[start:end] == "cat-cow"


def test_the_seat_sat_in_all_day_is_no_seat_to_stretch_in(matcher):
    after = matcher.find("tight after sitting in the ute all day", ("tag",))
    assert [f.value for f in after] == ["after_sitting"]
    in_it = matcher.find("a stretch I can do in the ute on my break", ("tag",))
    assert "chair" in [f.value for f in in_it]


def test_how_long_one_holds_is_no_routine_named(matcher):
    said = "my brother holds the thoracic twist 5 seconds. how long one must hold it each side?"
    assert not matcher.find(said, ("routine",))
    assert [f.value for f in matcher.find("the long one please", ("routine",))] == ["comprehensive"]
