"""The parts of a review any product shares: remarks on delivery or value, closing lines,
and titles (generic, and per kind of product for good reviews)."""

from __future__ import annotations

# language -> band ("good", "mixed", "bad") -> sentences. A band is its fragments' polarity
# (devtools.demo.composing.BAND_POLARITY): a "good" one says nothing against the product, a
# "bad" one nothing for it; "mixed" ones say both, or are lukewarm (3 star reviews only).
Fragments = dict[str, dict[str, list[str]]]

GENERIC: Fragments = {
    "en": {
        "good": [
            "Delivered in {days} days, well packaged.",
            "Great value for money.",
            "Much better than the big-brand one I had before.",
            "Collected it in store the same afternoon.",
            "I've already recommended it to two friends.",
            "The price was fair, and it was on promotion when I bought it.",
            "Exactly as described on the product page.",
            "Second time I've bought this model.",
        ],
        "mixed": [
            "Delivery took {days} days, a bit longer than announced.",
            "Fair for the price, nothing more.",
            "Not bad, but I expected a little more at this price.",
            "The photos on the product page make it look bigger.",
        ],
        "bad": [
            "For this price I expected much better.",
            "At least the return was easy, and I was refunded within a week.",
            "Customer service was polite but could only offer a refund.",
            "I'm going back to my old brand.",
            "Two of my friends have had exactly the same problem.",
        ],
    },
    "fr": {
        "good": [
            "Livraison en {days} jours, colis bien emballé.",
            "Excellent rapport qualité-prix.",
            "Bien mieux que le modèle de grande marque que j'avais avant.",
            "Retrait en magasin le jour même.",
            "J'en ai déjà parlé à deux amis, qui ont commandé.",
            "Prix raisonnable, et en promotion au moment de l'achat.",
            "Conforme à la description.",
            "C'est la deuxième fois que j'achète ce modèle.",
        ],
        "mixed": [
            "Livraison en {days} jours, un peu plus long que prévu.",
            "Correct pour le prix, sans plus.",
            "Pas mal, mais j'en attendais un peu plus à ce prix.",
            "Sur les photos, ça paraît plus grand.",
        ],
        "bad": [
            "À ce prix, je m'attendais à beaucoup mieux.",
            "Au moins le retour a été simple, remboursement en une semaine.",
            "Le service client est resté poli mais n'a proposé qu'un remboursement.",
            "Je retourne à mon ancienne marque.",
            "Deux amis ont eu exactement le même problème.",
        ],
    },
}

CLOSERS: Fragments = {
    "en": {
        "good": [
            "Highly recommended.",
            "I'd buy it again without hesitation.",
            "Very happy with it.",
            "Five stars well deserved.",
            "Recommended for beginners and regulars alike.",
            "No regrets.",
        ],
        "mixed": [
            "Okay for the price.",
            "Does the job, nothing more.",
            "I'd hesitate before buying again.",
            "Fine if your expectations are modest.",
        ],
        "bad": [
            "I don't recommend it.",
            "Avoid.",
            "Returned for a refund.",
            "Really disappointed.",
            "Save your money.",
        ],
    },
    "fr": {
        "good": [
            "Je recommande vivement.",
            "Je rachèterais sans hésiter.",
            "Achat très satisfaisant.",
            "Cinq étoiles méritées.",
            "Aucun regret.",
            "Parfait pour débuter comme pour les habitués.",
        ],
        "mixed": [
            "Correct pour le prix.",
            "Fait le travail, sans plus.",
            "J'hésiterais avant de racheter.",
            "Bien si on n'est pas trop exigeant.",
        ],
        "bad": [
            "Je ne recommande pas.",
            "À éviter.",
            "Retour et remboursement demandés.",
            "Grosse déception.",
            "Passez votre chemin.",
        ],
    },
}

TITLES: Fragments = {
    "en": {
        "great": [
            "Excellent value",
            "Exactly what I needed",
            "Really impressed",
            "Great quality",
            "Best purchase this year",
            "Does everything I wanted",
            "Top product",
            "Would buy again",
            "Solid and reliable",
            "Brilliant",
            "Beyond my expectations",
        ],
        "good": [
            "Very good overall",
            "Almost perfect",
            "Good buy",
            "Happy with it",
        ],
        "mixed": [
            "Decent but not great",
            "Okay for the price",
            "Mixed feelings",
            "Average",
            "Does the job",
            "Could be better",
        ],
        "bad": [
            "Disappointed",
            "Not worth it",
            "Poor quality",
            "Let down",
            "Would not recommend",
            "Returned it",
            "Not as described",
            "Avoid",
        ],
    },
    "fr": {
        "great": [
            "Excellent rapport qualité-prix",
            "Exactement ce qu'il me fallait",
            "Vraiment bluffant",
            "Très bonne qualité",
            "Mon meilleur achat de l'année",
            "Parfait",
            "Top",
            "Je rachèterai",
            "Solide et fiable",
            "Au-delà de mes attentes",
        ],
        "good": [
            "Très bon produit dans l'ensemble",
            "Presque parfait",
            "Bon achat",
            "Satisfait",
        ],
        "mixed": [
            "Correct sans plus",
            "Bien pour le prix",
            "Avis mitigé",
            "Moyen",
            "Fait le travail",
            "Peut mieux faire",
        ],
        "bad": [
            "Déçu",
            "Ne vaut pas le prix",
            "Qualité médiocre",
            "Décevant",
            "Je ne recommande pas",
            "Retourné",
            "Pas conforme",
            "À éviter",
        ],
    },
}

# Titles that suit any good review of a kind of product (bad ones name a defect, so they
# come from the defect's own list instead).
KIND_TITLES: dict[str, dict[str, dict[str, list[str]]]] = {
    "shoe": {
        "en": {"good": ["Great daily trainer", "Comfortable from the first run"]},
        "fr": {"good": ["Parfaites pour l'entraînement", "Confortables dès la première sortie"]},
    },
    "tent": {
        "en": {"good": ["Great tent", "Does what a tent should"]},
        "fr": {"good": ["Super tente", "Une tente qui fait le travail"]},
    },
    "bike": {
        "en": {"good": ["Great bike for the price", "Perfect commuter"]},
        "fr": {"good": ["Super vélo pour le prix", "Parfait pour le vélotaf"]},
    },
    "audio": {
        "en": {"good": ["Great sound", "Great sound for the price"]},
        "fr": {"good": ["Très bon son", "Très bon son pour le prix"]},
    },
    "backpack": {
        "en": {"good": ["Comfortable even when full", "Great pack"]},
        "fr": {"good": ["Confortable même chargé", "Super sac"]},
    },
    "cookware": {
        "en": {"good": ["Cooks beautifully", "A pleasure to cook with"]},
        "fr": {"good": ["Cuisson parfaite", "Un plaisir de cuisiner avec"]},
    },
}
