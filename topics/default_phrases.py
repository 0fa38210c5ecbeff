"""The phrase lists a new installation starts with, per topic and language (migration
0003 writes them; quality directors edit them on the desk afterwards).

Chosen to be read and trusted at a glance, so each phrase names its topic on its own, in
the words customers use. A phrase is matched by its Snowball stems, so one form stands for
its inflections ("delivered" for "deliver", "delivering"; "livré" for "livrée", "livrer").
Left out on purpose, because their stems also mean something else in reviews:
- "lasted" (its stem "last" is also "last week"), so durability is "durable", "fell
  apart", "stopped working";
- a bare "small", "large", "petit", "grand" (a small tear, a large tent, un petit prix, un
  grand merci): size and fit say "too small", "trop petit";
- a bare "service" and "support" (the arch support of a shoe, years of service): customer
  service is "customer service", "customer support", "service client", "SAV";
- "reçu", "received" (said of anything received, a reply as much as a parcel).
"cheap" stays with price ("cheap for what it is"), though "feels cheap" speaks of quality:
a review saying it is tagged both when it also says "flimsy" or "broke".
"""

from __future__ import annotations

# topic key -> language -> phrases. "other" has none: it is a review matching no list.
DEFAULT_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "delivery": {
        "en": (
            "delivered",
            "delivery",
            "arrived",
            "shipping",
            "shipment",
            "parcel",
            "package",
            "late",
            "courier",
            "dispatch",
        ),
        "fr": ("livraison", "livré", "colis", "arrivé", "retard", "transporteur", "expédition"),
    },
    "quality": {
        "en": (
            "broke",
            "broken",
            "break",
            "quality",
            "durable",
            "fell apart",
            "stopped working",
            "tear",
            "torn",
            "leak",
            "flimsy",
            "sturdy",
            "cheaply made",
        ),
        "fr": ("cassé", "qualité", "solide", "déchiré", "fuite", "fragile", "durable"),
    },
    "size": {
        "en": (
            "size",
            "fit",
            "too small",
            "too big",
            "too large",
            "runs small",
            "runs large",
            "tight",
            "loose",
            "comfortable",
            "uncomfortable",
        ),
        "fr": ("taille", "pointure", "trop petit", "trop petite", "trop grand", "serré", "confortable"),
    },
    "price": {
        "en": ("price", "expensive", "cheap", "value for money", "worth", "overpriced"),
        "fr": ("prix", "cher", "rapport qualité"),
    },
    "service": {
        "en": ("customer service", "customer support", "support team", "refund", "replied", "warranty"),
        "fr": ("service client", "SAV", "remboursement", "répondu", "réponse", "garantie"),
    },
    "setup": {
        "en": ("instructions", "manual", "assemble", "set up", "setup", "install", "put together"),
        "fr": ("notice", "montage", "monter", "installer", "mode d'emploi"),
    },
}
