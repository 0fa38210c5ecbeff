"""Sentence fragments the demo composes reviews from, in English and French.

A review is built from a usage context (per category), one or two details (per kind of
product and rating band), sometimes a remark on delivery or value, and a closing line;
the poor products have their own complaints. Placeholders such as {this}, {weeks} or {km}
are filled per review (see `devtools.demo.composing.compose_review`). French fragments avoid
agreeing adjectives and pronouns with the product noun, so they read right for any product.

One module although long (about 1,400 lines): it is pure data, tables of sentences and no
logic, read as a whole when one edits the demo's voice. Each English fragment sits beside its
French one under the same kind and rating band, so splitting by language would separate a
sentence from its translation; splitting by table would only scatter one lookup
(`texts.DETAILS[kind][language][band]`) over files.
"""

from __future__ import annotations

from dataclasses import dataclass

Fragments = dict[str, dict[str, list[str]]]  # language -> band ("good", "mixed", "bad") -> sentences

CONTEXTS: dict[str, dict[str, list[str]]] = {
    "running-shoes": {
        "en": [
            "I run about {km_week} km a week, mostly on the road.",
            "Bought {this} to train for my first half-marathon.",
            "I've been running in {this} for {months} months, three sessions a week.",
            "I use them on a mix of pavement and park paths.",
            "Ordered my usual size {size}.",
            "I'm a heavier runner ({kg} kg), so cushioning matters to me.",
            "Picked {this} after trying them on in store.",
        ],
        "fr": [
            "Je cours environ {km_week} km par semaine, surtout sur route.",
            "J'ai acheté {this} pour préparer mon premier semi-marathon.",
            "Je cours avec {this} depuis {months} mois, trois sorties par semaine.",
            "Je les utilise sur un mélange de bitume et de chemins.",
            "J'ai pris ma pointure habituelle, du {size}.",
            "Je pèse {kg} kg, donc l'amorti compte beaucoup pour moi.",
            "Essayées en magasin avant de commander en ligne.",
        ],
    },
    "tents-camping": {
        "en": [
            "We used {this} for {n} nights at a campsite in {place_en}.",
            "Took it on a week-long trip along the coast.",
            "Two adults and a dog, a festival weekend and a few campsites this summer.",
            "I mostly camp in spring and autumn, so the nights get cold.",
            "Bought for a family holiday in the Alps.",
            "Wild camping in {place_en}, {n} nights in a row.",
        ],
        "fr": [
            "Nous avons utilisé {this} pendant {n} nuits dans un camping en {place_fr}.",
            "Utilisation pendant une semaine de bivouac le long de la côte.",
            "Deux adultes et un chien, un week-end de festival et quelques campings cet été.",
            "Je campe surtout au printemps et en automne, les nuits sont fraîches.",
            "Achat pour des vacances en famille dans les Alpes.",
            "Bivouac en {place_fr}, {n} nuits d'affilée.",
        ],
    },
    "bikes-accessories": {
        "en": [
            "I commute {km_day} km each way, in all weathers.",
            "I ride at weekends, mostly on gravel paths and quiet roads.",
            "Bought {this} for my daily ride to the station.",
            "I cycle about {km_week} km a week around town.",
            "I've used {this} every day for {months} months now.",
        ],
        "fr": [
            "Je fais {km_day} km aller et {km_day} km retour pour aller au travail, par tous les temps.",
            "Je roule le week-end, surtout sur chemins et petites routes.",
            "Achat pour mon trajet quotidien jusqu'à la gare.",
            "Je fais environ {km_week} km par semaine en ville.",
            "Utilisation quotidienne depuis {months} mois.",
        ],
    },
    "kitchen": {
        "en": [
            "I cook every evening for a family of four.",
            "It replaced a ten-year-old one that had finally given up.",
            "I'm a keen home cook and use {this} almost daily.",
            "Bought {this} when we moved into a flat with an induction hob.",
            "Used for {months} months now.",
            "A wedding present we chose ourselves.",
        ],
        "fr": [
            "Je cuisine tous les soirs pour une famille de quatre.",
            "En remplacement d'un ancien modèle qui avait dix ans.",
            "Je cuisine beaucoup et j'utilise {this} presque tous les jours.",
            "Achat lors de notre emménagement dans un appartement avec plaque à induction.",
            "Utilisation quotidienne depuis {months} mois.",
            "Cadeau de mariage choisi par nos soins.",
        ],
    },
    "headphones": {
        "en": [
            "I use {this} on my commute, about an hour on the train each day.",
            "Mainly for the gym and running.",
            "I work from home and spend hours on video calls.",
            "Bought to replace a pair I left on a plane.",
            "I listen to a lot of podcasts and some classical music.",
            "Used {months} months, almost every day.",
        ],
        "fr": [
            "J'utilise {this} dans les transports, environ une heure de train par jour.",
            "Surtout pour la salle de sport et la course à pied.",
            "Je suis en télétravail et je passe des heures en visio.",
            "Achat pour remplacer une paire oubliée dans un avion.",
            "J'écoute surtout des podcasts et un peu de musique classique.",
            "Utilisation presque quotidienne depuis {months} mois.",
        ],
    },
    "hiking-backpacks": {
        "en": [
            "Used on a {n}-day hut-to-hut trek in the Alps.",
            "I hike most weekends, usually 15 to 25 km.",
            "Took it on a week of hiking in the Pyrenees.",
            "I'm 1.{height} m tall and carried about {kg_pack} kg.",
            "Mainly for day hikes with the kids.",
            "Used for a city break and two weekends in the hills.",
        ],
        "fr": [
            "Utilisation lors d'un trek de {n} jours de refuge en refuge dans les Alpes.",
            "Je randonne presque tous les week-ends, en général 15 à 25 km.",
            "Test grandeur nature : une semaine de randonnée dans les Pyrénées.",
            "Je mesure 1,{height} m et je portais environ {kg_pack} kg.",
            "Surtout pour des randonnées à la journée avec les enfants.",
            "Utilisation pour un week-end en ville et deux sorties en montagne.",
        ],
    },
}

# Products for children: their context replaces the category's.
KIDS_CONTEXTS: dict[str, list[str]] = {
    "en": [
        "Bought {this} for my {age}-year-old.",
        "My daughter ({age}) chose {this} herself.",
        "A birthday present for my son, who is {age}.",
        "For our {age}-year-old, who is hard on everything.",
    ],
    "fr": [
        "Achat pour mon fils de {age} ans.",
        "Ma fille de {age} ans a choisi {this} elle-même.",
        "Cadeau d'anniversaire pour mon fils de {age} ans.",
        "Pour notre enfant de {age} ans, qui use tout très vite.",
    ],
}

DETAILS: dict[str, Fragments] = {
    "shoe": {
        "en": {
            "good": [
                "The cushioning is soft without feeling sluggish, even after {km} km.",
                "True to size for me: my usual {size} fits perfectly with room in the toe box.",
                "Grip is excellent on wet pavement and the outsole barely shows any wear.",
                "Light and breathable: no blisters, even on my long run of {km_long} km.",
                "The heel holds well and the laces stay tied.",
                "My knees are much happier than in my previous pair.",
            ],
            "mixed": [
                "They run slightly small, so I'd go half a size up.",
                "Comfortable, but the mesh lets cold air and rain in during winter.",
                "The outsole is wearing faster than I expected at {km} km.",
                "Fine for short runs, but I miss some support after 15 km.",
            ],
            "bad": [
                "After {km} km the foam already feels flat and my calves hurt.",
                "The heel rubbed and gave me blisters on every run.",
                "The outsole is slippery on wet roads; I nearly fell twice.",
                "The mesh tore next to the little toe after {weeks} weeks.",
            ],
        },
        "fr": {
            "good": [
                "L'amorti est souple sans être mou, même après {km} km.",
                "Taille normalement : ma pointure habituelle, le {size}, est parfaite, avec de la place "
                "pour les orteils.",
                "Excellente accroche sur le bitume mouillé, et la semelle s'use à peine.",
                "Légères et respirantes : aucune ampoule, même sur ma sortie longue de {km_long} km.",
                "Le talon est bien tenu et les lacets ne se défont pas.",
                "Mes genoux vont beaucoup mieux qu'avec ma paire précédente.",
            ],
            "mixed": [
                "Elles taillent un peu petit, je conseille de prendre une demi-pointure au-dessus.",
                "Confortables, mais le mesh laisse passer le froid et la pluie en hiver.",
                "La semelle s'use plus vite que prévu, à {km} km.",
                "Bien pour des sorties courtes, mais je manque de maintien au-delà de 15 km.",
            ],
            "bad": [
                "Après {km} km, la mousse est déjà tassée et j'ai mal aux mollets.",
                "Le talon frotte : des ampoules à chaque sortie.",
                "La semelle glisse sur route mouillée, j'ai failli tomber deux fois.",
                "Le mesh s'est déchiré au niveau du petit orteil au bout de {weeks} semaines.",
            ],
        },
    },
    "tent": {
        "en": {
            "good": [
                "Pitched in about {minutes} minutes on the first try; the colour-coded poles help.",
                "We had a proper storm one night and stayed completely dry.",
                "Condensation was minimal thanks to the vents.",
                "Plenty of room for two adults, with the bags in the porch.",
                "Packs down smaller than I expected and fits in the car boot easily.",
                "The pegs are decent and the guy lines are reflective, which helps at night.",
            ],
            "mixed": [
                "Good tent, but the supplied pegs bend on hard ground: buy better ones.",
                "A bit warm inside in full sun in the morning.",
                "Folding it back into the bag takes some practice.",
            ],
            "bad": [
                "Water came in at the seams during the first real rain.",
                "A pole cracked on the second night in moderate wind.",
                "The zip on the door jammed and then split.",
                "Condensation dripped on us all night.",
            ],
        },
        "fr": {
            "good": [
                "Montage en {minutes} minutes environ dès le premier essai, les arceaux de couleur aident bien.",
                "Une vraie tempête une nuit : nous sommes restés parfaitement au sec.",
                "Très peu de condensation grâce aux aérations.",
                "Largement assez de place pour deux adultes, et les sacs dans l'abside.",
                "Encombrement réduit une fois repliée, elle rentre facilement dans le coffre.",
                "Les sardines sont correctes et les haubans réfléchissants, pratique la nuit.",
            ],
            "mixed": [
                "Bonne tente, mais les sardines fournies se tordent sur sol dur : prévoyez-en d'autres.",
                "Il fait un peu chaud dedans le matin en plein soleil.",
                "Le repliage dans la housse demande un peu d'entraînement.",
            ],
            "bad": [
                "L'eau est entrée par les coutures dès la première vraie pluie.",
                "Un arceau s'est fendu la deuxième nuit, avec un vent modéré.",
                "La fermeture éclair de la porte s'est coincée puis ouverte en deux.",
                "De la condensation nous a coulé dessus toute la nuit.",
            ],
        },
    },
    "sleep": {
        "en": {
            "good": [
                "Warm enough at {temp} °C in a tent with just a base layer.",
                "Packs down small and is easy to stuff back in its sack.",
                "Comfortable enough that I slept through the night, which is rare for me when camping.",
                "Well finished: the seams are neat and nothing snags.",
                "Light enough for backpacking.",
            ],
            "mixed": [
                "The comfort rating is a bit optimistic: I was cold at {temp} °C.",
                "Good value, but a little narrow if you sleep on your side.",
                "Does the job, though it takes some time to pack away.",
            ],
            "bad": [
                "I was cold all night even though it was {temp} °C.",
                "The seams started to come apart after a few nights.",
                "One of the seams split on the first trip.",
                "It smelled strongly of chemicals for weeks.",
            ],
        },
        "fr": {
            "good": [
                "Assez chaud à {temp} °C sous tente avec juste une première couche.",
                "Prend peu de place et se range facilement dans sa housse.",
                "Assez confortable pour dormir d'une traite, ce qui est rare pour moi en camping.",
                "Bonnes finitions : coutures nettes, rien n'accroche.",
                "Assez léger pour l'itinérance.",
            ],
            "mixed": [
                "La température de confort est un peu optimiste : j'ai eu froid à {temp} °C.",
                "Bon rapport qualité-prix, mais un peu étroit quand on dort sur le côté.",
                "Fait le travail, mais le rangement prend du temps.",
            ],
            "bad": [
                "J'ai eu froid toute la nuit alors qu'il faisait {temp} °C.",
                "Les coutures ont commencé à lâcher après quelques nuits.",
                "Une couture a lâché dès la première sortie.",
                "Une forte odeur chimique pendant des semaines.",
            ],
        },
    },
    "camp": {
        "en": {
            "good": [
                "Sturdy and well made: it has survived {n} trips in the car boot without a scratch.",
                "Packs away in seconds.",
                "Exactly what we needed at the campsite.",
                "Light enough to carry from the car without thinking about it.",
                "Good finish for the price, nothing rattles.",
            ],
            "mixed": [
                "Does the job, but it's heavier than I hoped.",
                "Fine for the price, although the carry bag is a bit tight.",
                "Decent, but some parts feel flimsy.",
            ],
            "bad": [
                "A plastic clip snapped on the second use.",
                "It broke after {weeks} weeks of occasional use.",
                "Poor finish: sharp edges and a loose part straight out of the box.",
                "It stopped working properly during our first holiday.",
            ],
        },
        "fr": {
            "good": [
                "Construction solide : {n} voyages dans le coffre sans une rayure.",
                "Se range en quelques secondes.",
                "Exactement ce qu'il nous fallait au camping.",
                "Se transporte facilement depuis la voiture.",
                "Bonnes finitions pour le prix, rien ne bouge.",
            ],
            "mixed": [
                "Fait le travail, mais c'est plus lourd que prévu.",
                "Correct pour le prix, même si la housse est un peu juste.",
                "Pas mal, mais certaines pièces font fragiles.",
            ],
            "bad": [
                "Un clip en plastique a cassé dès la deuxième utilisation.",
                "Hors service au bout de {weeks} semaines d'usage occasionnel.",
                "Finitions médiocres : arêtes coupantes et une pièce desserrée dès le déballage.",
                "Ne fonctionne plus correctement depuis nos premières vacances.",
            ],
        },
    },
    "bike": {
        "en": {
            "good": [
                "Assembly took about {minutes} minutes: handlebar, pedals and front wheel.",
                "The gears shift cleanly and the brakes are strong even in the wet.",
                "Comfortable riding position; my back no longer aches after {km_day} km.",
                "It feels solid and stable at speed.",
                "Great value compared with bikes at twice the price.",
                "The size guide was spot on: I'm 1.{height} m and took the M.",
            ],
            "mixed": [
                "Good bike, but the saddle is hard: I changed it after a week.",
                "The gears needed adjusting after the first {km} km, which is normal.",
                "It's on the heavy side to carry up stairs.",
            ],
            "bad": [
                "The rear derailleur was badly adjusted and it skips gears constantly.",
                "The brakes squeal and the pads wore out in {weeks} weeks.",
                "A spoke broke after {km} km.",
                "Lots of rattling from the mudguards and the chain guard.",
            ],
        },
        "fr": {
            "good": [
                "Montage en {minutes} minutes environ : guidon, pédales et roue avant.",
                "Les vitesses passent bien et le freinage est puissant, même sous la pluie.",
                "Position confortable, je n'ai plus mal au dos après {km_day} km.",
                "Il est solide et stable en vitesse.",
                "Excellent rapport qualité-prix comparé à des vélos deux fois plus chers.",
                "Le guide des tailles est juste : je mesure 1,{height} m et j'ai pris le M.",
            ],
            "mixed": [
                "Bon vélo, mais la selle est dure : je l'ai changée au bout d'une semaine.",
                "Il a fallu régler les vitesses après les {km} premiers kilomètres, c'est normal.",
                "Un peu lourd à monter dans les escaliers.",
            ],
            "bad": [
                "Le dérailleur arrière était mal réglé, ça saute sans arrêt.",
                "Les freins couinent et les plaquettes ont tenu {weeks} semaines.",
                "Un rayon a cassé après {km} km.",
                "Beaucoup de bruits parasites au niveau des garde-boue et du carter.",
            ],
        },
    },
    "bike_acc": {
        "en": {
            "good": [
                "Fitted in two minutes without tools.",
                "Well made and reassuringly solid.",
                "It has been through a whole winter of commuting and still works like new.",
                "Does exactly what it says, no fuss.",
                "Good value: I've paid more for worse.",
            ],
            "mixed": [
                "Works well, but the fixing could be sturdier.",
                "Good overall, though a bit heavier than I expected.",
                "Does the job; the instructions could be clearer.",
            ],
            "bad": [
                "The mount cracked within {weeks} weeks.",
                "It stopped working after the first heavy rain.",
                "Feels cheap: the plastic parts flex and creak.",
                "Gave up after {weeks} weeks of commuting.",
            ],
        },
        "fr": {
            "good": [
                "Installation en deux minutes, sans outils.",
                "Fabrication sérieuse, ça inspire confiance.",
                "Un hiver entier de trajets quotidiens et ça fonctionne toujours comme au premier jour.",
                "Fait exactement ce qui est annoncé, sans chichis.",
                "Bon rapport qualité-prix, j'ai déjà payé plus cher pour moins bien.",
            ],
            "mixed": [
                "Fonctionne bien, mais la fixation pourrait être plus robuste.",
                "Bien dans l'ensemble, mais c'est un peu plus lourd que prévu.",
                "Fait le travail, la notice pourrait être plus claire.",
            ],
            "bad": [
                "La fixation s'est fendue en {weeks} semaines.",
                "Ne fonctionne plus depuis la première grosse pluie.",
                "Ça fait bon marché : le plastique plie et grince.",
                "Hors d'usage après {weeks} semaines de trajets.",
            ],
        },
    },
    "cookware": {
        "en": {
            "good": [
                "Heats evenly on my induction hob, with no hot spot in the middle.",
                "Nothing sticks as long as you preheat it properly.",
                "Easy to clean: a quick soak and it's done.",
                "Solid and well balanced, and the handle stays cool.",
                "After {months} months of daily use it still looks new.",
                "A stew simmered for three hours without catching at the bottom.",
            ],
            "mixed": [
                "Good quality, but heavier than I expected.",
                "Works well, though the handle gets warm on gas.",
                "Nice, but the dishwasher has dulled the finish.",
            ],
            "bad": [
                "The base warped after a few weeks and now it wobbles on the hob.",
                "Food sticks and burns at the bottom however careful I am.",
                "The handle came loose after {weeks} weeks.",
                "Marks and scratches appeared after the first wash.",
            ],
        },
        "fr": {
            "good": [
                "Chauffe de façon homogène sur ma plaque à induction, pas de point chaud au centre.",
                "Rien n'attache si on préchauffe correctement.",
                "Facile à nettoyer : un peu de trempage et c'est fini.",
                "Bonne prise en main, et la poignée reste froide.",
                "Après {months} mois d'utilisation quotidienne, c'est comme neuf.",
                "Un bœuf bourguignon a mijoté trois heures sans accrocher au fond.",
            ],
            "mixed": [
                "Bonne qualité, mais c'est plus lourd que prévu.",
                "Fonctionne bien, même si la poignée chauffe sur le gaz.",
                "Bien, mais le lave-vaisselle a terni la finition.",
            ],
            "bad": [
                "Le fond s'est déformé au bout de quelques semaines, ça bouge sur la plaque.",
                "Tout attache et brûle au fond, malgré toutes mes précautions.",
                "La poignée a pris du jeu au bout de {weeks} semaines.",
                "Des rayures et des traces dès le premier lavage.",
            ],
        },
    },
    "kitchen": {
        "en": {
            "good": [
                "Does its job perfectly and looks good on the worktop.",
                "Solid build, nothing feels cheap.",
                "Easy to clean, and dishwasher-safe where it says so.",
                "I use it every day and it has not let me down in {months} months.",
                "Excellent for the price; better than the big-brand one it replaced.",
            ],
            "mixed": [
                "Works well, but it's louder than I expected.",
                "Good, although the finish marks easily.",
                "Decent, but a few small design details could be better.",
            ],
            "bad": [
                "It stopped working after {weeks} weeks.",
                "Cheap feel: the plastic parts already have cracks.",
                "It leaks, so I can't use it for what I bought it for.",
                "Customer service asked for photos and then went quiet.",
            ],
        },
        "fr": {
            "good": [
                "Fait parfaitement son travail, et c'est joli sur le plan de travail.",
                "Construction solide, rien ne fait bon marché.",
                "Facile à nettoyer, et ça passe au lave-vaisselle comme indiqué.",
                "Utilisation quotidienne depuis {months} mois, jamais de souci.",
                "Excellent pour le prix, mieux que le modèle de grande marque que ça remplace.",
            ],
            "mixed": [
                "Fonctionne bien, mais c'est plus bruyant que prévu.",
                "Bien, même si la finition marque facilement.",
                "Correct, mais quelques petits détails de conception pourraient être améliorés.",
            ],
            "bad": [
                "Ne fonctionne plus au bout de {weeks} semaines.",
                "Ça fait bon marché : le plastique est déjà fissuré.",
                "Ça fuit, donc inutilisable pour ce que je voulais en faire.",
                "Le service client a demandé des photos, puis plus de nouvelles.",
            ],
        },
    },
    "audio": {
        "en": {
            "good": [
                "Sound is clear and balanced, with bass that doesn't drown everything else.",
                "The battery easily lasts a week of commuting.",
                "Pairing with my phone took seconds and reconnection is automatic.",
                "Comfortable for hours, even with glasses.",
                "Calls are clear: colleagues say I sound better than with my laptop mic.",
                "Good value compared with the big brands.",
            ],
            "mixed": [
                "Sound is fine, but the bass is a bit weak at low volume.",
                "Good overall, but the touch controls are too sensitive.",
                "Comfortable, though my ears get warm after an hour.",
            ],
            "bad": [
                "The Bluetooth connection drops several times per trip.",
                "The battery lasts barely half of what is advertised.",
                "One side stopped working after {weeks} weeks.",
                "Uncomfortable: a pressure headache after thirty minutes.",
            ],
        },
        "fr": {
            "good": [
                "Son clair et équilibré, des basses présentes sans tout écraser.",
                "La batterie tient facilement une semaine de trajets.",
                "Appairage en quelques secondes avec mon téléphone, et la reconnexion est automatique.",
                "Confortable pendant des heures, même avec des lunettes.",
                "Appels clairs : mes collègues disent que c'est mieux qu'avec le micro du portable.",
                "Bon rapport qualité-prix face aux grandes marques.",
            ],
            "mixed": [
                "Le son est correct, mais les basses manquent un peu à faible volume.",
                "Bien dans l'ensemble, mais les commandes tactiles sont trop sensibles.",
                "Confortable, même si les oreilles chauffent au bout d'une heure.",
            ],
            "bad": [
                "La connexion Bluetooth coupe plusieurs fois par trajet.",
                "La batterie tient à peine la moitié de l'autonomie annoncée.",
                "Un côté ne fonctionne plus au bout de {weeks} semaines.",
                "Inconfortable : mal de tête au bout de trente minutes.",
            ],
        },
    },
    "backpack": {
        "en": {
            "good": [
                "Carries {kg_pack} kg comfortably; the hip belt takes the weight off the shoulders.",
                "Lots of well-thought-out pockets: I find everything without emptying the bag.",
                "The back ventilation really works, much less sweaty than my old pack.",
                "Stitching and zips look built to last.",
                "Survived a downpour with everything inside dry.",
                "The adjustable straps make it fit well even on my small frame.",
            ],
            "mixed": [
                "Good pack, but the side pockets are too tight for a 1-litre bottle.",
                "Comfortable, though the shoulder straps could be more padded.",
                "Nice, but a bit heavy empty.",
            ],
            "bad": [
                "A shoulder strap started to tear at the seam after {n} hikes.",
                "The main zip broke on the second trip.",
                "Very uncomfortable: the frame digs into my back.",
                "The fabric soaked through in light rain.",
            ],
        },
        "fr": {
            "good": [
                "Porte {kg_pack} kg confortablement, la ceinture soulage bien les épaules.",
                "Beaucoup de poches bien pensées : je trouve tout sans vider le sac.",
                "La ventilation du dos fonctionne vraiment, on transpire beaucoup moins qu'avec mon ancien sac.",
                "Les coutures et les fermetures éclair ont l'air faites pour durer.",
                "Une grosse averse, et tout est resté sec à l'intérieur.",
                "Les réglages permettent un bon ajustement, même pour un petit gabarit.",
            ],
            "mixed": [
                "Bon sac, mais les poches latérales sont trop étroites pour une gourde d'un litre.",
                "Confortable, même si les bretelles pourraient être plus rembourrées.",
                "Bien, mais un peu lourd à vide.",
            ],
            "bad": [
                "Une bretelle a commencé à se découdre après {n} sorties.",
                "La fermeture principale a cassé dès la deuxième sortie.",
                "Très inconfortable : l'armature rentre dans le dos.",
                "Le tissu a pris l'eau sous une petite pluie.",
            ],
        },
    },
}

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
            "Very good, small niggles",
            "Great, with one reservation",
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
            "Très bien, quelques détails",
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
PLACES: dict[str, list[str]] = {
    "en": ["Brittany", "the Lake District", "the Vosges", "Scotland", "the Dordogne", "Cornwall", "the Pyrenees"],
    "fr": ["Bretagne", "Ardèche", "Savoie", "Dordogne", "Corse", "Vendée", "Haute-Loire"],
}


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
