"""Reviews written by hand for the moderation demo: reported, rejected, removed, pending."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HandWritten:
    """A review written by hand for the moderation demo (reported, rejected or removed)."""

    sku: str
    rating: int
    language: str
    title: str
    body: str
    days_ago: int
    report: tuple[str, str] = ("", "")  # reason and comment of the reports it draws
    status: str = "published"
    reason: str = ""  # why it is not published


# Reviews that draw reports: spam, a phone number, a rant, a review of the delivery only.
SPECIAL_REVIEWS: tuple[HandWritten, ...] = (
    HandWritten(
        sku="STL-2035",
        rating=5,
        language="en",
        title="Cheaper elsewhere!!",
        body="Great shoes!! I found them even cheaper on a site I can send you, message me on Instagram "
        "@runfast.deals.2024 for the link.",
        report=("spam", ""),
        days_ago=9,
    ),
    HandWritten(
        sku="VLM-7120",
        rating=2,
        language="en",
        title="Delivery problem",
        body="The delivery driver left the box with my neighbour without asking. Nothing to say about the "
        "bike itself yet, I haven't ridden it.",
        report=("off_topic", ""),
        days_ago=6,
    ),
    HandWritten(
        sku="SNT-3400",
        rating=3,
        language="fr",
        title="Mal conseillé en magasin",
        body="Le vendeur du rayon randonnée, Kevin, m'a très mal conseillé sur la taille. Appelez-le au "
        "06 12 34 56 78 si vous voulez vous plaindre aussi.",
        report=("personal_data", ""),
        days_ago=4,
    ),
    HandWritten(
        sku="ADR-1700",
        rating=5,
        language="en",
        title="Best headphones in the world",
        body="Best headphones in the world, everyone must buy them, 10/10, perfect perfect perfect, better "
        "than every other brand, buy now.",
        report=("fake", ""),
        days_ago=12,
    ),
    HandWritten(
        sku="FRN-9170",
        rating=1,
        language="en",
        title="Garbage",
        body="Whoever designed this kettle should be fired on the spot. Total garbage, made by idiots, "
        "and the lid is stupid.",
        report=("offensive", ""),
        days_ago=3,
    ),
    HandWritten(
        sku="CFD-4400",
        rating=2,
        language="fr",
        title="Ancien modèle",
        body="Tente correcte mais les arceaux en fibre cassent, j'ai déjà dû en remplacer deux en un été.",
        report=(
            "other",
            "Cet avis parle de l'ancienne version avec arceaux en fibre ; la Base 4 actuelle a des arceaux en acier.",
        ),
        days_ago=5,
    ),
)

# Reviews a moderator turned down, and reviews taken down later (never counted by the gate).
UNPUBLISHED_REVIEWS: tuple[HandWritten, ...] = (
    HandWritten(
        sku="STL-1001",
        rating=5,
        language="en",
        status="rejected",
        reason="spam",
        title="Visit my store",
        body="Good shoes. Visit my online store for discount running gear, link in "
        "my profile, free shipping today only.",
        days_ago=200,
    ),
    HandWritten(
        sku="ADR-1300",
        rating=1,
        language="en",
        status="rejected",
        reason="offensive",
        title="Rubbish",
        body="Absolute rubbish, the people who sell this are crooks and should be ashamed.",
        days_ago=150,
    ),
    HandWritten(
        sku="VLM-7500",
        rating=4,
        language="fr",
        status="rejected",
        reason="off_topic",
        title="Parking",
        body="Le parking du magasin est toujours plein le samedi, prévoyez d'y aller tôt.",
        days_ago=95,
    ),
    HandWritten(
        sku="SNC-2500",
        rating=5,
        language="en",
        status="rejected",
        reason="fake",
        title="Amazing amazing",
        body="Amazing amazing amazing, I work for a partner company and we all use them, five stars guaranteed.",
        days_ago=60,
    ),
    HandWritten(
        sku="MCV-8240",
        rating=1,
        language="fr",
        status="rejected",
        reason="spam",
        title="Promo",
        body="Code promo -50 % sur toutes les cocottes avec le code COCOTTE50 sur mon site.",
        days_ago=33,
    ),
    HandWritten(
        sku="APR-6070",
        rating=4,
        language="en",
        status="removed",
        reason="personal_data",
        title="Good pack",
        body="Good pack. If you want to buy my old one, call me on 07700 900123, I live at 12 Station Road.",
        days_ago=120,
    ),
    HandWritten(
        sku="TRN-3050",
        rating=3,
        language="en",
        status="removed",
        reason="author_deleted",
        title="Changed my mind",
        body="Writing a longer review after a few more weeks of running in them.",
        days_ago=80,
    ),
    HandWritten(
        sku="FRN-9600",
        rating=2,
        language="fr",
        status="removed",
        reason="author_deleted",
        title="Bruyant",
        body="Très bruyant le matin, toute la maison se réveille quand je mouds le café.",
        days_ago=45,
    ),
)

PENDING_TEXTS: dict[str, list[tuple[int, str, str]]] = {
    "en": [
        (4, "Good so far", "Only two weeks of use so far, but comfortable and well finished. Will update later."),
        (
            5,
            "Love it",
            "Exactly what I was looking for, arrived quickly and the quality is obvious as soon as you open the box.",
        ),
        (2, "Not for me", "Returned it: the fit did not suit me at all, though the quality looked fine."),
        (3, "Average", "It works, but I expected a bit more for the price. The finish is average."),
        (5, "Perfect gift", "Bought it as a present and it was a hit. Nicely packaged too."),
        (1, "Broken on arrival", "Arrived with a cracked part and the box was damaged. Waiting for an exchange."),
    ],
    "fr": [
        (
            4,
            "Bien pour l'instant",
            "Deux semaines d'utilisation seulement, mais c'est confortable et bien fini. Je mettrai à jour.",
        ),
        (5, "Top", "Exactement ce que je cherchais, livraison rapide et qualité évidente dès l'ouverture du carton."),
        (2, "Pas pour moi", "Retourné : ça ne m'allait pas du tout, même si la qualité semblait correcte."),
        (1, "Arrivé cassé", "Reçu avec une pièce fendue et un carton abîmé. J'attends un échange."),
    ],
}
