"""Emails name the product in their recipient's language (docs/i18n.md): the outbox keeps
the name in every language and the email is rendered in the recipient's."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from accounts.models import User
from gate.notify import gate_event_notify, webhook_body
from notifications.context import InLanguages, context_from_json, context_to_json
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from products.models import Product

from .factories import NOW, flag


def test_a_name_in_languages_goes_through_the_payload_and_reads_as_the_active_language() -> None:
    stored = context_to_json({"product_name": InLanguages({"en": "Frying pan", "fr": "Poêle"})})
    assert stored == {"product_name": {"$text": {"en": "Frying pan", "fr": "Poêle"}}}
    name = context_from_json(stored)["product_name"]
    with translation.override("fr"):
        assert str(name) == "Poêle"
    with translation.override("en"):
        assert str(name) == "Frying pan"
    with translation.override("fr"):  # no French: the English one
        assert str(InLanguages({"en": "Wok"})) == "Wok"


@pytest.mark.django_db
def test_the_gate_emails_name_the_product_in_each_recipients_language(
    product: Product, manager: User, director: User
) -> None:
    """The manager reads French, the director English; the gate writes both emails in
    a Celery task, in neither's language."""
    Product.objects.filter(pk=product.pk).update(name_fr="Chaussure de trail")
    product.refresh_from_db()
    english_name = product.name_en
    event = flag(product)
    with translation.override("en"):
        gate_event_notify(event=event, now=NOW)
    for message in OutboxMessage.objects.filter(channel="email"):
        assert outbox_deliver(message_id=message.pk, now=NOW) == "sent"

    by_recipient = {email.to[0]: email for email in mail.outbox}
    to_manager, to_director = by_recipient[manager.email], by_recipient[director.email]
    assert "Chaussure de trail" in to_manager.subject and "Chaussure de trail" in to_manager.body
    assert english_name not in to_manager.subject and english_name not in to_manager.body
    assert english_name in to_director.subject and "Chaussure de trail" not in to_director.body
    # Integrators' webhooks keep the name they always had.
    with translation.override("fr"):
        assert webhook_body(event)["product"]["name"] == english_name
