"""People's names placed at the end of a sentence.

Names are often abbreviated ("Marc L.", the demo's and many shoppers' public names): a
sentence that ends with such a name would end with two full stops ("Notice assigned to
Marc L.."). ``name_ending_sentence`` gives the name without its own final full stop, for
messages whose text puts the full stop right after the name; the sentence's full stop then
ends the abbreviation too, as typography wants."""

from __future__ import annotations

from typing import Any

__all__ = ["name_ending_sentence"]


def name_ending_sentence(name: Any) -> str:
    """``name`` as text, without one final full stop: "Marc L." -> "Marc L", "Alex" -> "Alex".
    Only for a name a message follows with its own full stop ("… to %(name)s.")."""
    text = str(name)
    return text[:-1] if text.endswith(".") else text
