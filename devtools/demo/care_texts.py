"""The demo's care messages and customers' answers, in English and French: data written for
the demo (not translations of the site's strings). Placeholders: {name} (the customer's
first name), {the} (the product's noun: "the earbuds", "les écouteurs"), {agent} (care's
first name). No address, no phone number: care writes through the platform."""

from __future__ import annotations

from devtools.demo.typography import french_pools

Pool = dict[str, list[str]]

FIRST: Pool = {
    "en": [
        "Hello {name}, I'm {agent} from customer care. I read your review of {the} and I'm sorry it "
        "let you down. Could you tell me a little more about what happened? I'd like to put it right.",
        "Hi {name}, thank you for taking the time to review {the}. I'm sorry it wasn't what you hoped "
        "for. If you reply with a few details, I'll see what we can do: advice, a replacement or a refund.",
        "Hello {name}, this is {agent} from customer care. Your review of {the} reached me today. Is the "
        "problem still there? Tell me what you noticed and we'll find a solution together.",
    ],
    "fr": [
        "Bonjour {name}, je suis {agent}, du service client. J'ai lu votre avis sur {the} et je regrette "
        "que votre expérience n'ait pas été à la hauteur. Pourriez-vous m'en dire un peu plus ? "
        "J'aimerais arranger les choses.",
        "Bonjour {name}, merci d'avoir pris le temps de donner votre avis sur {the}. Si vous me répondez "
        "avec quelques détails, je verrai ce que nous pouvons faire : un conseil, un échange ou un "
        "remboursement.",
        "Bonjour {name}, ici {agent}, du service client. Votre avis sur {the} m'est parvenu aujourd'hui. "
        "Le problème est-il toujours là ? Dites-moi ce que vous avez constaté et nous trouverons une solution.",
    ],
}

REPLIES: Pool = {
    "en": [
        "Thanks for getting back to me. It started after a couple of weeks of normal use; I still have the box.",
        "Yes, the problem is still there. A replacement would be fine if that's possible.",
        "Thank you for asking. Honestly I mostly wanted someone to know, but a fix would be welcome.",
        "I didn't expect an answer, thank you. It's exactly what I described in my review.",
        "It happened again last weekend. I'd rather have a refund, to be honest.",
    ],
    "fr": [
        "Merci de votre retour. Le problème est apparu après deux ou trois semaines d'utilisation normale ; "
        "j'ai gardé la boîte.",
        "Oui, le problème est toujours là. Un échange me conviendrait si c'est possible.",
        "Merci de me répondre. Je voulais surtout que quelqu'un le sache, mais une solution serait la bienvenue.",
        "Je ne m'attendais pas à une réponse, merci. C'est bien ce que j'ai décrit dans mon avis.",
        "C'est encore arrivé le week-end dernier. Je préférerais un remboursement, honnêtement.",
    ],
}

FOLLOW_UP: dict[str, Pool] = {
    "solved": {
        "en": [
            "Thank you, {name}. Our product team looked at it: it's a known fault on a few units, and a "
            "free repair kit is on its way with simple instructions. If it doesn't help, reply and we'll "
            "replace it. {agent}",
            "Thanks for the details. A replacement part is on its way and should arrive within three "
            "working days. Let me know how it goes. {agent}",
        ],
        "fr": [
            "Merci {name}. Notre équipe produit a regardé : c'est un défaut connu sur quelques exemplaires, "
            "et un kit de réparation gratuit vous est envoyé avec des instructions simples. Si cela ne suffit "
            "pas, répondez-moi et nous procéderons à un échange. {agent}",
            "Merci pour ces précisions. Une pièce de rechange est en route et devrait arriver sous trois jours "
            "ouvrés. Tenez-moi au courant. {agent}",
        ],
    },
    "refunded_replaced": {
        "en": [
            "Thank you, {name}. I've arranged a replacement: it ships within two working days, and you can "
            "keep the old one until it arrives. {agent}",
            "Thanks for the details. I've issued a full refund to your original payment method; it should "
            "show within five working days. {agent}",
        ],
        "fr": [
            "Merci {name}. J'ai organisé un échange : le nouveau part sous deux jours ouvrés, et vous pouvez "
            "garder l'ancien jusqu'à sa réception. {agent}",
            "Merci pour ces précisions. J'ai lancé un remboursement complet sur votre moyen de paiement ; il "
            "apparaîtra sous cinq jours ouvrés. {agent}",
        ],
    },
}

SECOND_REPLIES: Pool = {
    "en": [
        "That worked, thank you for the quick help.",
        "Received, thanks. Much better now.",
        "Perfect, thank you.",
    ],
    "fr": [
        "Ça a fonctionné, merci pour votre aide rapide.",
        "Bien reçu, merci. C'est beaucoup mieux.",
        "Parfait, merci.",
    ],
}

REMINDER: Pool = {
    "en": [
        "Hello {name}, I'm following up on my message from a few days ago. If the problem is still there, "
        "just reply here and we'll sort it out. {agent}",
    ],
    "fr": [
        "Bonjour {name}, je reviens vers vous après mon message de la semaine dernière. Si le problème "
        "persiste, répondez simplement ici et nous trouverons une solution. {agent}",
    ],
}

CLOSING: dict[str, Pool] = {
    "solved": {
        "en": ["Glad we could sort this out. Thank you for telling us, {name}.", "Thanks again, {name}. {agent}"],
        "fr": ["C'est réglé, tant mieux. Merci de nous l'avoir signalé, {name}.", "Merci encore, {name}. {agent}"],
    },
    "refunded_replaced": {
        "en": ["As agreed, this is settled. Thank you for your patience, {name}."],
        "fr": ["Comme convenu, c'est réglé. Merci de votre patience, {name}."],
    },
    "no_answer": {
        "en": ["We haven't heard back, so I'm closing this case. Thank you for your review, {name}."],
        "fr": ["Sans nouvelles de votre part, je clos ce dossier. Merci pour votre avis, {name}."],
    },
}

EFFORT_REPLIES: Pool = {
    "en": ["Quick and easy, thank you.", "It took a couple of messages but it was fine.", "Very helpful."],
    "fr": ["Rapide et simple, merci.", "Il a fallu quelques messages, mais ça s'est bien passé.", "Très efficace."],
}


# The French texts typeset as the site's French strings are (devtools.demo.typography).
FIRST = french_pools(FIRST)
REPLIES = french_pools(REPLIES)
FOLLOW_UP = french_pools(FOLLOW_UP)
SECOND_REPLIES = french_pools(SECOND_REPLIES)
REMINDER = french_pools(REMINDER)
CLOSING = french_pools(CLOSING)
EFFORT_REPLIES = french_pools(EFFORT_REPLIES)
