"""Which catalogue texts are written per language (django-modeltranslation).

Each field listed gets a column per language of settings.LANGUAGES (`name_en`, `name_fr`);
reading `product.name` gives the active language's text, or English when that one is
empty (settings.MODELTRANSLATION_FALLBACK_LANGUAGES). docs/i18n.md tells the whole story.
"""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from products.models import Category, Product, ProductImage


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name",)
    # Every category and product has its English text: the fallback is never empty.
    required_languages = ("en",)


@register(Product)
class ProductTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}


@register(ProductImage)
class ProductImageTranslationOptions(TranslationOptions):
    # What a picture shows is read by screen readers and shown as its caption: in the
    # shopper's language, like the product's name (English when no French was written).
    fields = ("alt_text",)
    required_languages = ("en",)
