"""A message written as a letter is read without its greeting and sign-off (bot/letters.py)."""

from __future__ import annotations

from bot.letters import body
from bot.safety import default_checker


def warns(text: str) -> set:
    return default_checker().signs(text)


def test_the_greeting_sign_off_and_name_lines_go():
    letter = (
        "Hello wellbeing team,\n\nMy team does Thread the Needle at 3pm. What does it stretch?\n\n"
        "Many thanks,\nJonathan Reeves\nTeam Manager"
    )
    assert body(letter, warns) == "My team does Thread the Needle at 3pm. What does it stretch?"
    assert body("Is sphinx ok for me?\n- Alan, Estates", warns) == "Is sphinx ok for me?"
    assert body("Best posture at the till?\nRegards, Leticia, Cashier", warns) == (
        "Best posture at the till?"
    )


def test_a_warning_sign_after_the_sign_off_or_in_the_greeting_stays():
    assert "tingles" in body("Hi,\nmy back aches\nThanks\nBob\nPS my foot tingles too", warns)
    assert "numb" in body("Hi, leg numb,\nwhat stretch?\nThanks,\nBob", warns)
    # a warning sign split over the greeting line and the next one: the message stays whole
    split = "Hi, I can't control\nmy bladder since yesterday, which stretch?"
    assert body(split, warns) == split
    assert ("told", "bladder_bowel") in warns(body(split, warns))


def test_a_message_that_is_no_letter_is_unchanged():
    for text in ("how do I do cat cow", "whats up\nKamil", "Hi, my leg is numb,\nwhat now?"):
        assert body(text, warns) == text
