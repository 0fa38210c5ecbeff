"""The customer care desk (issue 16, items 1 and 3): the queue and a case's page by role,
taking, giving, writing to the customer and closing through the pages, the rating before
and after, the time left against the first-contact target (the clock passed in), and the
customer's address never in any of these pages."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
from care.models import Case, CaseMessage, CaseOutcome, CaseState, MessageDirection, MessageKind
from care.services import case_customer_answer, case_message_send
from desk.selectors.care import ClockState, StateFilter, WhoFilter, care_queue, care_queue_rows
from notifications.models import OutboxMessage
from orders.links import review_token
from orders.models import Invitation, InvitationKind
from reviews.services import review_delete_by_author, review_edit, review_submit
from tests.care_factories import BODY, care_staff_create, review_post
from tests.factories import product_create, user_create
from tests.orders_factories import order_create

pytestmark = pytest.mark.django_db

QUEUE = reverse("desk:care_queue")
# The care desk's routes: their role matrix is this module's (tests/integration/desk/test_access.py
# checks that every desk route has one).
CARE_ACTIONS = ("take", "assign", "message", "close")
CARE_URL_NAMES = {"desk:care_queue", "desk:care_case", *(f"desk:care_case_{name}" for name in CARE_ACTIONS)}


def case_page(case: Case) -> str:
    return reverse("desk:care_case", kwargs={"pk": case.pk})


def action(case: Case, name: str) -> str:
    return reverse(f"desk:care_case_{name}", kwargs={"pk": case.pk})


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


@pytest.fixture
def care() -> User:
    return care_staff_create(display_name="Chloé")


@pytest.fixture
def product_manager() -> User:
    return user_create(PRODUCT_MANAGER, display_name="Julia")


@pytest.fixture
def case(product_manager: User) -> Case:
    product = product_create(name="Ridge tent 2", managers=[product_manager])
    review = review_post(product=product, rating=1, title="Zip broke on night one", recommend=3)
    return Case.objects.get(review=review)


# --- Who sees what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "queue_status", "case_status"),
    [
        ("care", 200, 200),
        ("manager_of_product", 200, 200),
        ("manager_of_other", 200, 404),
        ("director", 200, 200),
        ("moderator", 403, 403),
        ("shopper", 403, 403),
    ],
)
def test_the_queue_and_the_case_by_role(
    client: Client, case: Case, product_manager: User, care: User, who: str, queue_status: int, case_status: int
) -> None:
    people: dict[str, Callable[[], User]] = {
        "care": lambda: care,
        "manager_of_product": lambda: product_manager,
        "manager_of_other": lambda: user_create(PRODUCT_MANAGER),
        "director": lambda: user_create(QUALITY_DIRECTOR),
        "moderator": lambda: user_create(MODERATOR),
        "shopper": lambda: user_create(SHOPPER),
    }
    client.force_login(people[who]())
    queue = client.get(QUEUE)
    assert queue.status_code == queue_status
    if queue_status == 200:
        listed = f'data-case="{case.pk}"' in queue.content.decode()
        assert listed is (case_status == 200)
    assert client.get(case_page(case)).status_code == case_status


def test_a_signed_out_visitor_is_sent_to_sign_in(client: Client, case: Case) -> None:
    for url in (QUEUE, case_page(case)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=/desk/care/")
    for name in CARE_ACTIONS:
        response = client.post(action(case, name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name


@pytest.mark.parametrize("role", [SHOPPER, MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR])
def test_only_care_staff_act_on_a_case(client: Client, case: Case, product_manager: User, role: str) -> None:
    # The product's own manager too (the case fixture's): they read, care acts.
    client.force_login(product_manager if role == PRODUCT_MANAGER else user_create(role))
    data = {"take": {}, "assign": {"assignee": ""}, "message": {"body": "Hello"}, "close": {"outcome": "solved"}}
    for name in CARE_ACTIONS:
        assert client.post(action(case, name), data[name]).status_code == 403, name
    case.refresh_from_db()
    assert (case.state, case.assignee_id) == (CaseState.OPEN, None)
    assert not CaseMessage.objects.exists()


def test_a_manager_reads_the_case_without_a_form(client: Client, case: Case, product_manager: User) -> None:
    client.force_login(product_manager)
    page = client.get(case_page(case)).content.decode()
    assert 'action="/desk/care/' not in page and "<textarea" not in page
    assert "Customer care works on this case" in page


def test_the_desk_is_named_for_care_staff_and_its_home_sends_them_to_the_queue(client: Client, care: User) -> None:
    client.force_login(care)
    home = client.get(reverse("desk:notices"))
    assert (home.status_code, home["Location"]) == (302, QUEUE)
    page = client.get(QUEUE).content.decode()
    assert '<p class="desk-nav-title">Customer care desk</p>' in page
    start = page.index('<nav class="desk-nav"')
    nav = page[start : page.index("</nav>", start)]
    assert "Customer care" in nav and "Notices" not in nav and "Moderation" not in nav
    assert 'aria-current="page">Customer care</a>' in nav


# --- The queue -------------------------------------------------------------------------


def test_the_queue_lists_cases_owed_a_first_contact_first_oldest_first_with_their_filters(
    client: Client, care: User
) -> None:
    now = timezone.now()
    # Contacted long ago: no longer owed a first contact, so after every case that is.
    contacted = Case.objects.get(review=review_post(rating=1, now=now - timedelta(hours=40), title="Contacted"))
    newer = Case.objects.get(review=review_post(rating=2, now=now - timedelta(hours=1), title="Newer"))
    older = Case.objects.get(review=review_post(rating=1, now=now - timedelta(hours=30), title="Older"))
    mine = Case.objects.get(review=review_post(rating=1, now=now - timedelta(hours=5), title="Mine"))
    closed = Case.objects.get(review=review_post(rating=1, now=now - timedelta(hours=50), title="Closed"))
    client.force_login(care)
    client.post(action(mine, "take"))
    client.post(action(closed, "close"), {"outcome": CaseOutcome.NOT_REACHABLE})
    client.post(action(contacted, "message"), {"body": "Sorry: which size was it?"})

    def listed(query: str = "") -> list[int]:
        response = client.get(f"{QUEUE}{query}")
        assert response.status_code == 200
        return [int(pk) for pk in re.findall(r'data-case="(\d+)"', response.content.decode())]

    assert listed() == [older.pk, mine.pk, newer.pk, contacted.pk]
    assert listed("?who=mine") == [mine.pk, contacted.pk]  # writing to the customer took it
    assert listed("?who=unassigned") == [older.pk, newer.pk]
    assert listed("?state=closed") == [closed.pk]
    assert listed("?state=all") == [older.pk, mine.pk, newer.pk, closed.pk, contacted.pk]
    assert client.get(f"{QUEUE}?state=nonsense").status_code == 400
    page = text(client.get(QUEUE))
    row = page[page.index(f'data-case="{older.pk}"') :]
    row = row[: row.index("</tr>")]
    # Overdue in words and with a sign, not by colour alone.
    assert "⚠" in row and "Overdue by 6 h: not contacted yet" in row and "Nobody yet" in row
    assert "Older" in row and "Rated 1 out of 5" in row


def test_time_left_against_the_target_with_an_injected_clock(care: User) -> None:
    opened = timezone.now() - timedelta(days=3)
    waiting = Case.objects.get(review=review_post(rating=1, now=opened))
    late = Case.objects.get(review=review_post(rating=2, now=opened))
    case_message_send(case=late, by=care, body="Sorry to read this.", now=opened + timedelta(hours=26))
    cases = list(care_queue(user=care, state=StateFilter.ALL, who=WhoFilter.ALL))
    rows = {row.case.pk: row.clock for row in care_queue_rows(cases=cases, now=opened + timedelta(hours=20))}
    assert (rows[waiting.pk].state, rows[waiting.pk].delta) == (ClockState.WAITING, timedelta(hours=4))
    rows = {row.case.pk: row.clock for row in care_queue_rows(cases=cases, now=opened + timedelta(hours=25))}
    assert (rows[waiting.pk].state, rows[waiting.pk].delta) == (ClockState.OVERDUE, timedelta(hours=1))
    assert rows[waiting.pk].needs_attention
    assert (rows[late.pk].state, rows[late.pk].delta) == (ClockState.LATE, timedelta(hours=2))
    assert not rows[late.pk].needs_attention


def test_a_managers_queue_holds_only_their_products_cases(client: Client, case: Case, product_manager: User) -> None:
    other = Case.objects.get(review=review_post(rating=1))
    client.force_login(product_manager)
    page = client.get(QUEUE).content.decode()
    assert f'data-case="{case.pk}"' in page and f'data-case="{other.pk}"' not in page
    assert 'value="mine"' not in page  # a manager never has a case


# --- The case page and its actions -------------------------------------------------------


def test_the_case_page_shows_the_review_the_customer_and_the_clock(client: Client, case: Case, care: User) -> None:
    earlier = review_post(author=case.review.author, rating=5, title="My first tent, loved it")
    # Not public, so not on the case: removed by its author (as one removed for personal data).
    removed = review_post(author=case.review.author, rating=3, title="REMOVED-EARLIER-TITLE")
    review_delete_by_author(review=removed, author=case.review.author)
    client.force_login(care)
    page = text(client.get(case_page(case)))
    assert "REMOVED-EARLIER-TITLE" not in page
    assert "Zip broke on night one" in page and BODY in page and "Ridge tent 2" in page
    assert "My first tent, loved it" in page and earlier.product.name in page
    assert "Rated 1 star, unchanged since the case opened." in page
    assert "3 out of 10" in page  # the recommend answer when it opened
    assert "left to first contact" in page
    assert re.search(r'class="care-reachable">Yes<', page)
    assert "Nobody has written to the customer yet." in page


def test_take_give_write_and_close_through_the_page(client: Client, case: Case, care: User) -> None:
    colleague = care_staff_create(display_name="Hugo")
    client.force_login(care)
    response = client.post(action(case, "take"))
    assert response.status_code == 302 and response["Location"] == case_page(case) + "#handling"
    case.refresh_from_db()
    assert case.assignee == care

    client.post(action(case, "assign"), {"assignee": colleague.pk})
    case.refresh_from_db()
    assert case.assignee == colleague
    assert "Case given to Hugo." in text(client.get(case_page(case)))
    # Only care staff can be given a case: anyone else is refused, nothing changes.
    response = client.post(action(case, "assign"), {"assignee": user_create(PRODUCT_MANAGER).pk})
    assert response.status_code == 400 and "Choose a member of customer care." in text(response)
    case.refresh_from_db()
    assert case.assignee == colleague

    # Closing as solved before any message is refused on the form, not a server error.
    response = client.post(action(case, "close"), {"outcome": CaseOutcome.SOLVED})
    assert response.status_code == 409
    assert "Write to the customer before closing with this outcome" in text(response)

    response = client.post(action(case, "message"), {"body": "We are sorry. A new zip is on its way."})
    assert response.status_code == 302 and response["Location"].endswith("#messages")
    case.refresh_from_db()
    assert case.state == CaseState.CONTACTED and case.first_contact_at is not None
    assert case.assignee == colleague  # writing does not take a case someone has
    sent = CaseMessage.objects.get(case=case)
    assert (sent.direction, sent.author, sent.body) == (
        MessageDirection.TO_CUSTOMER,
        care,
        "We are sorry. A new zip is on its way.",
    )
    assert OutboxMessage.objects.filter(dedupe_key=f"care:message:{sent.pk}").count() == 1
    case_customer_answer(message=sent, body="Thank you, it arrived.")
    page = text(client.get(case_page(case)))
    assert page.index("We are sorry. A new zip is on its way.") < page.index("Thank you, it arrived.")
    assert "Chloé wrote to the customer" in page and "The customer answered" in page
    assert "Contacted in time" in page

    response = client.post(action(case, "close"), {"outcome": CaseOutcome.SOLVED, "note": "Glad it is fixed."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.outcome, case.closed_by) == (CaseState.CLOSED, CaseOutcome.SOLVED, care)
    closing = CaseMessage.objects.get(case=case, kind=MessageKind.CLOSING)
    assert closing.body == "Glad it is fixed."
    page = text(client.get(case_page(case)))
    assert "Case closed: Solved." in page and "Closing message from Chloé" in page
    assert 'action="' + action(case, "message") not in page and 'action="' + action(case, "close") not in page
    # A closed case takes no more messages: refused on the form.
    response = client.post(action(case, "message"), {"body": "One more thing"})
    assert response.status_code == 409 and "This case is closed." in text(response)


def test_form_errors_are_shown_not_raised(client: Client, case: Case, care: User) -> None:
    client.force_login(care)
    response = client.post(action(case, "message"), {"body": "   "})
    assert response.status_code == 400 and "Write the message first." in text(response)
    response = client.post(action(case, "close"), {"outcome": "lost"})
    assert response.status_code == 400 and "Select a valid choice" in text(response)
    assert client.get(action(case, "take")).status_code == 405
    assert not CaseMessage.objects.exists()


def test_the_rating_before_and_after_an_edit(client: Client, case: Case, care: User) -> None:
    review = case.review
    changed_at = timezone.now() + timedelta(days=2)
    review_edit(
        review=review,
        author=review.author,
        rating=3,
        title=review.title,
        body=review.body,
        language="en",
        now=changed_at,
    )
    client.force_login(care)
    page = text(client.get(case_page(case)))
    day = timezone.localtime(changed_at).day
    assert re.search(rf"Rated 1 star when the case opened, 3 stars now \(changed on [\w.]+ {day}, \d{{4}}\)\.", page)
    assert "1 when opened" in text(client.get(QUEUE))


# --- The customer's address, never -----------------------------------------------------


def guest_review(product_manager: User, address: str) -> Case:
    """A 1-star review by an invited guest (no account): reached through orders.Customer."""
    product = product_create(managers=[product_manager])
    order = order_create(products=[product], email=address, name="Camille Martin")
    assert order.delivered_at is not None
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=order.delivered_at
    )
    invitation.lines.set(order.lines.all())
    review = review_submit(
        product=product,
        author=None,
        invitation_token=review_token(order.lines.get().pk),
        rating=1,
        title="Arrived broken",
        body=BODY,
        language="en",
        author_name="Camille",
    )
    return Case.objects.get(review=review)


def test_no_page_shows_the_customers_address(client: Client, product_manager: User, care: User) -> None:
    account = user_create(SHOPPER, email="dana.secret@example.org", display_name="Dana")
    by_account = Case.objects.get(
        review=review_post(author=account, rating=1, product=product_create(managers=[product_manager]))
    )
    by_guest = guest_review(product_manager, "camille.secret@example.net")
    assert by_guest.review.author is None
    case_message_send(case=by_guest, by=care, body="Hello, we read your review.")
    for person in (care, product_manager, user_create(QUALITY_DIRECTOR)):
        client.force_login(person)
        pages = [
            client.get(QUEUE),
            client.get(f"{QUEUE}?state=all"),
            client.get(case_page(by_account)),
            client.get(case_page(by_guest)),
        ]
        for response in pages:
            assert response.status_code == 200
            body = response.content.decode().lower()
            for secret in ("dana.secret@example.org", "camille.secret@example.net", "secret@"):
                assert secret not in body, (person, secret)
    client.force_login(care)
    # Refused forms re-render the page: no address there either.
    response = client.post(action(by_guest, "message"), {"body": ""})
    assert response.status_code == 400 and "camille.secret" not in response.content.decode()
