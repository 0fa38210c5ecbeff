"""Topics, the phrase lists that find them in a review, the tags found, and the teams that
read them.

The topics are a fixed list (TopicKey): a team subscribes to them and the figures compare
them month by month, so they are not renamed or invented on the fly. What quality directors
edit is the phrases that find each topic, per language. A tag keeps the phrase that matched
it, so the desk can always show why a review was tagged (no black box).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from products.models import Category
from reviews.models import Review

PHRASE_MAX_LENGTH = 80
TOPIC_LANGUAGES = (("en", _("English")), ("fr", _("French")))


class TopicKey(models.TextChoices):
    """The topics, in the order pages list them. ``other`` is a review that speaks of none of the rest."""

    DELIVERY = "delivery", _("Delivery")
    QUALITY = "quality", _("Quality and durability")
    SIZE = "size", _("Size and fit")
    PRICE = "price", _("Price and value")
    SERVICE = "service", _("Customer service")
    SETUP = "setup", _("Instructions and set-up")
    OTHER = "other", _("Other")


class Topic(models.Model):
    """One of TopicKey's topics (rows made by migration 0002): a row so that teams, phrases
    and tags refer to it with a foreign key the database checks."""

    key = models.CharField(_("key"), max_length=20, unique=True, choices=TopicKey.choices)
    position = models.PositiveSmallIntegerField(_("position"), unique=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.CheckConstraint(condition=Q(key__in=TopicKey.values), name="topics_topic_key_known"),
        ]

    def __str__(self) -> str:
        return str(TopicKey(self.key).label)


class TopicPhrase(models.Model):
    """A phrase that finds a topic in reviews of one language, as a quality director wrote it
    ("arrived late", "livraison"). ``stems`` is its words' stems, the form the tagger matches."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="phrases", verbose_name=_("topic"))
    language = models.CharField(_("language"), max_length=2, choices=TOPIC_LANGUAGES)
    phrase = models.CharField(_("phrase"), max_length=PHRASE_MAX_LENGTH)
    stems = models.CharField(_("stems"), max_length=4 * PHRASE_MAX_LENGTH, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["topic__position", "language", "phrase"]
        verbose_name = _("topic phrase")
        verbose_name_plural = _("topic phrases")
        constraints = [
            # One meaning per phrase: the same stems never find two topics in one language.
            models.UniqueConstraint(fields=["language", "stems"], name="topics_phrase_unique_stems"),
            models.CheckConstraint(condition=Q(language__in=["en", "fr"]), name="topics_phrase_language_known"),
            models.CheckConstraint(condition=Q(stems__regex=r"\S"), name="topics_phrase_has_stems"),
            models.CheckConstraint(
                condition=Q(phrase__regex=r"^\S(.*\S)?$"),
                name="topics_phrase_trimmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.language})"


class PhraseListGeneration(models.Model):
    """How many times one language's phrase lists changed: bumped in the transaction of every
    phrase added or removed (topics.services). A re-tag pass is queued with the generation of
    its edit and gives way (at its start, and between batches) once a newer one exists, as
    the newer pass re-reads the whole language with the newest lists: edits in a row cost one
    pass, not one each."""

    language = models.CharField(_("language"), max_length=2, choices=TOPIC_LANGUAGES, unique=True)
    generation = models.PositiveBigIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("phrase list generation")
        verbose_name_plural = _("phrase list generations")

    def __str__(self) -> str:
        return f"{self.language}: {self.generation}"


class ReviewTopic(models.Model):
    """A topic found in a review, with the phrase that found it and the words it matched."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="topic_tags")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="review_tags")
    # The list's phrase that matched (null for ``other``, or once a director deletes the phrase:
    # ``matched`` still says what was read).
    phrase = models.ForeignKey(TopicPhrase, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    matched = models.CharField(_("words matched"), max_length=200, blank=True)
    # The match followed a negation ("not comfortable", "pas confortable"): the review speaks of
    # the topic, to say it lacks it.
    negated = models.BooleanField(_("negated"), default=False)
    tagged_at = models.DateTimeField(_("tagged at"))

    class Meta:
        verbose_name = _("review topic")
        verbose_name_plural = _("review topics")
        constraints = [
            models.UniqueConstraint(fields=["review", "topic"], name="topics_reviewtopic_once_per_review"),
        ]
        indexes = [models.Index(fields=["topic", "review"], name="topics_reviewtopic_topic")]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.topic}"


class Team(models.Model):
    """People who act on some topics and categories (logistics: delivery, everywhere; the tent
    team: every topic, in tents). A review is a team's when it speaks of one of its topics (any,
    when it names none) in one of its categories (any, when it names none)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="teams", blank=True, verbose_name=_("members")
    )
    topics = models.ManyToManyField(Topic, related_name="teams", blank=True, verbose_name=_("topics"))
    categories = models.ManyToManyField(Category, related_name="teams", blank=True, verbose_name=_("categories"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.CheckConstraint(condition=Q(name__regex=r"\S"), name="topics_team_named")]

    def __str__(self) -> str:
        return self.name


class TeamDigest(models.Model):
    """A member's daily digest of their teams' new reviews: at most one per person and day,
    whatever repeats or restarts the task (the row is written with the email, in one transaction)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    review_count = models.PositiveIntegerField(_("reviews"))
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("team digest")
        verbose_name_plural = _("team digests")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="topics_teamdigest_once_a_day")]
