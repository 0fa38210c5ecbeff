"""Display names must be seen (issue 18, item 9): blank "letters" (Hangul fillers, the blank
Braille pattern) and stacked combining marks ("Zalgo") are refused; emoji sequences joined by
U+200D, with variation selectors or skin tones, are visible and accepted. The rule is
core.text_safety.validate_display_name, which the account forms, the admin (the model's
validator), the API and reviews' author names all call."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.text_safety import validate_display_name, validate_display_text

ZALGO = "Z\u0351\u0302\u036ba\u0358\u034al\u0310\u0350g\u0357o"  # 3+ diacritics on a letter

REFUSED = [
    ("\u3164", "blank_character"),  # HANGUL FILLER alone
    ("\u3164\u3164\u3164", "blank_character"),
    ("\u2800", "blank_character"),  # BRAILLE PATTERN BLANK
    ("\u2800 \u2800", "blank_character"),
    ("\u115f", "blank_character"),  # HANGUL CHOSEONG FILLER
    ("\u1160\u1160", "blank_character"),  # HANGUL JUNGSEONG FILLER
    ("\uffa0", "blank_character"),  # HALFWIDTH HANGUL FILLER
    ("\U0001d159", "blank_character"),  # MUSICAL SYMBOL NULL NOTEHEAD
    ("Alex\u3164", "blank_character"),  # padding that poses as "Alex"
    ("\u2800Alex P.", "blank_character"),
    ("\u0301\u0301", "blank_character"),  # marks on nothing
    (ZALGO, "stacked_marks"),
    ("e\u0301\u0302\u0303", "stacked_marks"),  # three diacritics on one letter
    ("a" + "\u0334" * 12, "stacked_marks"),
    ("\u0928" + "\u0941" * 5, "stacked_marks"),  # five marks of any kind
    ("Sam\u200dB.", "zero_width_character"),  # a joiner between letters stays invisible
    ("\u200d\U0001f466", "zero_width_character"),  # a joiner with no emoji before it
    ("\U0001f468\u200d", "zero_width_character"),  # ... or after it
    ("\U000e0041dmin", "control_character"),  # tags outside a flag
    # A black flag hides any tags after it; only the drawn subdivision flags may have them:
    ("\U0001f3f4\U000e0061\U000e0064\U000e006d\U000e0069\U000e006e\U000e007f Al", "control_character"),
    ("\U0001f3f4\U000e0075\U000e0073\U000e0063\U000e0061\U000e007f Al", "control_character"),
    ("\U0001f3f4\U000e007f Al", "control_character"),
    # Selectors and joiners that select or join nothing pad a name (found by review):
    ("Alex\ufe0f", "blank_character"),
    ("Alex\ufe00\ufe00\ufe00", "blank_character"),
    ("Alex\U000e0100", "blank_character"),
    ("\u2764\ufe0f\ufe0f\ufe0f", "blank_character"),  # one selector selects; the rest pad
    ("Alex\u034f\u034f", "blank_character"),  # grapheme joiners at the end
    ("Alex\u180b", "blank_character"),  # a Mongolian selector after a Latin letter
]

ACCEPTED = [
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",  # family: man, woman, girl, boy
    "Ana \U0001f469\u200d\U0001f692",  # woman firefighter
    "\U0001f469\U0001f3fd\u200d\U0001f692",  # with a skin tone
    "\U0001f44d\U0001f3ff",  # thumbs up, dark skin tone
    "\u2764\ufe0f",  # red heart with its emoji selector
    "\u2764\ufe0f\u200d\U0001f525",  # heart on fire
    "\U0001f3f3\ufe0f\u200d\U0001f308 Lou",  # rainbow flag
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Iain",  # Scotland
    "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f Dai",  # Wales
    "\U0001f3f4 Jo",  # the black flag alone
    "1\ufe0f\u20e3 fan",  # keycap
    "Nguyễn Thị Ệ",  # Vietnamese: two marks on one letter
    "Nguye\u0323\u0302n",  # the same, decomposed
    "\u05e9\u05bc\u05c1\u05b8\u05dc\u05d5\u05b9\u05dd",  # pointed Hebrew: three marks on shin
    "\u1100\u1161 \u115f\u1161",  # conjoining jamo, the choseong filler inside a syllable
    "Zoë",
    "Élodie D.",
    "李雷",
    "\u182a\u180b\u1820",  # Mongolian with its free variation selector
]


@pytest.mark.parametrize(("name", "code"), REFUSED)
def test_blank_stacked_and_stray_invisible_names_are_refused(name: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_display_name(name)
    assert refused.value.error_list[0].code == code


@pytest.mark.parametrize("name", ACCEPTED)
def test_emoji_sequences_and_real_writing_are_accepted(name: str) -> None:
    validate_display_name(name)


def test_a_title_keeps_an_emoji_family_too() -> None:
    validate_display_text("Parfait pour \U0001f468\u200d\U0001f469\u200d\U0001f467")


@pytest.mark.parametrize(
    ("name", "french"),
    [
        ("\u3164", "Un nom est un texte visible"),
        (ZALGO, "Un nom est un texte lisible"),
    ],
)
def test_the_reasons_read_in_french(name: str, french: str) -> None:
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        validate_display_name(name)
    with translation.override("fr"):
        assert str(refused.value.messages[0]).startswith(french)
