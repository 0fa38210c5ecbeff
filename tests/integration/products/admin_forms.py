"""The product admin's add form as a browser posts it, for the tests of product images."""

from __future__ import annotations


def product_add_form(**image: object) -> dict[str, object]:
    """A new product "TENT-1" with one inline image whose fields are ``image`` (e.g.
    ``image=<file>, alt_text="Tent", position="0"``)."""
    return {
        "sku": "TENT-1",
        # Names and descriptions per language (products/translation.py): English is required.
        "name_en": "Tent",
        "name_fr": "",
        "slug": "tent",
        "brand": "",
        "description_en": "",
        "description_fr": "",
        "image_url": "",
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "0",
        **{f"images-0-{name}": value for name, value in _per_language(image).items()},
    }


def _per_language(image: dict[str, object]) -> dict[str, object]:
    """``alt_text`` as the inline writes it: a field per language (products/translation.py),
    English required, French left empty unless given."""
    fields = dict(image)
    if "alt_text" in fields:
        fields["alt_text_en"] = fields.pop("alt_text")
    fields.setdefault("alt_text_fr", "")
    return fields
