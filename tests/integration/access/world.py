"""The objects and the callers of the access matrix, built once per module.

Every role of accounts.roles (shopper, moderator, product manager, quality director,
customer care, company reader), the accounts the migrations and Django add beside them (a
signed-up account without a role, Django's ``is_staff`` without permissions, a superuser),
and API keys holding sets of scopes (apikeys.models.ApiKeyScope: read, write, orders, care,
topics; KEY_SCOPES) owned by a manager, a quality director, a shopper, an account without a
role (the shop's `orders` key), a care member (`care`) and a company reader (`topics`), plus
a revoked key. An order of P3 was delivered and invited (its review and unsubscribe links);
the same customer reviewed P1 with one star through another order's link: its care case, a
message care wrote (its reply link) and the thanks link.
Objects come from the suite's factories; every request of the matrix runs in a savepoint
rolled back after it, so each caller meets the same world.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import COMPANY_READER, CUSTOMER_CARE, MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
from accounts.verification import email_verify_token
from apikeys.models import ApiKey, ApiKeyScope
from apikeys.services import api_key_create, api_key_revoke
from care.links import reply_token
from care.models import Case
from care.services import case_message_send
from care.thanks import ThanksOwner, ThanksOwnerKind, thanks_unsubscribe_token
from gate.models import GateEvent, ImprovementRequest, WithdrawalNotice
from notifications.models import WebhookEndpoint
from notifications.webhooks import webhook_endpoint_create
from orders.links import review_token, unsubscribe_token
from orders.models import Invitation, InvitationKind, Order
from products.models import Product, ProductImage
from reviews.models import ReasonCode, Review, ReviewPhoto, ReviewStatus
from tests.integration.desk.factories import add_review, flagged_story, gate_catch_up, make_product, story_reload
from tests.orders_factories import order_create

# The callers. Signed-in people use the session cookie; keys send `Authorization: Api-Key`.
ANONYMOUS = "anonymous"
NO_ROLE = "no_role"  # a signed-up account whose role was taken away (no group)
SHOPPER_AUTHOR = "shopper"  # wrote the review R, voted and reported nothing
OTHER_SHOPPER = "other_shopper"  # wrote the held review H and the review R2 of P2
MODERATOR_ROLE = "moderator"
OTHER_MANAGER = "other_manager"  # manages P2 only
MANAGER = "manager"  # manages P1 and P3
DIRECTOR = "quality_director"
CARE = "customer_care"
READER = "company_reader"  # reads every product, acts on nothing, sees no personal data
STAFF = "staff"  # Django's is_staff, no group, no permission
SUPERUSER = "superuser"
KEY_READ = "key_read"  # the manager's
KEY_READ_WRITE = "key_read_write"  # the manager's
KEY_DIRECTOR_READ = "key_director_read"
KEY_DIRECTOR_READ_WRITE = "key_director_read_write"
KEY_SHOPPER_READ_WRITE = "key_shopper_read_write"  # the shopper's (author of R)
KEY_WRITE = "key_write"  # the manager's, `write` without `read`
KEY_ORDERS = "key_orders"  # the shop's: `orders` only, owned by an account without a role
KEY_CARE = "key_care"  # the care member's: `care` only
KEY_TOPICS = "key_topics"  # the company reader's: `topics` only
KEY_REVOKED = "key_revoked"  # the director's, revoked

USERS = (
    NO_ROLE,
    SHOPPER_AUTHOR,
    OTHER_SHOPPER,
    MODERATOR_ROLE,
    OTHER_MANAGER,
    MANAGER,
    DIRECTOR,
    CARE,
    READER,
    STAFF,
    SUPERUSER,
)
READ, WRITE, ORDERS, CARE_SCOPE = ApiKeyScope.READ, ApiKeyScope.WRITE, ApiKeyScope.ORDERS, ApiKeyScope.CARE
TOPICS_SCOPE = ApiKeyScope.TOPICS
# Each key: its owner and its scopes (the matrix reads the scopes to fill the keys' cells).
KEY_OWNERS_AND_SCOPES: dict[str, tuple[str, tuple[str, ...]]] = {
    KEY_READ: (MANAGER, (READ,)),
    KEY_READ_WRITE: (MANAGER, (READ, WRITE)),
    KEY_DIRECTOR_READ: (DIRECTOR, (READ,)),
    KEY_DIRECTOR_READ_WRITE: (DIRECTOR, (READ, WRITE)),
    KEY_SHOPPER_READ_WRITE: (SHOPPER_AUTHOR, (READ, WRITE)),
    KEY_WRITE: (MANAGER, (WRITE,)),
    KEY_ORDERS: (NO_ROLE, (ORDERS,)),
    KEY_CARE: (CARE, (CARE_SCOPE,)),
    KEY_TOPICS: (READER, (TOPICS_SCOPE,)),
    KEY_REVOKED: (DIRECTOR, (READ, WRITE, ORDERS, CARE_SCOPE, TOPICS_SCOPE)),
}
KEY_SCOPES = {caller: frozenset(scopes) for caller, (_owner, scopes) in KEY_OWNERS_AND_SCOPES.items()}
KEYS = tuple(KEY_OWNERS_AND_SCOPES)
CALLERS = (ANONYMOUS, *USERS, *KEYS)


@dataclass
class World:
    users: dict[str, User]
    sessions: dict[str, str]  # caller -> session key of a signed-in session
    keys: dict[str, str]  # caller -> the key's plaintext
    p1: Product  # the manager's, flagged, open notice
    p2: Product  # the other manager's, flagged, open notice
    p3: Product  # the manager's, an improvement waiting for a director
    notice1: WithdrawalNotice
    notice2: WithdrawalNotice
    event1: GateEvent
    review: Review  # R: the shopper's published review of P1
    review_photo: ReviewPhoto  # R's photo, sized: public
    held_photo: ReviewPhoto  # H's photo, sized: its author's and moderators' only
    product_image: ProductImage  # P1's picture: public
    review2: Review  # R2: the other shopper's published review of P2
    held: Review  # H: the other shopper's review of P1, waiting for a moderator
    burst: Review  # held as part of a burst on P2
    improvement_request: ImprovementRequest
    webhook: WebhookEndpoint
    order: Order  # of P3, delivered, its invitation sent
    invitation_token: str  # the order's review link for P3
    unsubscribe_token: str  # the order's customer's unsubscribe link
    case: Case  # of the customer's one-star review of P1 (a guest's, through an invitation)
    reply_token: str  # the reply link of care's message on the case
    thanks_token: str  # the thanks emails' unsubscribe link of the same customer
    reset_uid: str
    reset_token: str
    verify_token: str
    clients: dict[bool, Client] = field(default_factory=dict)  # api? -> the kept client

    def client(self, caller: str, *, api: bool) -> Client:
        """A client as ``caller``, with nothing left from the previous request (a logout or a
        password change in one cell cannot touch the next one's cookies). The two clients
        are kept: a new one loads every middleware again, WhiteNoise's scan of the static
        files included (90% of a request's time)."""
        if api not in self.clients:
            self.clients[api] = APIClient() if api else Client()
        client = self.clients[api]
        client.cookies = SimpleCookie()
        client.defaults = {}
        if caller in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[caller]
        elif caller in self.keys:
            client.defaults["HTTP_AUTHORIZATION"] = f"Api-Key {self.keys[caller]}"
        return client


def _session_for(user: User) -> str:
    client = Client()
    client.force_login(user)
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def _users() -> dict[str, User]:
    from tests.factories import user_create

    return {
        NO_ROLE: user_create(username="no_role"),
        SHOPPER_AUTHOR: user_create(SHOPPER, username="shopper_author"),
        OTHER_SHOPPER: user_create(SHOPPER, username="other_shopper"),
        MODERATOR_ROLE: user_create(MODERATOR, username="moderator_m"),
        OTHER_MANAGER: user_create(PRODUCT_MANAGER, username="other_manager"),
        MANAGER: user_create(PRODUCT_MANAGER, username="manager_m"),
        DIRECTOR: user_create(QUALITY_DIRECTOR, username="director_d"),
        CARE: user_create(CUSTOMER_CARE, username="care_c"),
        READER: user_create(COMPANY_READER, username="reader_r"),
        STAFF: user_create(username="staff_s", is_staff=True),
        SUPERUSER: user_create(username="root_r", is_staff=True, is_superuser=True),
    }


def _keys(users: dict[str, User]) -> dict[str, str]:
    keys = {
        caller: api_key_create(name=caller, owner=users[owner], scopes=scopes).plaintext
        for caller, (owner, scopes) in KEY_OWNERS_AND_SCOPES.items()
    }
    api_key_revoke(api_key=ApiKey.objects.get(name=KEY_REVOKED))
    return keys


# The invited customer's address: personal data that no answer of any row may contain.
CUSTOMER_EMAIL = "matrix.customer@example.com"


def _invited_order(product: Product) -> Order:
    """An order of ``product`` delivered two days ago whose invitation was sent today."""
    now = timezone.now()
    order = order_create(products=[product], email=CUSTOMER_EMAIL, delivered_at=now - timedelta(days=2))
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=now
    )
    invitation.lines.set(order.lines.all())
    return order


def _unhappy_guest_case(product: Product, care_member: User) -> tuple[Case, str]:
    """The invited customer's one-star review of ``product`` (through its own invitation
    link, as a guest): its case, and the reply link of the message care wrote on it."""
    from reviews.services import review_submit

    order = _invited_order(product)
    review = review_submit(
        product=product,
        author=None,
        rating=1,
        title="CARE-CASE-REVIEW",
        body="The zip broke on the first night and the rain came in.",
        language="en",
        author_name="Camille",
        invitation_token=review_token(order.lines.get().pk),
    )
    case = Case.objects.get(review=review)
    message = case_message_send(case=case, by=care_member, body="Sorry: we will replace it. Which size?")
    return case, reply_token(message.pk)


def _tiny_webp() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (40, 90, 160)).save(out, "WEBP")
    return out.getvalue()


def _sized_photo(review: Review) -> ReviewPhoto:
    """A photo with its sizes made (the same stored file for each: the matrix asks who may
    fetch it, tests/integration/reviews/test_review_photos.py how it is made)."""
    name = default_storage.save(f"reviews/matrix/{review.pk}.webp", ContentFile(_tiny_webp()))
    now = timezone.now()
    return ReviewPhoto.objects.create(
        review=review, position=0, full=name, large=name, thumb=name, width=8, height=6, created_at=now, ready_at=now
    )


def _product_image(product: Product) -> ProductImage:
    name = default_storage.save(f"products/matrix/{product.pk}.webp", ContentFile(_tiny_webp()))
    return ProductImage.objects.create(product=product, image=name, alt_text="The product", width=8, height=6)


def world_build() -> World:
    """Needs the desk's gate settings (tests.integration.desk.factories.DESK_SETTINGS)."""
    users = _users()
    opened = flagged_story(managers=[users[MANAGER]], flag_days_ago=2, catch_up=False)
    other = flagged_story(managers=[users[OTHER_MANAGER]], flag_days_ago=1, catch_up=False)
    gate_catch_up()
    opened, other = story_reload(opened), story_reload(other)
    p3 = make_product(managers=[users[MANAGER]])
    review = add_review(opened.product, rating=4, author=users[SHOPPER_AUTHOR], title="REVIEW-TITLE-R")
    review2 = add_review(other.product, rating=3, author=users[OTHER_SHOPPER], title="OTHER-SHOPPER-REVIEW")
    held = add_review(
        opened.product, rating=2, author=users[OTHER_SHOPPER], status=ReviewStatus.PENDING, title="HELD-TITLE-H"
    )
    burst = add_review(other.product, rating=1, status=ReviewStatus.PENDING, title="BURST-TITLE-B")
    Review.objects.filter(pk=burst.pk).update(status_reason=ReasonCode.BURST)
    improvement_request = ImprovementRequest.objects.create(
        product=p3,
        requested_by=users[MANAGER],
        requested_at=timezone.now(),
        description="Changed the zip supplier.",
    )
    webhook, _secret = webhook_endpoint_create(
        url="https://erp.example.com/hooks/reviewgate", events=["withdrawn"], by=users[DIRECTOR]
    )
    shopper = users[SHOPPER_AUTHOR]
    order = _invited_order(p3)
    assert order.customer is not None
    case, case_reply_token = _unhappy_guest_case(opened.product, users[CARE])
    return World(
        users=users,
        sessions={caller: _session_for(user) for caller, user in users.items()},
        keys=_keys(users),
        p1=opened.product,
        p2=other.product,
        p3=p3,
        notice1=opened.notice,
        notice2=other.notice,
        event1=GateEvent.objects.filter(product=opened.product).first() or GateEvent(),
        review=review,
        review_photo=_sized_photo(review),
        held_photo=_sized_photo(held),
        product_image=_product_image(opened.product),
        review2=review2,
        held=held,
        burst=burst,
        improvement_request=improvement_request,
        webhook=webhook,
        order=order,
        invitation_token=review_token(order.lines.get().pk),
        unsubscribe_token=unsubscribe_token(order.customer.pk),
        case=case,
        reply_token=case_reply_token,
        thanks_token=thanks_unsubscribe_token(ThanksOwner(ThanksOwnerKind.CUSTOMER, order.customer.pk)),
        reset_uid=urlsafe_base64_encode(force_bytes(shopper.pk)),
        reset_token=default_token_generator.make_token(shopper),
        verify_token=email_verify_token(shopper),
    )
