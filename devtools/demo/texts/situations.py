"""Where a review starts: the usage context of each category (children's products have
their own) and the details per kind of product and rating band.

A fragment that starts with "[trait] " suits only the products whose spec has that trait
(devtools.demo.catalogue.specs.ProductSpec.traits): "louder than I expected" is "[noisy]",
which a kettle is and a lunch box is not. `devtools.demo.composing` drops the mark."""

from __future__ import annotations

from devtools.demo.texts.fragments import Fragments

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
            "[cooking] I cook every evening for a family of four.",
            "It replaced a ten-year-old one that had finally given up.",
            "[cooking] I'm a keen home cook and use {this} almost daily.",
            "[hob] Bought {this} when we moved into a flat with an induction hob.",
            "Used for {months} months now.",
            "A wedding present we chose ourselves.",
            "[lunch] I take {this} to work every day, soup in winter and salads in summer.",
        ],
        "fr": [
            "[cooking] Je cuisine tous les soirs pour une famille de quatre.",
            "En remplacement d'un ancien modèle qui avait dix ans.",
            "[cooking] Je cuisine beaucoup et j'utilise {this} presque tous les jours.",
            "[hob] Achat lors de notre emménagement dans un appartement avec plaque à induction.",
            "Utilisation quotidienne depuis {months} mois.",
            "Cadeau de mariage choisi par nos soins.",
            "[lunch] Je l'emporte au travail tous les jours, soupe en hiver et salades en été.",
        ],
    },
    "headphones": {
        "en": [
            "[commute] I use {this} on my commute, about an hour on the train each day.",
            "[sport] Mainly for the gym and running.",
            "[mic] I work from home and spend hours on video calls.",
            "Bought to replace a pair I left on a plane.",
            "I listen to a lot of podcasts and some classical music.",
            "Used {months} months, almost every day.",
            "[gaming] Mostly for gaming in the evening, often three hours in a row.",
            "[swim] I swim lengths three times a week.",
        ],
        "fr": [
            "[commute] J'utilise {this} dans les transports, environ une heure de train par jour.",
            "[sport] Surtout pour la salle de sport et la course à pied.",
            "[mic] Je suis en télétravail et je passe des heures en visio.",
            "Achat pour remplacer une paire oubliée dans un avion.",
            "J'écoute surtout des podcasts et un peu de musique classique.",
            "Utilisation presque quotidienne depuis {months} mois.",
            "[gaming] Surtout pour jouer le soir, souvent trois heures d'affilée.",
            "[swim] Je nage trois fois par semaine, en bassin.",
        ],
    },
    "hiking-backpacks": {
        "en": [
            "[trek] Used on a {n}-day hut-to-hut trek in the Alps.",
            "[hiking] I hike most weekends, usually 15 to 25 km.",
            "[hiking] Took it on a week of hiking in the Pyrenees.",
            "[hip_belt] I'm 1.{height} m tall and carried about {kg_pack} kg.",
            "[hiking] Mainly for day hikes with the kids.",
            "Used for a city break and two weekends in the hills.",
            "[travel] Taken on {n} flights as my only bag.",
        ],
        "fr": [
            "[trek] Utilisation lors d'un trek de {n} jours de refuge en refuge dans les Alpes.",
            "[hiking] Je randonne presque tous les week-ends, en général 15 à 25 km.",
            "[hiking] Test grandeur nature : une semaine de randonnée dans les Pyrénées.",
            "[hip_belt] Je mesure 1,{height} m et je portais environ {kg_pack} kg.",
            "[hiking] Surtout pour des randonnées à la journée avec les enfants.",
            "Utilisation pour un week-end en ville et deux sorties en montagne.",
            "[travel] Emporté sur {n} vols comme seul bagage.",
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
                "[bag] The comfort rating is a bit optimistic: I was cold at {temp} °C.",
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
                "[bag] La température de confort est un peu optimiste : j'ai eu froid à {temp} °C.",
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
                "[plastic] A plastic clip snapped on the second use.",
                "It broke after {weeks} weeks of occasional use.",
                "Poor finish: sharp edges and a loose part straight out of the box.",
                "[electric] It stopped working properly during our first holiday.",
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
                "[plastic] Un clip en plastique a cassé dès la deuxième utilisation.",
                "Cassé au bout de {weeks} semaines d'usage occasionnel.",
                "Finitions médiocres : arêtes coupantes et une pièce desserrée dès le déballage.",
                "[electric] Ne fonctionne plus correctement depuis nos premières vacances.",
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
                "[mount] Fitted in two minutes without tools.",
                "Well made and reassuringly solid.",
                "It has been through a whole winter of commuting and still works like new.",
                "Does exactly what it says, no fuss.",
                "Good value: I've paid more for worse.",
                "[tyre] Not a single puncture in {months} months of city streets strewn with glass.",
            ],
            "mixed": [
                "[mount] Works well, but the fixing could be sturdier.",
                "Good overall, though a bit heavier than I expected.",
                "Does the job; the instructions could be clearer.",
            ],
            "bad": [
                "[mount] The mount cracked within {weeks} weeks.",
                "[electric] It stopped working after the first heavy rain.",
                "[plastic] Feels cheap: the plastic parts flex and creak.",
                "Gave up after {weeks} weeks of commuting.",
                "[tyre] Punctured twice in {weeks} weeks despite the anti-puncture layer.",
            ],
        },
        "fr": {
            "good": [
                "[mount] Installation en deux minutes, sans outils.",
                "Fabrication sérieuse, ça inspire confiance.",
                "Un hiver entier de trajets quotidiens et ça fonctionne toujours comme au premier jour.",
                "Fait exactement ce qui est annoncé, sans chichis.",
                "Bon rapport qualité-prix, j'ai déjà payé plus cher pour moins bien.",
                "[tyre] Pas une crevaison en {months} mois de rues pleines de verre.",
            ],
            "mixed": [
                "[mount] Fonctionne bien, mais la fixation pourrait être plus robuste.",
                "Bien dans l'ensemble, mais c'est un peu plus lourd que prévu.",
                "Fait le travail, la notice pourrait être plus claire.",
            ],
            "bad": [
                "[mount] La fixation s'est fendue en {weeks} semaines.",
                "[electric] Ne fonctionne plus depuis la première grosse pluie.",
                "[plastic] Ça fait bon marché : le plastique plie et grince.",
                "Hors d'usage après {weeks} semaines de trajets.",
                "[tyre] Deux crevaisons en {weeks} semaines malgré la couche anti-crevaison.",
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
                "[worktop] Does its job perfectly and looks good on the worktop.",
                "Solid build, nothing feels cheap.",
                "Easy to clean, and dishwasher-safe where it says so.",
                "I use it every day and it has not let me down in {months} months.",
                "Excellent for the price; better than the big-brand one it replaced.",
                "[blade] Razor sharp out of the box, and it still holds its edge.",
                "[insulated] Soup is still hot at lunchtime, five hours later.",
            ],
            "mixed": [
                "[noisy] Works well, but it's louder than I expected.",
                "Good, although the finish marks easily.",
                "Decent, but a few small design details could be better.",
            ],
            "bad": [
                "[electric] It stopped working after {weeks} weeks.",
                "[plastic] Cheap feel: the plastic parts already have cracks.",
                "[liquid] It leaks, so I can't use it for what I bought it for.",
                "Customer service asked for photos and then went quiet.",
                "[blade] The edge chipped within {weeks} weeks.",
                "[wood] One board split along a glue line after a few washes.",
                "[insulated] By midday the food is barely lukewarm.",
            ],
        },
        "fr": {
            "good": [
                "[worktop] Fait parfaitement son travail, et c'est joli sur le plan de travail.",
                "Construction solide, rien ne fait bon marché.",
                "Facile à nettoyer, et ça passe au lave-vaisselle comme indiqué.",
                "Utilisation quotidienne depuis {months} mois, jamais de souci.",
                "Excellent pour le prix, mieux que le modèle de grande marque que ça remplace.",
                "[blade] Très bien affûté à la livraison, et le tranchant tient.",
                "[insulated] La soupe est encore chaude à midi, cinq heures plus tard.",
            ],
            "mixed": [
                "[noisy] Fonctionne bien, mais c'est plus bruyant que prévu.",
                "Bien, même si la finition marque facilement.",
                "Correct, mais quelques petits détails de conception pourraient être améliorés.",
            ],
            "bad": [
                "[electric] Ne fonctionne plus au bout de {weeks} semaines.",
                "[plastic] Ça fait bon marché : le plastique est déjà fissuré.",
                "[liquid] Ça fuit, donc inutilisable pour ce que je voulais en faire.",
                "Le service client a demandé des photos, puis plus de nouvelles.",
                "[blade] Le fil s'est ébréché en {weeks} semaines.",
                "[wood] Une planche s'est fendue le long d'un collage après quelques lavages.",
                "[insulated] À midi, le repas est à peine tiède.",
            ],
        },
    },
    "audio": {
        "en": {
            "good": [
                "Sound is clear and balanced, with bass that doesn't drown everything else.",
                "The battery easily lasts a week of commuting.",
                "Pairing with my phone took seconds and reconnection is automatic.",
                "[headband] Comfortable for hours, even with glasses.",
                "[mic] Calls are clear: colleagues say I sound better than with my laptop mic.",
                "Good value compared with the big brands.",
            ],
            "mixed": [
                "Sound is fine, but the bass is a bit weak at low volume.",
                "[touch] Good overall, but the touch controls are too sensitive.",
                "[headband] Comfortable, though my ears get warm after an hour.",
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
                "[headband] Confortable pendant des heures, même avec des lunettes.",
                "[mic] Appels clairs : mes collègues disent que c'est mieux qu'avec le micro du portable.",
                "Bon rapport qualité-prix face aux grandes marques.",
            ],
            "mixed": [
                "Le son est correct, mais les basses manquent un peu à faible volume.",
                "[touch] Bien dans l'ensemble, mais les commandes tactiles sont trop sensibles.",
                "[headband] Confortable, même si les oreilles chauffent au bout d'une heure.",
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
                "[hip_belt] Carries {kg_pack} kg comfortably; the hip belt takes the weight off the shoulders.",
                "Lots of well-thought-out pockets: I find everything without emptying the bag.",
                "[ventilated] The back ventilation really works, much less sweaty than my old pack.",
                "Stitching and zips look built to last.",
                "Survived a downpour with everything inside dry.",
                "The adjustable straps make it fit well even on my small frame.",
            ],
            "mixed": [
                "Good pack, but the side pockets are too tight for a 1-litre bottle.",
                "[straps] Comfortable, though the shoulder straps could be more padded.",
                "Nice, but a bit heavy empty.",
            ],
            "bad": [
                "[straps] A shoulder strap started to tear at the seam after {n} hikes.",
                "The main zip broke on the second trip.",
                "[frame] Very uncomfortable: the frame digs into my back.",
                "The fabric soaked through in light rain.",
            ],
        },
        "fr": {
            "good": [
                "[hip_belt] Porte {kg_pack} kg confortablement, la ceinture soulage bien les épaules.",
                "Beaucoup de poches bien pensées : je trouve tout sans vider le sac.",
                "[ventilated] La ventilation du dos fonctionne vraiment : on transpire bien moins qu'avant.",
                "Les coutures et les fermetures éclair ont l'air faites pour durer.",
                "Une grosse averse, et tout est resté sec à l'intérieur.",
                "Les réglages permettent un bon ajustement, même pour un petit gabarit.",
            ],
            "mixed": [
                "Bon sac, mais les poches latérales sont trop étroites pour une gourde d'un litre.",
                "[straps] Confortable, même si les bretelles pourraient être plus rembourrées.",
                "Bien, mais un peu lourd à vide.",
            ],
            "bad": [
                "[straps] Une bretelle a commencé à se découdre après {n} sorties.",
                "La fermeture principale a cassé dès la deuxième sortie.",
                "[frame] Très inconfortable : l'armature rentre dans le dos.",
                "Le tissu a pris l'eau sous une petite pluie.",
            ],
        },
    },
}
