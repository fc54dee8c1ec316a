"""The routine engine on a fake clock: times are plain numbers handed to each call."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.catalogue import default_catalogue
from bot.routine import (
    FINISHED,
    PAUSED,
    READY,
    RUNNING,
    STOPPED,
    RoutineEngine,
    build_phases,
)


@pytest.fixture(scope="module")
def daily(catalogue):
    return build_phases(catalogue.routines["basic_daily"], catalogue)


def run_until(engine, until, now=0.0):
    """Drive the engine like a driver would: call tick at each deadline it asks for."""
    said = []
    out = engine.tick(now)
    said += out.messages
    while out.next_deadline is not None and out.next_deadline <= until:
        now = out.next_deadline
        out = engine.tick(now)
        said += out.messages
    return said, now


def test_start_announces_the_first_stretch_and_asks_to_be_called_back(daily):
    engine = RoutineEngine(daily)
    out = engine.start(100.0)
    assert out.messages[0].startswith("Stretch 1 of 5: Child's Pose.")
    assert out.next_deadline == pytest.approx(108.0)
    assert engine.status == RUNNING


def test_it_advances_by_itself_with_hold_cues_in_order(daily):
    engine = RoutineEngine(daily)
    engine.start(0.0)
    said, _ = run_until(engine, 70.0)
    assert said == [
        "Hold for 60 seconds.",
        "Halfway.",
        "10 seconds left.",
        "And release.",
        "Rest. Next up: Cat-Cow.",
    ]


def test_dynamic_moves_count_reps(daily):
    engine = RoutineEngine(daily)
    engine.start(0.0)
    said, _ = run_until(engine, 250.0)
    start = said.index("Now 15 slow reps, moving with your breath.")
    assert said[start + 1 : start + 15] == [f"{n}." for n in range(1, 15)]
    assert said[start + 15] == "That's all the reps."


def test_per_side_holds_get_full_time_on_each_side(catalogue):
    routine = catalogue.routines["comprehensive"]
    phases = build_phases(routine, catalogue)
    engine = RoutineEngine(phases)
    knee = [p for p in phases if p.stretch == "knee_to_chest"]
    holds = [p for p in knee if p.kind == "hold"]
    switches = [p for p in knee if p.kind == "switch"]
    assert holds and all(p.seconds == 30 for p in holds)  # the routine's 30-60 s, lower end
    assert len(switches) == 2  # two sets, one switch each
    engine.start(0.0)
    said, _ = run_until(engine, sum(p.seconds for p in phases) + 1)
    assert said.count("Switch sides.") == sum(1 for p in phases if p.kind == "switch")
    assert said[-1] == "That's the whole routine. Well done!"
    assert engine.status == FINISHED


def test_pause_mid_hold_keeps_the_remaining_time_and_never_advances(daily):
    engine = RoutineEngine(daily)
    engine.start(0.0)
    run_until(engine, 20.0)  # 12 s into the 60 s hold
    assert engine.time_left(20.0)[0] == pytest.approx(48.0)
    assert engine.pause(20.0).messages == ["Paused. Say resume when you're ready."]
    before = engine.to_dict()
    assert engine.tick(5000.0).messages == []
    assert engine.to_dict() == before
    assert engine.time_left(5000.0)[0] == pytest.approx(48.0)
    out = engine.resume(5000.0)
    assert out.messages == ["Resuming: 48 seconds to go in this step."]
    said, _ = run_until(engine, 5048.0, 5000.0)
    assert "And release." in said


def test_time_left_text_covers_this_hold_and_the_routine(daily):
    engine = RoutineEngine(daily)
    engine.start(0.0)
    run_until(engine, 38.0)
    text = engine.time_left_text(38.0)
    assert text.startswith("30 seconds left in this hold")
    assert "in the whole routine" in text


def test_next_moves_one_step_skip_moves_one_stretch(daily):
    engine = RoutineEngine(daily)
    engine.start(0.0)
    assert engine.next(1.0).messages == ["Hold for 60 seconds."]
    out = engine.skip(2.0)
    assert out.messages[0].startswith("Stretch 2 of 5: Cat-Cow.")


def test_previous_restarts_this_stretch_then_goes_back_one(daily):
    engine = RoutineEngine(daily)
    engine.start(0.0)
    engine.skip(1.0)
    engine.next(2.0)  # into cat-cow's reps
    assert engine.previous(3.0).messages[0].startswith("Stretch 2 of 5: Cat-Cow.")
    assert engine.previous(4.0).messages[0].startswith("Stretch 1 of 5: Child's Pose.")


def test_previous_at_the_very_start_restarts_it(daily):
    engine = RoutineEngine(daily)
    engine.start(0.0)
    assert engine.previous(1.0).messages[0].startswith("Stretch 1 of 5")
    assert engine.state.phase == 0


def test_skip_on_the_last_stretch_finishes(daily):
    engine = RoutineEngine(daily)
    engine.start(0.0)
    for t in range(1, 5):
        engine.skip(float(t))
    assert engine.current_stretch == "pelvic_tilts"
    assert "whole routine" in engine.skip(10.0).messages[0]
    assert engine.status == FINISHED


def test_repeat_says_the_instruction_again_without_touching_the_timer(daily):
    engine = RoutineEngine(daily)
    engine.start(0.0)
    run_until(engine, 20.0)
    left = engine.time_left(20.0)
    out = engine.repeat(20.0)
    assert out.messages[0].startswith("Stretch 1 of 5: Child's Pose.")
    assert out.messages[1] == "Hold for 60 seconds."
    assert engine.time_left(20.0) == left


def test_moving_while_paused_stays_paused(daily):
    engine = RoutineEngine(daily)
    engine.start(0.0)
    engine.pause(1.0)
    out = engine.skip(2.0)
    assert engine.status == PAUSED
    assert out.messages[-1] == "Still paused: say resume to go on."
    assert engine.tick(100.0).messages == []


@pytest.mark.parametrize("setup", ["ready", "running", "paused", "finished", "stopped"])
def test_stop_from_every_state(daily, setup):
    engine = RoutineEngine(daily)
    if setup != "ready":
        engine.start(0.0)
    if setup == "paused":
        engine.pause(1.0)
    if setup == "finished":
        run_until(engine, 10_000.0)
    if setup == "stopped":
        engine.stop(1.0)
    out = engine.stop(2.0)
    if setup in ("running", "paused"):
        assert out.messages == ["Routine stopped. Nice work today."]
        assert engine.status == STOPPED
    else:
        assert "no routine running" in out.messages[0]
        assert engine.status in (READY, FINISHED, STOPPED)
    assert engine.tick(50_000.0).messages == []


def test_state_round_trips_mid_hold(daily):
    engine = RoutineEngine(daily)
    engine.start(0.0)
    run_until(engine, 30.0)
    engine.pause(30.0)
    restored = RoutineEngine.from_dict(daily, engine.to_dict())
    assert restored.time_left(999.0) == engine.time_left(999.0)
    restored.resume(1000.0)
    said, _ = run_until(restored, 1100.0, 1000.0)
    assert "And release." in said


def test_stored_state_from_another_routine_is_refused(daily):
    with pytest.raises(ValueError, match="outside"):
        RoutineEngine.from_dict(
            daily, {"status": RUNNING, "phase": 999, "elapsed": 0, "since": 0, "cues_done": 0}
        )


def test_time_scale_multiplies_every_duration(catalogue):
    routine = catalogue.routines["basic_daily"]
    normal = build_phases(routine, catalogue)
    fast = build_phases(routine, catalogue, scale=0.01)
    assert [p.kind for p in fast] == [p.kind for p in normal]
    for slow, quick in zip(normal, fast, strict=True):
        assert quick.seconds == pytest.approx(slow.seconds * 0.01)
        assert [t for _, t in quick.cues] == [t for _, t in slow.cues]


COMMANDS = ["tick", "pause", "resume", "next", "previous", "skip", "repeat", "stop", "time_left"]
META = ("Paused", "Resuming", "Already paused", "We're already", "There's no routine")


def phases_of(name, scale=1.0):
    catalogue = default_catalogue()
    return build_phases(catalogue.routines[name], catalogue, scale=scale)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(COMMANDS), st.floats(0, 120)), max_size=40))
def test_any_command_sequence_leaves_a_valid_state(steps):
    phases = phases_of("basic_daily", scale=0.2)
    engine = RoutineEngine(phases)
    now = 0.0
    engine.start(now)
    for command, gap in steps:
        now += gap
        before = engine.to_dict()
        was_paused = engine.status == PAUSED
        if command == "time_left":
            engine.time_left_text(now)
        else:
            getattr(engine, command)(now)
        assert engine.status in (RUNNING, PAUSED, FINISHED, STOPPED)
        assert 0 <= engine.state.phase < len(phases)
        assert 0 <= engine.state.cues_done <= len(engine.phase.cues)
        here, total = engine.time_left(now)
        assert 0 <= here <= engine.phase.seconds + 1e-9 and here <= total + 1e-9
        if was_paused and command in ("tick", "pause", "repeat", "time_left"):
            assert engine.to_dict() == before  # a paused engine never advances


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["tick", "pause", "resume"]), st.floats(0, 30)), max_size=60)
)
def test_pausing_never_loses_or_repeats_a_cue(steps):
    phases = phases_of("basic_daily")
    schedule = [text for p in phases for _, text in p.cues] + [
        "That's the whole routine. Well done!"
    ]
    engine = RoutineEngine(phases)
    now = 0.0
    said = engine.start(now).messages
    for command, gap in steps:
        now += gap
        said += [m for m in getattr(engine, command)(now).messages if not m.startswith(META)]
    if engine.status == PAUSED:
        engine.resume(now)
    said += run_until(engine, 10**7, now)[0]
    assert said == schedule


@pytest.mark.parametrize(
    "text, name, must_include",
    [
        ("start the daily routine", "Basic daily routine", ["childs_pose", "pelvic_tilts"]),
        (
            "let's do the full routine",
            "Comprehensive routine",
            ["thread_the_needle", "side_stretch"],
        ),
        ("give me 10 minutes for my lower back", "Routine for lower back", ["knee_to_chest"]),
        ("a quick desk routine", "Routine for desk breaks", ["seated_thoracic_twist"]),
    ],
)
def test_choosing_a_routine(catalogue, text, name, must_include):
    from bot.matching import default_matcher
    from bot.routine import choose_routine

    routine = choose_routine(text, catalogue, default_matcher())
    assert routine.name == name
    ids = [item.stretch for item in routine.items]
    assert set(must_include) <= set(ids)


def test_composed_routines_fit_the_time_and_desk_ones_need_no_floor(catalogue):
    from bot.routine import compose_routine, duration

    lower = compose_routine(catalogue, ["lower_back"], [], minutes=10)
    assert duration(lower, catalogue) <= 10 * 60
    assert all("lower_back" in catalogue.stretch(i.stretch).areas for i in lower.items[:3])
    desk = compose_routine(catalogue, [], ["desk"], minutes=10)
    assert desk.items and all(not catalogue.stretch(i.stretch).uses_floor for i in desk.items)


def test_a_routine_asked_for_standing_only_has_only_standing_stretches(catalogue):
    from bot.matching import default_matcher
    from bot.routine import choose_routine

    routine = choose_routine(
        "standing-only stretches, no floor, 2 min break", catalogue, default_matcher()
    )
    assert routine.items and "standing up" in routine.name
    assert all(catalogue.stretch(i.stretch).position == "standing" for i in routine.items)


def test_a_time_with_the_floor_ruled_out_is_filled_with_what_can_be_done(catalogue):
    """A length of time alone picks the articles' routine that lasts it; with the floor ruled out
    that routine (Child's Pose first) doesn't fit, so one is put together from what does."""
    from bot.matching import default_matcher
    from bot.routine import choose_routine

    said = "I have a pause of 10 minutes, only standing, no floor. Which back stretches?"
    routine = choose_routine(said, catalogue, default_matcher())
    ids = {item.stretch for item in routine.items}
    assert ids == {"standing_back_extension", "side_stretch"}
    plain = choose_routine("I have 10 minutes. Which back stretches?", catalogue, default_matcher())
    assert plain.id == "basic_daily"


def test_content_routines_last_as_long_as_the_articles_say(catalogue):
    from bot.routine import duration

    assert 20 * 60 <= duration(catalogue.routines["comprehensive"], catalogue) <= 30 * 60
    assert 9 * 60 <= duration(catalogue.routines["basic_daily"], catalogue) <= 15 * 60


def test_a_vague_request_picks_nothing(catalogue):
    from bot.matching import default_matcher
    from bot.routine import choose_routine

    assert choose_routine("start a routine", catalogue, default_matcher()) is None


@pytest.mark.parametrize(
    "answer, routine_id",
    [
        ("the first one", "basic_daily"),
        ("1", "basic_daily"),
        ("2nd", "comprehensive"),
        ("the daily one", "basic_daily"),
        ("comprehensive please", "comprehensive"),
        ("the long one", "comprehensive"),
        ("a quick desk routine", "composed"),
        ("5 minutes for my neck", "composed"),
        ("no idea", None),
    ],
)
def test_picking_from_the_offered_routines(catalogue, answer, routine_id):
    from bot.matching import default_matcher
    from bot.routine import pick_routine

    routine = pick_routine(answer, catalogue, default_matcher())
    assert (routine.id if routine else None) == routine_id


def test_redo_restarts_this_stretch_and_progress_counts_from_one(daily):
    engine = RoutineEngine(daily)
    engine.start(0.0)
    engine.skip(1.0)
    engine.next(2.0)
    assert engine.progress() == (2, 5) and engine.phase.kind == "reps"
    assert engine.upcoming_stretch() == "knee_to_chest"
    out = engine.redo(3.0)
    assert out.messages[0].startswith("Stretch 2 of 5: Cat-Cow.") and engine.phase.kind == "intro"


@pytest.mark.parametrize("minutes", [5, 10, 15, 20, 30])
def test_composed_routines_come_close_to_the_time_asked_for(catalogue, minutes):
    from bot.routine import compose_routine, duration

    for areas, tags in (([], []), (["neck"], []), ([], ["morning"]), ([], ["desk"])):
        routine = compose_routine(catalogue, areas, tags, minutes)
        seconds = duration(routine, catalogue)
        assert 0.6 * minutes * 60 <= seconds <= 1.1 * minutes * 60, (areas, tags, seconds)
