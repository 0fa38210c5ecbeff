"""The poor products' stories: their complaints, the praise after a fix, and what is
complained about afterwards."""

from __future__ import annotations

# The poor products' own complaints (phase "issue"), each "title" naming the "text" at the
# same place, and the praise that follows a fix ("fixed"); "after" (with "after_title"
# likewise): what a low-rated review of the fixed version complains about instead.
ISSUES: dict[str, dict[str, dict[str, list[str]]]] = {
    "STL-2041": {
        "en": {
            "text": [
                "The sole started to come away from the upper at the toe after only {weeks} weeks.",
                "The glue line along the heel is already splitting; my previous Cloudpace lasted 800 km.",
                "This new batch runs a full size smaller than the first Cloudpace 2 I bought.",
                "The insole slides around and bunches up under the arch.",
                "The foam creases badly and feels flat after {km} km.",
            ],
            "title": [
                "Sole coming unglued",
                "Glue already splitting",
                "Runs a size small now",
                "Insole slides around",
                "Foam flat in weeks",
            ],
        },
        "fr": {
            "text": [
                "La semelle a commencé à se décoller au niveau des orteils après seulement {weeks} semaines.",
                "Le collage du talon se fend déjà, alors que ma paire précédente a tenu 800 km.",
                "Ce nouveau lot taille une pointure en dessous de la première paire de Cloudpace 2 que "
                "j'avais achetée.",
                "La semelle intérieure glisse et fait des plis sous la voûte plantaire.",
                "La mousse se plisse et paraît tassée après {km} km.",
            ],
            "title": [
                "Semelle qui se décolle",
                "Le collage lâche déjà",
                "Taille une pointure en dessous",
                "Semelle intérieure qui glisse",
                "Mousse tassée très vite",
            ],
        },
    },
    "CFD-4102": {
        "en": {
            "text": [
                "Water came through the seams at the first shower and soaked our sleeping bags.",
                "One of the spring poles snapped when a gust hit the tent.",
                "Opening it takes two seconds; folding it back took us forty minutes and a video tutorial.",
                "The groundsheet let water in under the sleeping area.",
                "The flysheet touches the inner tent, so condensation drips everywhere.",
            ],
            "title": [
                "Leaks at the first rain",
                "Pole snapped",
                "Impossible to fold",
                "Groundsheet lets water in",
                "Condensation everywhere",
            ],
        },
        "fr": {
            "text": [
                "L'eau est passée par les coutures à la première averse et a trempé nos sacs de couchage.",
                "Un des arceaux à ressort a cassé sous une rafale.",
                "Elle s'ouvre en deux secondes, mais la replier nous a pris quarante minutes et un tutoriel vidéo.",
                "Le tapis de sol a laissé passer l'eau sous la chambre.",
                "Le double toit touche la chambre, la condensation coule partout.",
            ],
            "title": [
                "Fuit à la première pluie",
                "Arceau cassé",
                "Impossible à replier",
                "Le tapis de sol prend l'eau",
                "Condensation partout",
            ],
        },
    },
    "RAY-6500": {
        "en": {
            "text": [
                "After one rainy commute, water got into the USB port and the rear light died.",
                "The battery lasted 3 hours when new; now it lasts 40 minutes.",
                "The silicone strap of the front light split in the cold.",
                "The rear light flickers as soon as it gets damp.",
                "Condensation inside the front lens after every wet ride.",
            ],
            "title": [
                "Died after the first rain",
                "Battery gave up",
                "Strap split",
                "Not rainproof",
                "Fogs up inside",
            ],
            "fixed": [
                "This is the new version with the sealed port cover, and it has survived {few_weeks} weeks of "
                "rainy commutes.",
                "The rubber cover on the charging port closes firmly now: no more water inside.",
                "I had the first version, which died in the rain; this one is a different product.",
                "Bright enough to be seen from far away, and the brake light is a real plus.",
                "The battery still gives me a week of commuting on one charge.",
            ],
            "fixed_title": ["The new version is excellent", "Finally rainproof", "Fixed!", "Much improved"],
            "after": [
                "The new port cover is fiddly to open with winter gloves on.",
                "The front beam is too narrow for unlit country lanes.",
                "The rear mount does not fit my aero seatpost.",
                "The brake light comes on at every bump in the road.",
            ],
            "after_title": ["Fiddly cover", "Narrow beam", "Does not fit my bike", "Jumpy brake light"],
        },
        "fr": {
            "text": [
                "Après un trajet sous la pluie, l'eau est entrée par le port USB et le feu arrière est mort.",
                "La batterie tenait 3 heures au début, elle tient maintenant 40 minutes.",
                "La sangle en silicone de l'éclairage avant s'est fendue avec le froid.",
                "Le feu arrière clignote de façon aléatoire dès qu'il est humide.",
                "De la buée dans l'optique avant après chaque sortie sous la pluie.",
            ],
            "title": [
                "Mort après la première pluie",
                "Batterie à plat",
                "Sangle fendue",
                "Pas étanche à la pluie",
                "Buée à l'intérieur",
            ],
            "fixed": [
                "C'est la nouvelle version avec le cache de port étanche, et elle a survécu à {few_weeks} semaines "
                "de trajets sous la pluie.",
                "Le cache en caoutchouc du port de charge ferme bien maintenant : plus d'eau à l'intérieur.",
                "J'avais la première version, morte sous la pluie ; celle-ci n'a rien à voir.",
                "Très visible de loin, et le feu stop est un vrai plus.",
                "La batterie tient toujours une semaine de trajets avec une charge.",
            ],
            "fixed_title": ["La nouvelle version est top", "Enfin étanche", "Problème réglé", "Nettement amélioré"],
            "after": [
                "Le nouveau cache du port se soulève mal avec des gants d'hiver.",
                "Le faisceau avant est trop étroit pour les petites routes sans éclairage.",
                "La fixation arrière ne va pas sur ma tige de selle aéro.",
                "Le feu stop s'allume à chaque bosse de la route.",
            ],
            "after_title": ["Cache peu pratique", "Faisceau étroit", "Ne va pas sur mon vélo", "Feu stop capricieux"],
        },
    },
    "MCV-8128": {
        "en": {
            "text": [
                "The coating started to blister after {weeks} weeks, always used on medium heat with a wooden spatula.",
                "Little flakes of coating came off into the omelette.",
                "The base has bulged and the pan spins on my induction hob.",
                "Everything sticks now, after barely a month.",
            ],
            "title": [
                "Coating blistering",
                "Coating flakes off",
                "Warped base",
                "Sticks after a month",
            ],
            "fixed": [
                "Bought on promotion, and the coating is excellent so far.",
                "Eggs slide right off; the older reviews worried me, but mine is perfect.",
                "Perfectly flat base, heats evenly on induction.",
            ],
            "fixed_title": ["Great pan", "No sticking at all", "Better than the reviews suggest"],
        },
        "fr": {
            "text": [
                "Le revêtement a cloqué au bout de {weeks} semaines, toujours à feu moyen et avec une spatule en bois.",
                "Des petites écailles de revêtement se sont retrouvées dans l'omelette.",
                "Le fond a gonflé et la poêle tourne sur ma plaque à induction.",
                "Tout attache maintenant, après à peine un mois.",
            ],
            "title": [
                "Revêtement qui cloque",
                "Le revêtement s'écaille",
                "Fond déformé",
                "Attache au bout d'un mois",
            ],
            "fixed": [
                "Achat en promotion, et le revêtement est excellent pour l'instant.",
                "Les œufs glissent tout seuls ; les anciens avis m'inquiétaient, mais la mienne est parfaite.",
                "Fond parfaitement plat, chauffe uniformément sur induction.",
            ],
            "fixed_title": ["Super poêle", "Rien n'attache", "Meilleure que ne le disent les avis"],
        },
    },
    "ADR-1250": {
        "en": {
            "text": [
                "Since the last firmware update the left earbud keeps disconnecting.",
                "The case drains the earbuds overnight, so they're flat every morning.",
                "Noise cancelling makes a constant hiss in quiet rooms.",
                "The connection cuts out every few minutes on the train.",
                "The app hasn't been able to see the earbuds since the update.",
            ],
            "title": [
                "Left earbud keeps dropping",
                "Flat every morning",
                "Constant hiss",
                "Broken by the update",
                "App can't find them",
            ],
        },
        "fr": {
            "text": [
                "Depuis la dernière mise à jour, l'écouteur gauche se déconnecte sans arrêt.",
                "Le boîtier vide les écouteurs pendant la nuit, ils sont à plat tous les matins.",
                "La réduction de bruit fait un souffle permanent dans une pièce calme.",
                "La connexion coupe toutes les deux minutes dans le train.",
                "L'application ne détecte plus les écouteurs depuis la mise à jour.",
            ],
            "title": [
                "L'écouteur gauche décroche",
                "À plat tous les matins",
                "Souffle permanent",
                "Cassés par la mise à jour",
                "Introuvables dans l'appli",
            ],
        },
    },
    "FRN-9410": {
        "en": {
            "text": [
                "The lid leaks as soon as the jar tips over: soup all over my bag.",
                "Soup is lukewarm after three hours, nowhere near the six announced.",
                "The silicone seal keeps the smell of whatever was inside, even after washing.",
                "The folding spoon came off its clip in the first week.",
            ],
            "title": [
                "Lid leaks",
                "Doesn't keep food hot",
                "Seal keeps smells",
                "Spoon fell off",
            ],
        },
        "fr": {
            "text": [
                "Le couvercle fuit dès que la boîte se couche : de la soupe partout dans mon sac.",
                "La soupe est tiède après trois heures, loin des six annoncées.",
                "Le joint en silicone garde l'odeur de tout ce qu'on y met, même après lavage.",
                "La cuillère pliante s'est détachée de son clip dès la première semaine.",
            ],
            "title": [
                "Couvercle qui fuit",
                "Ne garde pas au chaud",
                "Le joint garde les odeurs",
                "Cuillère détachée",
            ],
        },
    },
}
