"""`terminal_safe` escapes exactly the control characters, whatever else the text holds."""

from __future__ import annotations

import random
import unicodedata

from scanner.output.common import terminal_safe


def reference(text: str) -> str:
    """The definition, one character at a time: every category C character but newline."""
    return "".join(
        char
        if char == "\n" or not unicodedata.category(char).startswith("C")
        else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def test_matches_the_per_character_definition() -> None:
    rng = random.Random(14)
    # C0 and C1 controls, DEL, bidi overrides, a lone surrogate, tags, private use,
    # unassigned code points, and ordinary letters and emoji in between.
    pool = [chr(i) for i in range(0x250)] + [
        "\u200e",
        "\u202e",
        "\u2028",
        "\ud800",
        "\ue000",
        "\U000e0001",
        "\U0001f600",
        "\u0378",
        "中",
    ]
    for _ in range(500):
        text = "".join(rng.choice(pool) for _ in range(40))
        assert terminal_safe(text) == reference(text), repr(text)


def test_escapes_what_drives_a_terminal_and_keeps_layout() -> None:
    assert terminal_safe("a\x1b[31mb\tc\nd\u202ee\x9bf") == "a\\x1b[31mb\\tc\nd\\u202ee\\x9bf"
