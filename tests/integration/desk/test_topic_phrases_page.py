"""The topics' phrase lists on the desk (issue 17, item 1): quality directors add and remove
phrases through the page; company readers and product managers read the lists without a
form; everyone else is refused. The page shows each phrase's stems, who added it and when,
and how many reviews it tags (one aggregate query), and says how tagging works."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import COMPANY_READER, CUSTOMER_CARE, MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
from core.errors import Conflict, DomainError
from tests.factories import product_create, user_create
from tests.integration.desk.factories import add_review
from topics.models import ReviewTopic, Topic, TopicPhrase
from topics.services import topic_phrase_add

pytestmark = pytest.mark.django_db

PAGE = reverse("desk:topic_phrases")
# The routes of this page: their role matrix is this module's (tests/integration/desk/test_access.py
# checks that every desk route has one).
TOPIC_PHRASES_URL_NAMES = {"desk:topic_phrases", "desk:topic_phrase_delete"}


def delete_url(phrase: TopicPhrase) -> str:
    return reverse("desk:topic_phrase_delete", kwargs={"pk": phrase.pk})


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def services_refusal(**phrase: Any) -> DomainError:
    """The refusal topics.services gives these words (the page must show it as it is: its
    wording is the service's, so it is asked for, not copied here)."""
    with pytest.raises(DomainError) as refusal, transaction.atomic():
        topic_phrase_add(**phrase, by=None)
    return refusal.value


def topic(key: str) -> Topic:
    return Topic.objects.get(key=key)


def listed(
    phrase: str, *, key: str = "delivery", language: str = "en", stems: str = "", by: User | None = None
) -> TopicPhrase:
    """A phrase of the lists written straight into the table (the service is not under test here)."""
    return TopicPhrase.objects.create(
        topic=topic(key), language=language, phrase=phrase, stems=stems or phrase.lower(), created_by=by
    )


@pytest.fixture(autouse=True)
def _lists_start_empty() -> None:
    """The default lists (topics/migrations/0003_default_phrases.py) are not under test here:
    each test lists the phrases it needs."""
    TopicPhrase.objects.all().delete()


@pytest.fixture
def quality_director() -> User:
    return user_create(QUALITY_DIRECTOR, display_name="Marc Director")


@pytest.fixture
def reader() -> User:
    return user_create(COMPANY_READER, display_name="Rita Reader")


@pytest.fixture
def director_client(client: Client, quality_director: User) -> Client:
    client.force_login(quality_director)
    return client


# --- A quality director edits the lists --------------------------------------------------------


def test_a_director_adds_a_phrase_and_its_stems_are_stored(director_client: Client, quality_director: User) -> None:
    response = director_client.post(
        PAGE, {"topic": topic("delivery").pk, "language": "en", "phrase": "  Arrived LATE "}
    )

    assert response.status_code == 302
    assert response["Location"] == PAGE
    added = TopicPhrase.objects.get(phrase="Arrived LATE")
    assert (added.topic.key, added.language, added.stems, added.created_by) == (
        "delivery",
        "en",
        "arriv late",
        quality_director,
    )
    page = text(director_client.get(PAGE))
    assert "“Arrived LATE” now finds Delivery in English reviews." in page
    assert "arriv late" in page and "Marc Director" in page


def test_a_french_phrase_goes_to_the_french_list(director_client: Client) -> None:
    response = director_client.post(PAGE, {"topic": topic("size").pk, "language": "fr", "phrase": "trop petites"})

    assert response.status_code == 302
    added = TopicPhrase.objects.get(phrase="trop petites")
    assert (added.topic.key, added.language, added.stems) == ("size", "fr", "trop petit")


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("   ", "Write the phrase first."),
        ("x" * 81, "A phrase has at most 80 characters (it has 81)."),
    ],
)
def test_an_empty_or_too_long_phrase_is_refused_on_the_form(director_client: Client, phrase: str, message: str) -> None:
    response = director_client.post(PAGE, {"topic": topic("delivery").pk, "language": "en", "phrase": phrase})

    assert response.status_code == 400
    assert message in text(response)
    assert 'class="form-errors"' in response.content.decode()
    assert not TopicPhrase.objects.exists()


def test_a_phrase_without_a_word_is_refused_with_the_services_message(director_client: Client) -> None:
    expected = services_refusal(topic=topic("delivery"), language="en", phrase="!!! ...")

    response = director_client.post(PAGE, {"topic": topic("delivery").pk, "language": "en", "phrase": "!!! ..."})

    assert response.status_code == 400
    assert expected.message in text(response)
    assert not TopicPhrase.objects.exists()


def test_a_phrase_whose_stems_are_listed_already_is_refused_and_the_form_kept(director_client: Client) -> None:
    listed("arrived late", stems="arriv late")

    expected = services_refusal(topic=topic("service"), language="en", phrase="arrives late")
    assert "“arrived late”" in expected.message and isinstance(expected, Conflict)

    response = director_client.post(PAGE, {"topic": topic("service").pk, "language": "en", "phrase": "arrives late"})

    assert response.status_code == 409  # core.errors.Conflict: it clashes with what is listed
    page = text(response)
    assert expected.message in page
    assert '<div class="field field-invalid">' in page  # beside the phrase's input, too
    assert 'value="arrives late"' in page  # the director corrects it, not retypes it
    assert list(TopicPhrase.objects.values_list("phrase", flat=True)) == ["arrived late"]


def test_the_same_stems_in_the_other_language_are_another_phrase(director_client: Client) -> None:
    listed("service", key="service", language="en", stems="servic")

    response = director_client.post(PAGE, {"topic": topic("service").pk, "language": "fr", "phrase": "service"})

    assert response.status_code == 302
    assert TopicPhrase.objects.filter(language="fr", topic__key="service").count() == 1


def test_other_cannot_be_given_a_phrase(director_client: Client) -> None:
    response = director_client.post(PAGE, {"topic": topic("other").pk, "language": "en", "phrase": "whatever"})

    assert response.status_code == 400
    assert "Choose a topic from the list." in text(response)
    assert not TopicPhrase.objects.exists()


def test_a_director_removes_a_phrase_by_post_only(director_client: Client) -> None:
    phrase = listed("arrived late", stems="arriv late")

    assert director_client.get(delete_url(phrase)).status_code == 405
    assert TopicPhrase.objects.filter(pk=phrase.pk).exists()

    response = director_client.post(delete_url(phrase))

    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert not TopicPhrase.objects.filter(pk=phrase.pk).exists()
    assert "“arrived late” no longer finds Delivery." in text(director_client.get(PAGE))
    assert director_client.post(delete_url(phrase)).status_code == 404


def test_the_page_removes_a_phrase_through_its_own_address(director_client: Client) -> None:
    phrase = listed("arrived late", stems="arriv late")
    page = text(director_client.get(PAGE))
    assert 'name="form" value="remove"' in page and f'name="phrase_id" value="{phrase.pk}"' in page
    assert delete_url(phrase) not in page  # the forms post to the page itself

    response = director_client.post(PAGE, {"form": "remove", "phrase_id": phrase.pk})

    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert not TopicPhrase.objects.filter(pk=phrase.pk).exists()
    assert "“arrived late” no longer finds Delivery." in text(director_client.get(PAGE))


@pytest.mark.parametrize("route", ["page", "own route"])
def test_removing_a_phrase_removed_meanwhile_re_renders_the_page_with_the_reason(
    director_client: Client, route: str
) -> None:
    gone = listed("arrived late", stems="arriv late")
    kept = listed("parcel lost", stems="parcel lost")
    gone_pk = gone.pk
    gone.delete()  # another director removed it while this page was open

    if route == "page":
        response = director_client.post(PAGE, {"form": "remove", "phrase_id": gone_pk})
    else:
        response = director_client.post(reverse("desk:topic_phrase_delete", kwargs={"pk": gone_pk}))

    page = text(response)
    assert response.status_code == 404
    assert 'id="removal-refused"' in page
    assert "This phrase is no longer listed: someone removed it already." in page
    # The topic page itself, lists and forms, not the desk's generic refusal page.
    assert "<h1>Topic phrases</h1>" in page and "That did not work" not in page
    assert f'id="phrase-{kept.pk}"' in page and 'name="phrase_id"' in page


@pytest.mark.parametrize("posted", [{}, {"phrase_id": ""}, {"phrase_id": "x"}, {"phrase_id": "٣"}])
def test_a_removal_without_a_phrase_number_is_not_found(director_client: Client, posted: dict[str, str]) -> None:
    listed("arrived late")
    assert director_client.post(PAGE, {"form": "remove", **posted}).status_code == 404
    assert TopicPhrase.objects.count() == 1


def test_the_forms_are_protected_against_cross_site_requests(quality_director: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(quality_director)
    phrase = listed("arrived late", stems="arriv late")
    data = {"topic": topic("delivery").pk, "language": "en", "phrase": "came late"}

    assert browser.post(PAGE, data).status_code == 403
    assert browser.post(delete_url(phrase)).status_code == 403
    assert TopicPhrase.objects.count() == 1

    page = browser.get(PAGE)
    token = page.context["csrf_token"]
    assert f'value="{token}"' in page.content.decode()
    assert browser.post(PAGE, {**data, "csrfmiddlewaretoken": str(token)}).status_code == 302
    assert TopicPhrase.objects.count() == 2


# --- What the page shows ---------------------------------------------------------------------


def _tag(phrase: TopicPhrase, rating: int = 2) -> None:
    review = add_review(product_create(), rating=rating, text="The parcel arrived late.")
    ReviewTopic.objects.create(
        review=review, topic=phrase.topic, phrase=phrase, matched="arrived late", tagged_at=timezone.now()
    )


def test_each_phrase_shows_its_stems_author_date_and_reviews_tagged(director_client: Client, reader: User) -> None:
    author = user_create(QUALITY_DIRECTOR, display_name="Nadia", email="nadia.private@example.org")
    late = listed("arrived late", stems="arriv late", by=author)
    listed("livraison", language="fr", stems="livraison")
    for _ in range(3):
        _tag(late)

    director_client.force_login(reader)
    response = director_client.get(PAGE)

    assert response.status_code == 200
    row = _row_of(text(response), late)
    assert "arriv late" in row and "Nadia" in row
    assert "<td>3</td>" in row
    assert "nadia.private@example.org" not in text(response) and author.username not in text(response)
    assert _row_of(text(response), TopicPhrase.objects.get(phrase="livraison")).count("<td>0</td>") == 1


def _row_of(page: str, phrase: TopicPhrase) -> str:
    start = page.index(f'<tr id="phrase-{phrase.pk}">')
    return page[start : page.index("</tr>", start)]


def test_the_counts_take_one_query_whatever_the_number_of_phrases(director_client: Client) -> None:
    first = listed("arrived late", stems="arriv late")
    _tag(first)
    director_client.get(PAGE)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        director_client.get(PAGE)
    for number, key in enumerate(["delivery", "quality", "size", "price", "service"]):
        _tag(listed(f"word{number}", key=key, stems=f"word{number}", by=user_create(QUALITY_DIRECTOR)))
    with CaptureQueriesContext(connection) as many:
        response = director_client.get(PAGE)

    assert response.status_code == 200
    assert len(many) == len(few)


def test_the_page_says_how_tagging_works(director_client: Client) -> None:
    page = text(director_client.get(PAGE))

    for words in ("Snowball", "in that order within one sentence", "“negated”", "tagged “Other”", "in the background"):
        assert words in page


# --- Who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [COMPANY_READER, PRODUCT_MANAGER])
def test_readers_and_managers_read_the_lists_without_a_form(client: Client, role: str) -> None:
    phrase = listed("arrived late", stems="arriv late")
    client.force_login(user_create(role))

    response = client.get(PAGE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "arrived late" in page
    assert 'name="phrase"' not in page and f'action="{PAGE}' not in page and delete_url(phrase) not in page
    assert "csrfmiddlewaretoken" not in page.split("<main", 1)[1].split("</main>")[0]
    assert (
        client.post(PAGE, {"topic": topic("delivery").pk, "language": "en", "phrase": "came late"}).status_code == 403
    )
    assert client.post(delete_url(phrase)).status_code == 403
    assert list(TopicPhrase.objects.values_list("phrase", flat=True)) == ["arrived late"]


@pytest.mark.parametrize("role", [SHOPPER, MODERATOR, CUSTOMER_CARE, None])
def test_anyone_else_is_refused(client: Client, role: str | None) -> None:
    phrase = listed("arrived late", stems="arriv late")
    client.force_login(user_create(role) if role else user_create())

    assert client.get(PAGE).status_code == 403
    assert (
        client.post(PAGE, {"topic": topic("delivery").pk, "language": "en", "phrase": "came late"}).status_code == 403
    )
    assert client.get(delete_url(phrase)).status_code == 403
    assert client.post(delete_url(phrase)).status_code == 403
    assert TopicPhrase.objects.count() == 1


def test_a_visitor_is_sent_to_the_sign_in_page(client: Client) -> None:
    phrase = listed("arrived late", stems="arriv late")

    for response in (
        client.get(PAGE),
        client.post(PAGE, {"topic": topic("delivery").pk, "language": "en", "phrase": "came late"}),
        client.post(delete_url(phrase)),
        client.get(delete_url(phrase)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=/desk/topics/phrases/")
    assert TopicPhrase.objects.count() == 1
