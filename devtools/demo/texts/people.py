"""Who speaks: the brand's replies, and the names and places of the demo's customers."""

from __future__ import annotations

REPLIES: dict[str, dict[str, str]] = {
    "bad": {
        "en": "Thank you for taking the time to write this, {name}. We're sorry about this experience. Please "
        "contact our customer service with your order number: we will exchange the product or refund you.",
        "fr": "Merci d'avoir pris le temps d'écrire cet avis, {name}. Nous sommes désolés de cette expérience. "
        "Contactez notre service client avec votre numéro de commande : nous procéderons à un échange ou à un "
        "remboursement.",
    },
    "good": {
        "en": "Thank you, {name}! The whole {brand} team is delighted to read that it works so well for you.",
        "fr": "Merci {name} ! Toute l'équipe {brand} est ravie de lire que ce produit vous convient si bien.",
    },
    "STL-2041": {
        "en": "Thank you, {name}. We have traced a gluing defect to one production batch of the Cloudpace 2 and "
        "stopped shipping it. Bring or send your pair back for a free exchange from a checked batch.",
        "fr": "Merci {name}. Nous avons identifié un défaut de collage sur un lot de production de la Cloudpace 2 "
        "et en avons bloqué l'expédition. Rapportez ou renvoyez votre paire pour un échange gratuit par une paire "
        "d'un lot contrôlé.",
    },
    "CFD-4102": {
        "en": "Thank you, {name}. We are reviewing the seams and poles of the Breeze 2; you can return it to any "
        "store for a full refund.",
        "fr": "Merci {name}. Nous revoyons les coutures et les arceaux de la Breeze 2 ; vous pouvez la rapporter "
        "dans n'importe quel magasin pour un remboursement complet.",
    },
    "RAY-6500": {
        "en": "Thank you, {name}. Our engineers are redesigning the seal of the charging port; we will say so here "
        "as soon as the new version is available.",
        "fr": "Merci {name}. Nos ingénieurs revoient l'étanchéité du port de charge ; nous l'annoncerons ici dès "
        "que la nouvelle version sera disponible.",
    },
    "MCV-8128": {
        "en": "Thank you, {name}. One supplier's batch of coating did not meet our standard and has been withdrawn. "
        "Ask for a free replacement in any store.",
        "fr": "Merci {name}. Un lot de revêtement d'un fournisseur n'était pas conforme à nos exigences et a été "
        "retiré. Demandez un remplacement gratuit dans n'importe quel magasin.",
    },
    "ADR-1250": {
        "en": "Thank you, {name}. Firmware 2.3 causes these disconnections and we are working on a fix with our "
        "supplier. Until then you can return your earbuds for a full refund.",
        "fr": "Merci {name}. Le firmware 2.3 provoque ces déconnexions et nous travaillons à un correctif avec "
        "notre fournisseur. D'ici là, vous pouvez rapporter vos écouteurs pour un remboursement complet.",
    },
    "FRN-9410": {
        "en": "Thank you, {name}. We are testing a new lid seal after your feedback; our customer service will "
        "replace your jar in the meantime.",
        "fr": "Merci {name}. Nous testons un nouveau joint de couvercle suite à vos retours ; notre service client "
        "remplacera votre boîte en attendant.",
    },
}

FIRST_NAMES: dict[str, list[str]] = {
    "en": [
        "Sophie",
        "James",
        "Emily",
        "Oliver",
        "Hannah",
        "Thomas",
        "Chloe",
        "Daniel",
        "Grace",
        "Samuel",
        "Lucy",
        "Michael",
        "Ella",
        "David",
        "Amelia",
        "Jack",
        "Olivia",
        "Ryan",
        "Megan",
        "Ben",
        "Charlotte",
        "Liam",
        "Isla",
        "Noah",
        "Rachel",
        "Harry",
        "Laura",
        "Adam",
        "Zoe",
        "Matt",
        "Priya",
        "Tom",
        "Jess",
        "Ahmed",
        "Katie",
        "Luke",
        "Anna",
        "Chris",
        "Maya",
        "Joe",
    ],
    "fr": [
        "Camille",
        "Julien",
        "Manon",
        "Nicolas",
        "Léa",
        "Antoine",
        "Chloé",
        "Maxime",
        "Sarah",
        "Hugo",
        "Pauline",
        "Lucas",
        "Clara",
        "Romain",
        "Émilie",
        "Mathieu",
        "Inès",
        "Quentin",
        "Juliette",
        "Théo",
        "Claire",
        "Vincent",
        "Marine",
        "Kévin",
        "Audrey",
        "Yanis",
        "Élodie",
        "Sébastien",
        "Lina",
        "Olivier",
    ],
}
LAST_INITIALS = "ABCDEFGHJKLMNPRSTVW"
# A demo customer's surname starts with the initial they sign their reviews with.
LAST_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "A": "Archer", "B": "Bennett", "C": "Carter", "D": "Dawson", "E": "Ellis", "F": "Fletcher",
        "G": "Gardner", "H": "Harper", "J": "Jennings", "K": "Kendall", "L": "Lawson", "M": "Mitchell",
        "N": "Norris", "P": "Palmer", "R": "Russell", "S": "Sutton", "T": "Turner", "V": "Vaughan", "W": "Walsh",
    },
    "fr": {
        "A": "Aubert", "B": "Bernard", "C": "Chevalier", "D": "Durand", "E": "Esnault", "F": "Fontaine",
        "G": "Garnier", "H": "Hubert", "J": "Joly", "K": "Klein", "L": "Lambert", "M": "Mercier",
        "N": "Noël", "P": "Perrin", "R": "Roussel", "S": "Simon", "T": "Thomas", "V": "Vidal", "W": "Weber",
    },
}  # fmt: skip
PLACES: dict[str, list[str]] = {
    "en": ["Brittany", "the Lake District", "the Vosges", "Scotland", "the Dordogne", "Cornwall", "the Pyrenees"],
    "fr": ["Bretagne", "Ardèche", "Savoie", "Dordogne", "Corse", "Vendée", "Haute-Loire"],
}
