"""Sentence fragments the demo composes reviews from, in English and French.

A review is built from a usage context (per category), one or two details (per kind of
product and rating band), sometimes a remark on delivery or value, and a closing line;
the poor products have their own complaints. Placeholders such as {this}, {weeks} or {km}
are filled per review (see `devtools.demo.composing.compose_review`). French fragments avoid
agreeing adjectives and pronouns with the product noun, so they read right for any product.

Pure data, split by what a table is for; each English fragment stays beside its French one:
- `situations`: usage contexts per category, details per kind of product and rating band;
- `fragments`: delivery and value remarks, closing lines, titles;
- `issues`: the poor products' complaints and what follows a fix;
- `people`: the brand's replies, customers' names and places;
- `hand_written`: the reviews of the moderation demo.
Callers read them as `texts.DETAILS[kind][language][band]`, whichever module holds them.
"""

from __future__ import annotations

from devtools.demo.texts.fragments import CLOSERS, GENERIC, KIND_TITLES, TITLES, Fragments
from devtools.demo.texts.hand_written import PENDING_TEXTS, SPECIAL_REVIEWS, UNPUBLISHED_REVIEWS, HandWritten
from devtools.demo.texts.issues import ISSUES
from devtools.demo.texts.people import FIRST_NAMES, LAST_INITIALS, LAST_NAMES, PLACES, REPLIES
from devtools.demo.texts.situations import CONTEXTS, DETAILS, KIDS_CONTEXTS

__all__ = [
    "CLOSERS",
    "CONTEXTS",
    "DETAILS",
    "FIRST_NAMES",
    "GENERIC",
    "ISSUES",
    "KIDS_CONTEXTS",
    "KIND_TITLES",
    "LAST_INITIALS",
    "LAST_NAMES",
    "PENDING_TEXTS",
    "PLACES",
    "REPLIES",
    "SPECIAL_REVIEWS",
    "TITLES",
    "UNPUBLISHED_REVIEWS",
    "Fragments",
    "HandWritten",
]
