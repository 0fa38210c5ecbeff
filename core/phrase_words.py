"""The word lists core.phrases reads text with: negations, grammar words, words true of
any product, and light verbs, in English and French. Pure data (no Django)."""

from __future__ import annotations

__all__ = ["GENERIC_WORDS", "NEGATIONS", "NOT_LAST", "STOP_WORDS"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Negations carry the complaint ("not waterproof"): allowed to open a phrase, never to end one.
# English also as typed without the apostrophe ("didnt fit"), as reviews often are.
NEGATIONS: dict[str, frozenset[str]] = {
    "en": _words("""not no never nothing nor don't doesn't didn't isn't wasn't aren't weren't won't wouldn't can't
        cannot couldn't hasn't haven't hadn't shouldn't
        dont doesnt didnt isnt wasnt arent werent wont wouldnt cant couldnt hasnt havent hadnt shouldnt"""),
    "fr": _words("pas jamais rien aucun aucune ni sans"),
}

_GRAMMAR_WORDS: dict[str, frozenset[str]] = {
    "en": _words("""a an the is and or but if then than so as at by for from in into of off on onto out over to up
        with within without about after again against all am any are be been before being below between
        both did do does doing down during each few further had has have having he her here hers herself
        him himself his how i i'd i'll i'm i've it it's its itself just me more most my myself once only
        other our ours ourselves own same she should some such that that's their theirs them themselves
        there these they this those through too under until very was we were what when where which while
        who whom why will would you your yours yourself also even still really quite much many lot lots
        get got gets getting one two can could may might must shall let's there's they're we're you're
        he's she's what's who's here's isn way back well bit now ever every since yet again though
        although because however yes ok okay along already around across almost away behind beside
        besides beyond near per via upon whether us least three four five"""),
    "fr": _words("""le la les l' un une des du de d' au aux ce cet cette ces ça cela ceci mon ma mes ton ta tes son sa
        ses notre nos votre vos leur leurs je tu il elle on nous vous ils elles me te se lui moi toi y en que
        qui quoi dont où et ou mais donc or car à dans par pour sur avec sous chez vers entre est sont
        était étaient être été avoir a ai as avons avez ont avait avaient eu fait faire c'est j'ai n'est
        n'a n'ai s'est qu'il qu'elle qu'on l'ai l'a d'un d'une c'était il y ne plus très trop bien tout
        tous toute toutes même aussi encore déjà si comme alors puis après avant quand fois peu beaucoup
        assez vraiment ici là cet ceux celle celles celui dès lors lorsque puisque parce quelque quelques
        sont ses soit sera seront suis es êtes sommes depuis pendant selon contre malgré toujours chaque
        autre autres deux trois quatre cinq"""),
}

# Words that say how a customer feels or when, true of any product ("avoid", "refund",
# "disappointed", "weeks"): they would top every list and name no fault. Read as stop-words.
GENERIC_WORDS: dict[str, frozenset[str]] = {
    "en": _words("""avoid avoided disappointed disappointing disappointment refund refunded return returned returning
        recommend recommended money waste buy bought buying purchase purchased product products item quality
        poor bad terrible awful worst horrible rubbish useless star stars review reviews brand good great
        nice excellent perfect love loved happy use used using came come comes went go goes going thing
        things time times day days week weeks month months year years first second last new old again
        expected expect expecting save let"""),
    "fr": _words("""éviter évitez déçu déçue déçus déception décevant remboursement rembourser remboursé recommande
        recommander recommandé argent acheté achetée achat acheter produit produits article qualité mauvais
        mauvaise nul nulle médiocre horrible marque bon bonne bien super parfait parfaite utilisé utilisée
        utilisation utiliser passez chemin jour jours semaine semaines mois an ans année années fois premier
        dernier dernière nouveau nouvelle ancien ancienne attendais attendait retour retourne retourner
        retournée renvoyé renvoyée"""),
}

# Light verbs: they open a phrase well enough ("keeps disconnecting") but never end one
# ("noise cancelling makes", "the groundsheet takes").
NOT_LAST: dict[str, frozenset[str]] = {
    "en": _words("""make makes made take takes took give gives gave keep keeps kept seem seems seemed look looks
        looked say says said put puts want wants wanted need needs needed feel feels felt tried try tries"""),
    "fr": _words("""fait font faisait met mettre prend prennent prendre donne donnent donner semble semblent
        dit dire veut voulait faut"""),
}

# Grammar words, negations (never alone or last) and generic words: none starts or ends a phrase.
STOP_WORDS: dict[str, frozenset[str]] = {
    code: _GRAMMAR_WORDS[code] | NEGATIONS[code] | GENERIC_WORDS[code] for code in _GRAMMAR_WORDS
}
