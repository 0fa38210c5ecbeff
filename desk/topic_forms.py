"""The form a quality director adds a topic's phrase with (desk.views.topic_phrases). It checks
what a browser can be told at once (a topic of the list, a language, a length); the service
(topics.services.topic_phrase_add) decides the rest (a phrase without a word, one whose stems
already find a topic), and its refusal is put back on the form
(reviews.forms.form_add_domain_error)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text_limits import GroupedNumbersCharField
from topics.models import PHRASE_MAX_LENGTH, TOPIC_LANGUAGES, Topic, TopicKey


class TopicPhraseForm(forms.Form):
    topic = forms.TypedChoiceField(
        label=_("Topic"),
        coerce=int,
        error_messages={
            "required": _("Choose the topic the phrase finds."),
            "invalid_choice": _("Choose a topic from the list."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the reviews"),
        choices=[("", _("Choose the language")), *TOPIC_LANGUAGES],
        error_messages={
            "required": _("Choose the language of the reviews the phrase is read in."),
            "invalid_choice": _("Choose English or French."),
        },
    )
    phrase = GroupedNumbersCharField(
        label=_("Phrase"),
        max_length=PHRASE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"maxlength": PHRASE_MAX_LENGTH, "autocomplete": "off"}),
        help_text=_(
            "One or more words as customers write them (“arrived late”, “livraison”). Capitals, "
            "accents of the ending and plural do not matter: the words are compared by their stems."
        ),
        error_messages={
            "required": _("Write the phrase first."),
            "max_length": _("A phrase has at most %(limit_value)s characters (it has %(show_value)s)."),
        },
    )

    def __init__(self, *args: Any, topics: Iterable[Topic] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "Other" is what a review is when no phrase finds anything: it has no phrase of its own.
        self.topics = {topic.pk: topic for topic in topics if topic.key != TopicKey.OTHER}
        field = self.fields["topic"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose the topic")), *((pk, str(topic)) for pk, topic in self.topics.items())]

    def chosen_topic(self) -> Topic:
        """The topic chosen (after is_valid())."""
        return self.topics[self.cleaned_data["topic"]]
