"""The language a catalogue text is shown in, for its `lang` attribute: a product with no
French name shows its English one on a French page, and a screen reader must read it
as English (WCAG 3.1.2, language of parts)."""

from __future__ import annotations

from django import template
from django.db.models import Model

from products.translated import shown_language

register = template.Library()


@register.filter(name="shown_language")
def shown_language_filter(instance: Model, field: str) -> str:
    """`<h1 lang="{{ product|shown_language:'name' }}">{{ product.name }}</h1>`"""
    return shown_language(instance, field)
