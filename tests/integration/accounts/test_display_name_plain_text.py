"""Display names are plain visible text (issue 18, item 9): markup alone, control and format
characters (direction controls and zero-width characters included) are refused with a clear
message on the sign-up and profile pages, in the admin, and for guests' names on reviews;
HTML with text in it is shown as typed, escaped."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.text_safety import validate_display_name
from reviews.api.serializers import ReviewInputSerializer
from reviews.forms import ReviewForm
from reviews.verified import guest_display_name
from tests.factories import user_create
from tests.integration.accounts.conftest import signup_form

pytestmark = pytest.mark.django_db

MARKUP_ONLY = "A name is plain text: this one is only HTML markup, which would be shown as typed. Enter a name."
CONTROL = (
    "A name is one line of visible text: remove the control or invisible character "
    "(a tab, a line break or a direction mark, for example)."
)
ZERO_WIDTH = "This text contains an invisible character"
UNPAIRED = "This text contains a direction control character"

REFUSED = [
    ("<b></b>", MARKUP_ONLY),
    ("<script>alert(1)</script>", MARKUP_ONLY),
    ("<SCRIPT src=//x.example/a.js></SCRIPT>", MARKUP_ONLY),
    ("<style>body{display:none}</style>", MARKUP_ONLY),
    ("<img src=x onerror=alert(1)>", MARKUP_ONLY),
    ("<br/> <hr>", MARKUP_ONLY),
    ("&nbsp;", MARKUP_ONLY),
    ("<!-- hidden -->", MARKUP_ONLY),
    ("Sam\tB.", CONTROL),
    ("Sam\nB.", CONTROL),
    ("Sam\x1b[31mB.", CONTROL),
    ("Sam\x85B.", CONTROL),  # a C1 control (next line)
    ("Sam\u2028B.", CONTROL),  # line separator
    ("Sam\u00adB.", CONTROL),  # soft hyphen
    ("\u2067Sam\u2069", CONTROL),  # direction controls, even paired
    ("\U000e0041dmin", CONTROL),  # a tag character
    ("Sam\u200bB.", ZERO_WIDTH),
    ("\u202eSam", UNPAIRED),
]
ALLOWED = ["Sam B.", "<b>Sam</b>", "<3 Lucy", "Jo & Al", "a<b", "Zoë", "محمد", "李雷", "Sam 🚲", "Ana 🚒"]


@pytest.mark.parametrize(("name", "message"), REFUSED)
def test_the_rule_refuses_markup_alone_and_invisible_characters(name: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_display_name(name)
    assert refused.value.messages[0].startswith(message)


@pytest.mark.parametrize("name", ALLOWED)
def test_the_rule_keeps_plain_text_and_markup_with_text_in_it(name: str) -> None:
    validate_display_name(name)


@pytest.mark.parametrize(("name", "message"), REFUSED[:3] + REFUSED[8:10] + REFUSED[14:15])
def test_signup_refuses_the_name_with_the_reason(client: Client, name: str, message: str) -> None:
    response = client.post(reverse("signup"), signup_form(display_name=name))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_display_name_error"' in page and message.replace("'", "&#x27;")[:40] in page
    assert not User.objects.filter(username="camille75").exists()


def test_the_profile_refuses_it_and_keeps_the_old_name(client: Client) -> None:
    user = user_create(username="sam", display_name="Sam B.")
    client.force_login(user)
    response = client.post(reverse("profile"), {"display_name": "<b></b>", "email": user.email, "language": "en"})
    assert response.status_code == 400
    assert MARKUP_ONLY[:40] in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Sam B."


def test_html_with_text_is_kept_as_typed_and_shown_escaped(client: Client) -> None:
    user = user_create(username="sam", display_name="Sam B.")
    client.force_login(user)
    response = client.post(reverse("profile"), {"display_name": "<b>Sam</b>", "email": user.email, "language": "en"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "<b>Sam</b>"
    page = client.get("/").content.decode()
    assert 'title="&lt;b&gt;Sam&lt;/b&gt;"' in page and "<b>Sam</b>" not in page


def test_the_admin_refuses_it_too(client: Client) -> None:
    client.force_login(user_create(username="root", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "added",
            "usable_password": "false",
            "display_name": "<script>alert(1)</script>",
            "email": "added@example.com",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert MARKUP_ONLY[:40] in response.content.decode()
    assert not User.objects.filter(username="added").exists()


def test_a_guest_reviewer_s_name_follows_the_same_rule() -> None:
    form = ReviewForm(
        data={"rating": "4", "title": "Fine", "body": "Long enough to be a review body.", "author_name": "<i></i>"},
        ask_author_name=True,
    )
    assert not form.is_valid()
    assert form.errors["author_name"] == [MARKUP_ONLY]
    payload = {"rating": 4, "title": "Fine", "body": "Long enough to be a review body.", "author_name": "Jo\tJo"}
    serializer = ReviewInputSerializer(data=payload)
    assert not serializer.is_valid()
    assert [str(error) for error in serializer.errors["author_name"]] == [CONTROL]
    # The name a shop gave is not offered as the default when the rule refuses it.
    assert guest_display_name("<b></b> Durand") == ""
    assert guest_display_name("Jo\u00ad Durand") == ""
    assert guest_display_name("Jo Durand") == "Jo"
