"""Labels: whatever a name contains, the Mermaid text stays well-formed and shows it literally."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mermaid_text import decode

from hamilton.plugins.viz_mermaid import escape

# Characters that would end the label, be HTML, start a code or a directive, or confuse a pre-pass.
UNSAFE = '"<>&%:`'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain_name", "plain_name"),
        ('say "hi"', "say #quot;hi#quot;"),
        ("<b>x</b>", "#lt;b#gt;x#lt;/b#gt;"),
        ("a & b", "a #amp; b"),
        ("#35;", "#35;35;"),
        ("%%{init: {}}%%", "#37;#37;{init#58; {}}#37;#37;"),
        ("`md`", "#96;md#96;"),
        ("two\nlines", "two<br/>lines"),
        ("tab\there", "tab#9;here"),
        ("ünï ✓ 漢字 🚀", "ünï ✓ 漢字 🚀"),
        ("[x] (y) {z} | ;", "[x] (y) {z} | ;"),
    ],
)
def test_codes(text: str, expected: str) -> None:
    assert escape(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$$x$$", "#36;<wbr>#36;x#36;<wbr>#36;"),
        ("$$$$", "#36;<wbr>#36;<wbr>#36;<wbr>#36;"),
        ("fa:fa-car", "fa#58;<wbr>fa-car"),
        ("C:\\new", "C#58;\\<wbr>new"),
    ],
)
def test_patterns_mermaid_acts_on_after_decoding_are_split(text: str, expected: str) -> None:
    """KaTeX (``$$``), icons (``fa:fa-``) and ``\\n`` line breaks are applied after the codes
    are decoded; an empty ``<wbr>`` splits them without changing the text."""
    assert escape(text) == expected
    assert decode(escape(text)) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bell\x07", "bell\u2407"),  # a control character shows as its picture: ␇
        ("cr\r\n", "cr\u240d<br/>"),
        ("del\x7f", "del\u2421"),
        ("c1\x85", "c1#65533;"),  # HTML would read &#133; as "…" (Windows-1252)
        ("lone \ud800", "lone #65533;"),
        ("nonchar \uffff", "nonchar #65533;"),
        ("sep\u2028par\u2029", "sep#8232;par#8233;"),
    ],
)
def test_what_is_not_text_is_made_visible(text: str, expected: str) -> None:
    assert escape(text) == expected
    escape(text).encode("utf-8")  # a rendering can always be saved


@settings(deadline=None)
@given(st.text())
def test_any_text_stays_inside_its_label(text: str) -> None:
    escaped = escape(text)
    assert len(escaped.splitlines()) <= 1
    assert not set(escaped.replace("<br/>", "").replace("<wbr>", "")) & set(UNSAFE)
    escaped.encode("utf-8")


@settings(deadline=None)
@given(st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff")))
def test_text_round_trips(text: str) -> None:
    assert decode(escape(text)) == text
