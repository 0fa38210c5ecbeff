"""The topics' phrase lists (docs/topics.md): every topic with its English and French phrases,
who added each and when, and how many reviews each tags now.

Quality directors add and remove phrases here (they have no admin access); company readers
and product managers read the same lists without a form, so anyone can see why a review was
tagged. The page says how tagging reads a review, in plain words: no black box.
Both forms post to the page's own address (desk.views.common.page_with_forms; a removal names
its phrase in a hidden field) and redirect after success with a message; a refusal of
topics.services re-renders the page at its address: on the form it answers, or for a removal
("someone removed it already") as an alert above the lists. Never a server error, nor the
desk's generic refusal page. The removal keeps its own route for scripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.requests import acting_user
from accounts.roles import user_is_quality_director, user_reads_every_product
from core.errors import DomainError, NotAllowed, NotFound
from core.strict_numbers import ascii_int
from desk.topic_forms import TopicPhraseForm
from desk.views.common import can_manage, refused, render_desk, signed_in
from products.access import products_readable_by
from reviews.forms import form_add_domain_error
from topics.models import ReviewTopic, Topic, TopicKey, TopicPhrase
from topics.services import topic_phrase_add, topic_phrase_remove

# The languages the lists are kept in, in the order the page shows them.
LIST_LANGUAGES = ("en", "fr")


def user_reads_topic_phrases(user: User | AnonymousUser) -> bool:
    """Company readers, product managers and quality directors: the lists explain the tags
    every one of them reads on the desk."""
    return user_reads_every_product(user) or can_manage(user)


@dataclass(frozen=True)
class PhraseRow:
    phrase: TopicPhrase
    reviews: int  # reviews this phrase tags now


@dataclass(frozen=True)
class TopicRows:
    topic: Topic
    by_language: dict[str, list[PhraseRow]] = field(default_factory=dict)

    @property
    def has_phrases(self) -> bool:
        return self.topic.key != TopicKey.OTHER

    @property
    def languages(self) -> list[tuple[str, list[PhraseRow]]]:
        return [(language, self.by_language.get(language, [])) for language in LIST_LANGUAGES]


def phrase_review_counts(user: User | AnonymousUser) -> dict[int, int]:
    """How many reviews each phrase tags now, among the products ``user`` reads (a manager's
    own; every product for directors and readers), in one aggregate query (id -> count)."""
    tags = ReviewTopic.objects.filter(phrase__isnull=False)
    if not user_reads_every_product(user):
        tags = tags.filter(review__product__in=products_readable_by(user))
    counts = tags.values("phrase").annotate(reviews=Count("review", distinct=True)).values_list("phrase", "reviews")
    return dict(counts)


def topic_phrase_rows(topics: list[Topic], user: User | AnonymousUser) -> list[TopicRows]:
    """Every topic with its phrases per language, each with the reviews it tags among the
    user's products: three queries whatever the number of phrases (topics, phrases with
    their author, counts)."""
    counts = phrase_review_counts(user)
    rows = {topic.pk: TopicRows(topic=topic) for topic in topics}
    for phrase in TopicPhrase.objects.select_related("created_by").order_by(
        "topic__position", "language", Lower("phrase")
    ):
        row = PhraseRow(phrase=phrase, reviews=counts.get(phrase.pk, 0))
        rows[phrase.topic_id].by_language.setdefault(phrase.language, []).append(row)
    return list(rows.values())


def _page(
    request: HttpRequest,
    form: TopicPhraseForm | None,
    topics: list[Topic],
    status: int = 200,
    *,
    removal_refused: str = "",
) -> HttpResponse:
    can_edit = user_is_quality_director(request.user)
    context: dict[str, Any] = {
        "rows": topic_phrase_rows(topics, request.user),
        "can_edit": can_edit,
        # Readers get the lists without any form.
        "form": (form or TopicPhraseForm(topics=topics)) if can_edit else None,
        "removal_refused": removal_refused,
    }
    return render_desk(request, "desk/topic_phrases.html", context, status)


def page_url(anchor: str = "") -> str:
    url = reverse("desk:topic_phrases")
    return f"{url}#{anchor}" if anchor else url


def topic_phrases(request: HttpRequest) -> HttpResponse:
    """The lists (GET) and a director's new phrase (POST). Sign-in and the role come first,
    as on every desk page, then the method."""
    return signed_in(require_http_methods(["GET", "POST"])(_topic_phrases), user_reads_topic_phrases)(request)


def _topic_phrases(request: HttpRequest) -> HttpResponse:
    topics = list(Topic.objects.order_by("position"))
    if request.method != "POST":
        return _page(request, None, topics)
    if not user_is_quality_director(request.user):
        raise PermissionDenied
    form = TopicPhraseForm(request.POST, topics=topics)
    if not form.is_valid():
        return _page(request, form, topics, 400)
    topic = form.chosen_topic()
    language = form.cleaned_data["language"]
    try:
        added = topic_phrase_add(
            topic=topic, language=language, phrase=form.cleaned_data["phrase"], by=acting_user(request)
        )
    except NotAllowed as error:
        return refused(request, error, back_url=page_url())
    except DomainError as error:
        form_add_domain_error(form, error)
        return _page(request, form, topics, error.http_status)
    messages.success(
        request,
        _(
            "“%(phrase)s” now finds %(topic)s in %(language)s reviews. Reviews are being tagged "
            "again in the background: the counts change when that is done."
        )
        % {"phrase": added.phrase, "topic": topic, "language": added.get_language_display()},
    )
    # No anchor: the message above the lists must be in view.
    return redirect(page_url())


def user_edits_topic_phrases(user: User | AnonymousUser) -> bool:
    return user_is_quality_director(user)


@require_POST
def _topic_phrase_delete(request: HttpRequest, pk: int) -> HttpResponse:
    phrase = TopicPhrase.objects.select_related("topic").filter(pk=pk).first()
    try:
        if phrase is None:  # the service's own words for it, as when it is removed meanwhile
            raise NotFound(_("This phrase is no longer listed: someone removed it already."))
        topic_phrase_remove(phrase=phrase, by=acting_user(request))
    except DomainError as error:
        topics = list(Topic.objects.order_by("position"))
        return _page(request, None, topics, error.http_status, removal_refused=error.message)
    messages.success(
        request,
        _(
            "“%(phrase)s” no longer finds %(topic)s. Reviews are being tagged again in the "
            "background: those it tagged get another phrase's topic, or “Other”."
        )
        % {"phrase": phrase.phrase, "topic": phrase.topic},
    )
    return redirect(page_url())


def _topic_phrase_delete_from_page(request: HttpRequest) -> HttpResponse:
    """The removal form as posted to the page's own address: its phrase in a hidden field."""
    pk = ascii_int(request.POST.get("phrase_id", ""), minimum=1)
    if pk is None:
        raise Http404
    return _topic_phrase_delete(request, pk)


topic_phrase_delete = signed_in(_topic_phrase_delete, user_edits_topic_phrases)
topic_phrase_delete_from_page = signed_in(_topic_phrase_delete_from_page, user_edits_topic_phrases)
