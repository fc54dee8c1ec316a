"""A message written as a letter or an email: its greeting line and its sign-off (with the name and
job title under it) say nothing about what is asked, and a long friendly frame reads to the intent
classifier like a story about symptoms. `body` keeps what lies between them, on one line; a
message of one line, or one that is not framed so, is returned as it is. A "P.S." after the
sign-off is kept: only name lines in title case (a name, a team) go with it. When leaving the frame
out would lose a warning sign the whole message tells (even one split over two lines), the message
is returned as it is.
"""

from __future__ import annotations

import re
from typing import Callable, Collection

# A greeting, its addressee (three words at most) and a remark in brackets: "Hello wellbeing team,",
# "Hello again (it's me, the one who asked about standing desks!),"
GREETING = re.compile(
    r"^(hi|hello|hey|hiya|dear|good (morning|afternoon|evening|day)|greetings|to whom it may concern|"
    r"assalam\w*|salam\w*)(,?\s+[\w/'.-]+){0,3}(\s*\([^)]*\))?\s*[,!.:]*$",
    re.IGNORECASE,
)
SIGN_OFF = re.compile(
    r"^(thanks?|thank you|thx|ta|many thanks|cheers|regards|kind regards|best|best wishes|"
    r"warm regards|warmest|sincerely|yours|all the best|take care|much appreciated|"
    r"thanks in advance|with thanks|respectfully|god bless)\b[^?]{0,60}$",
    re.IGNORECASE,
)
# A name or a team under a sign-off, in title case: "Nathan C", "Gary, Car Park Attendant"
NAME_LINE = re.compile(
    r"^[-\u2013\u2014~]*\s*([A-Z][\w'.-]*|of|and|&|the|for|at|in)([ ,]+([A-Z][\w'.-]*|of|and|&|the|for|at|in)){0,4}$"
)


def body(text: str, signs: Callable[[str], Collection[str]] = lambda text: ()) -> str:
    """What `text` asks, without a letter's greeting, sign-off and name lines; `text` itself when
    the body tells fewer of the warning signs `signs` finds than the whole message does."""
    lines = [line.strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < 2:
        return text
    start, end = 0, len(lines)
    if GREETING.match(lines[0]):
        start = 1
    # the sign-off: among the last lines, followed only by name lines
    for i in range(end - 1, max(start, end - 5) - 1, -1):
        if SIGN_OFF.match(lines[i]) and all(_name_line(x) for x in lines[i + 1 : end]):
            end = i
            break
    else:
        last = lines[end - 1]
        if end - 1 > start and last[:1] in "-\u2013\u2014~" and _name_line(last):
            end -= 1  # "- Alan, Estates"
    kept = " ".join(lines[start:end])
    if not kept or (start == 0 and end == len(lines)):
        return text
    if set(signs(text)) - set(signs(kept)):
        return text  # the frame (or the line break) was part of a warning sign
    return kept


def _name_line(line: str) -> bool:
    return bool(NAME_LINE.match(line)) and not re.match(r"(?i)p\.?s\b", line.lstrip("-~ "))
