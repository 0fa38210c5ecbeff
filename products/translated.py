"""Queries over the catalogue's texts in every language (products/translation.py).

django-modeltranslation gives each translated field a column per language and rewrites
`name` in a query to the active language's column, without the fallback its attribute
reads apply: ordered by `name_fr`, a product with no French name would sort apart from
its English name shown on the page. These expressions apply the same fallback in SQL.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import F, Model, Q, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from modeltranslation import settings as translation_settings
from modeltranslation.utils import build_localized_fieldname, get_language

from notifications.context import InLanguages


def localized(field: str) -> F | Coalesce:
    """`field` as a page shows it in the active language: its own text, else the default
    language's (an empty text counts as missing, as modeltranslation's fallback has it)."""
    default = build_localized_fieldname(field, translation_settings.DEFAULT_LANGUAGE)
    language = get_language()
    if language == translation_settings.DEFAULT_LANGUAGE:
        return F(default)
    # Each language's column is a field class of its own: the result's type is said here.
    text: TextField[str, str] = TextField()
    own = NullIf(F(build_localized_fieldname(field, language)), Value(""), output_field=text)
    return Coalesce(own, F(default), output_field=text)


def contains_in_any_language(field: str, term: str, *, prefix: str = "") -> Q:
    """`field` contains `term` (case-insensitive) in one language or another: a shopper
    types the name they saw, in whichever language they saw it."""
    condition = Q()
    for code in translation_settings.AVAILABLE_LANGUAGES:
        condition |= Q(**{f"{prefix}{build_localized_fieldname(field, code)}__icontains": term})
    return condition


def in_languages(instance: Model, field: str, *, clean: Callable[[str], str] = str) -> InLanguages:
    """Every language's text of `field` (the written ones), for an email's context: the
    email is rendered later, in its recipient's language (notifications.context)."""
    texts = {
        code: getattr(instance, build_localized_fieldname(field, code))
        for code in translation_settings.AVAILABLE_LANGUAGES
    }
    return InLanguages({code: clean(text) for code, text in texts.items() if text})


def shown_language(instance: Model, field: str) -> str:
    """The language `instance.<field>` reads in now: the active one when its text is
    written, else the default language it falls back to."""
    language = get_language()
    if getattr(instance, build_localized_fieldname(field, language), None):
        return language
    return translation_settings.DEFAULT_LANGUAGE
