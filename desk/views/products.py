"""The products and their reviews: the product list with the gate's figures now, a
product's reviews narrowed by revision, stars, phrase or topic (each review with its topics
and the words that found them), its invitation figures of the last 12 months
(desk.invitation_figures), and the brand's reply.

Managers read their products, quality directors and company readers every product
(reader_required, desk.selectors.desk_readable_products); only those who act reply
(manager_required, desk.selectors.desk_products)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.requests import acting_user
from core.errors import DomainError
from core.http import safe_next_url
from core.local_formats import threshold_text
from core.strict_numbers import ascii_int, ascii_page_number
from core.url_converters import sku_reverse
from desk import selectors, services
from desk.forms import ReplyForm
from desk.kpis import KpiRow
from desk.selectors.invitations import invitation_facts, invitation_rows
from desk.selectors.review_topics import review_topic_choices, review_topics_attach, reviews_about_topic
from desk.versions import version_labels
from desk.views.common import manager_required, reader_required, refused, render_desk
from desk.views.notice_chart import product_chart
from gate.policy import GatePolicy
from gate.services import ADDRESSED_PHRASE_MAX_LENGTH
from products.models import STARS, Product
from reviews.forms import form_add_domain_error
from reviews.models import Review
from topics.models import Topic

PRODUCTS_PAGE_SIZE = 25
REVIEWS_PAGE_SIZE = 10
# A phrase searched for is one the desk offers (a complaint phrase, or one an improvement
# addresses): no longer than a phrase an improvement may address.
PHRASE_SEARCH_MAX_LENGTH = ADDRESSED_PHRASE_MAX_LENGTH
# A group of ratings (the product list's "low-rated" link) or one rating (each bar of a
# notice's histogram opens its own stars).
STAR_CHOICES = {"low": [1, 2], "mid": [3], "high": [4, 5], **{str(n): [n] for n in STARS}}
# The product page's invitation figures: the last 12 months (as the key figures' period
# "Last 12 months"), month by month.
INVITATION_FIGURE_DAYS = 365


class ReviewTopicFilterForm(forms.Form):
    """``?topic=<key>``: one of the topics' keys (topics.models.TopicKey), or none."""

    topic = forms.ChoiceField(
        label=gettext_lazy("Topic"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a topic from the list: “%(value)s” is not one.")},
    )

    def __init__(self, *args: object, topics: list[Topic], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["topic"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", gettext_lazy("All topics")), *((topic.key, str(topic)) for topic in topics)]


@reader_required
@require_GET
def product_list(request: HttpRequest) -> HttpResponse:
    products = selectors.desk_product_summaries(user=request.user)
    page = Paginator(products, PRODUCTS_PAGE_SIZE).get_page(ascii_page_number(request.GET.get("page")))
    policy = selectors.desk_policy()
    today = selectors.desk_today(policy)
    figures = selectors.product_current_figures(
        product_ids=[p.pk for p in page.object_list], today=today, policy=policy
    )
    rows = [
        (product, selectors.notice_figures(count=c, total=t, policy=policy))
        for product in page.object_list
        for c, t in [figures.get(product.pk, (0, 0))]
    ]
    return render_desk(
        request,
        "desk/product_list.html",
        {"page": page, "rows": rows, "threshold": threshold_text(policy.threshold), "policy": policy},
    )


def _chosen_revision(request: HttpRequest, product: Product) -> int:
    """The revision asked for, else the current one."""
    revision = ascii_int(request.GET.get("revision", product.revision), maximum=product.revision)
    return product.revision if revision is None else revision


def product_invitation_rows(request: HttpRequest, product: Product, policy: GatePolicy) -> list[KpiRow]:
    """The product's invitation figures per month of the last 12 months, then their total
    (``product`` is one of the user's: desk_product_get found it)."""
    last = selectors.desk_today(policy)
    first = last - timedelta(days=INVITATION_FIGURE_DAYS - 1)
    facts = invitation_facts(user=request.user, first=first, last=last, group="month", policy=policy, product=product)
    return invitation_rows(
        facts,
        group="month",
        first=first,
        last=last,
        month_label=lambda day: date_format(day, "YEAR_MONTH_FORMAT"),
        no_category=_("(no category)"),
        total_label=_("Last 12 months"),
    )


@reader_required
@require_GET
def product_reviews(request: HttpRequest, sku: str) -> HttpResponse:
    try:
        product = selectors.desk_product_get(user=request.user, sku=sku)
    except Product.DoesNotExist as exc:
        raise Http404 from exc
    revision = _chosen_revision(request, product)
    stars_choice = request.GET.get("stars", "")
    phrase = request.GET.get("phrase", "").replace("\x00", "").strip()[:PHRASE_SEARCH_MAX_LENGTH]
    # An unknown topic is the form's error (400), and the list is shown without it.
    topic_form = ReviewTopicFilterForm(request.GET, topics=review_topic_choices())
    topic_key = topic_form.cleaned_data["topic"] if topic_form.is_valid() else ""
    reviews = selectors.desk_review_list(
        product=product, revision=revision, stars=STAR_CHOICES.get(stars_choice), phrase=phrase
    )
    if topic_key:
        reviews = reviews_about_topic(reviews, product=product, topic_key=topic_key)
    page = Paginator(reviews, REVIEWS_PAGE_SIZE).get_page(ascii_page_number(request.GET.get("page")))
    review_topics_attach(list(page.object_list))
    policy = selectors.desk_policy()
    return render_desk(
        request,
        "desk/product_reviews.html",
        {
            "product": product,
            "page": page,
            "reviews": page.object_list,
            "revision": revision,
            "version_labels": version_labels(product, mark_current=True),
            "stars_choice": stars_choice,
            "star_values": list(reversed(STARS)),
            "phrase": phrase,
            "phrase_max_length": PHRASE_SEARCH_MAX_LENGTH,
            "topic_form": topic_form,
            "topic_key": topic_key,
            "show_topics": True,
            "count": len(reviews),
            "notice": selectors.withdrawal_notice_for_product(product=product),
            "invitation_rows": product_invitation_rows(request, product, policy),
            "chart": product_chart(product, today=selectors.desk_today(policy), policy=policy),
            "policy": policy,
        },
        status=200 if topic_form.is_valid() else 400,
    )


@manager_required
def review_reply(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = selectors.desk_review_get(user=request.user, pk=pk)
    except Review.DoesNotExist as exc:
        raise Http404 from exc
    product_reviews_url = sku_reverse("desk:product_reviews", sku=review.product.sku)
    back = safe_next_url(request, product_reviews_url or reverse("desk:products"))
    existing = getattr(review, "brand_reply", None) if hasattr(review, "brand_reply") else None
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                posted = services.desk_reply_post(
                    review=review, by=acting_user(request), body=form.cleaned_data["body"]
                )
            except DomainError as error:
                if error.http_status != 400:
                    return refused(request, error, back_url=back)
                form_add_domain_error(form, error)
            else:
                if posted.author_emailed:
                    messages.success(request, _("Reply published. Its author has been emailed."))
                else:
                    messages.success(request, _("Reply published."))
                return redirect(f"{back}#review-{review.pk}" if "#" not in back else back)
        status = 400
    elif request.method == "GET":
        form = ReplyForm(initial={"body": existing.body} if existing else None)
    else:
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    return render_desk(
        request,
        "desk/review_reply.html",
        {"review": review, "product": review.product, "form": form, "existing": existing, "back": back},
        status=status,
    )
