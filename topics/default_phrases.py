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
- "reçu", "received" (said of anything received, a reply as much as a parcel);
- a bare "late" (its stem is also "lately"): delivery says "arrived late", "came late",
  "days late"; "package" ("the package includes two pegs");
- French "arrivé" ("je n'arrive pas à monter": I cannot manage to), so "est arrivé";
  "expédition" (an expedition in the mountains), so "expédié"; a bare "monter" (its stem
  "mont" is also "montant", the amount), so "à monter" ("facile à monter"); "serré" (its
  stem is "serrer les vis"), so "trop serré"; a bare "craqué" ("j'ai craqué pour la
  couleur": I gave in), so "a craqué". "est arrivé" misses "n'est jamais arrivé", hence
  "jamais arrivé" and "toujours pas arrivé" (a negation inside a match counts: negated).
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
            "arrived late",
            "came late",
            "days late",
            "weeks late",
            "courier",
            "dispatch",
        ),
        "fr": (
            "livraison",
            "livré",
            "colis",
            "est arrivé",
            "jamais arrivé",
            "toujours pas arrivé",
            "retard",
            "transporteur",
            "expédié",
        ),
    },
    "quality": {
        "en": (
            "broke",
            "broken",
            "break",
            "quality",
            "durable",
            "fell apart",
            "came apart",
            "stopped working",
            "tear",
            "tore",
            "torn",
            "ripped",
            "split",
            "wore out",
            "worn out",
            "glue",
            "glued",
            "peeling",
            "cracked",
            "snapped",
            "leak",
            "flimsy",
            "sturdy",
            "cheaply made",
        ),
        "fr": (
            "cassé",
            "qualité",
            "solide",
            "déchiré",
            "fuite",
            "fragile",
            "durable",
            "décollé",
            "a craqué",
            "fissuré",
            "usé",
        ),
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
        "fr": ("taille", "pointure", "trop petit", "trop petite", "trop grand", "trop serré", "confortable"),
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
        "fr": ("notice", "montage", "à monter", "installer", "mode d'emploi"),
    },
}

# Default phrases of earlier releases, dropped for the reasons above: migration 0004 removes
# them from a database that has them (only as the defaults wrote them, never a director's own).
DROPPED_DEFAULT_PHRASES: dict[str, tuple[str, ...]] = {
    "en": ("late", "package"),
    "fr": ("arrivé", "expédition", "monter", "serré"),
}
