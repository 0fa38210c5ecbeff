"""French pages and emails elide before names (issue 18): "Connecté en tant qu’alex",
"Vous êtes connecté en tant qu’Élodie M.", "Votre amélioration d’Aspirateur ...", and
leave English alone."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import user_create

pytestmark = pytest.mark.django_db


def test_the_profile_page_says_qu_before_a_vowel_in_french(client: Client) -> None:
    client.force_login(user_create(username="alex", language="fr"))
    page = client.get(reverse("profile")).content.decode()
    assert "Connecté en tant qu’alex (jamais affiché aux autres)." in page
    assert "en tant que alex" not in page


def test_the_profile_page_keeps_que_before_a_consonant(client: Client) -> None:
    client.force_login(user_create(username="marc", language="fr"))
    assert "Connecté en tant que marc (jamais affiché aux autres)." in client.get(reverse("profile")).content.decode()


def test_the_403_page_elides_before_the_display_name(client: Client) -> None:
    client.force_login(user_create(username="elodie", display_name="Élodie M.", language="fr"))
    response = client.get("/desk/")
    assert response.status_code == 403
    assert "Vous êtes connecté en tant qu’Élodie M. Si vous travaillez ici" in response.content.decode()


@pytest.mark.parametrize(
    ("template", "french"),
    [
        (
            "emails/gate_improvement_approved_subject.txt",
            "[reviewgate] Votre amélioration d’Aspirateur X (AB-1) a été approuvée",
        ),
        (
            "emails/gate_improvement_rejected_subject.txt",
            "[reviewgate] Votre amélioration d’Aspirateur X (AB-1) a été refusée",
        ),
        (
            "emails/gate_improvement_requested_subject.txt",
            "[reviewgate] Une amélioration d’Aspirateur X (AB-1) attend votre approbation",
        ),
    ],
)
def test_email_subjects_elide_before_the_product(template: str, french: str) -> None:
    context = {"product_name": "Aspirateur X", "product_sku": "AB-1"}
    with translation.override("fr"):
        assert render_to_string(template, context).strip() == french
    with translation.override("en"):
        assert "improvement of Aspirateur X" in render_to_string(template, context)


def test_the_notice_assigned_email_elides_before_the_product() -> None:
    context = {"assigned_by": "Marc L.", "product_name": "Écouteurs Z", "product_sku": "EC-2"}
    with translation.override("fr"):
        body = render_to_string("emails/notice_assigned_body.txt", context)
    assert "l’alerte de retrait d’Écouteurs Z (EC-2)." in body
