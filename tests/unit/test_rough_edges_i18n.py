"""Issue 18's rough edges that hold for every form and template: every visible form field
has a translatable label (never one Django makes from the field's name, "Reviews"), no
template writes a colon after a label outside a translated string (French needs a no-break
space before it), and a name ending in "." is not followed by a second full stop."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest
from django import forms
from django.utils.functional import Promise

from core.names import name_ending_sentence

FORM_MODULES = ["accounts.forms", "desk.care_forms", "desk.forms", "desk.topic_forms", "reviews.forms"]
ROOT = Path(__file__).resolve().parents[2]


def _forms() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        found += [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == name
        ]
    return found


@pytest.mark.parametrize("form", _forms(), ids=lambda form: form.__name__)
def test_every_field_of_every_form_has_a_translatable_label(form: type[forms.BaseForm]) -> None:
    untranslated = [
        name
        for name, field in form.base_fields.items()  # type: ignore[attr-defined]  # set by the form's metaclass
        if not isinstance(field.widget, forms.HiddenInput) and not isinstance(field.label, Promise)
    ]
    assert untranslated == []


def _templates() -> list[Path]:
    return sorted(path for path in ROOT.glob("*/templates/**/*.*") if ".venv" not in path.parts) + sorted(
        (ROOT / "templates").glob("**/*.*")
    )


TRANSLATED_BLOCK = re.compile(r"{% blocktranslate.*?{% endblocktranslate %}|{% comment %}.*?{% endcomment %}", re.S)
COLON_AFTER_LABEL = re.compile(r"(</\w+>|\}\}|%\}) ?:(\s|<|$)")


def test_no_template_writes_a_colon_after_a_label_outside_a_translated_string() -> None:
    found = []
    for path in _templates():
        text = TRANSLATED_BLOCK.sub("", path.read_text())
        found += [f"{path.relative_to(ROOT)}: {match.group(0)!r}" for match in COLON_AFTER_LABEL.finditer(text)]
    assert found == []


@pytest.mark.parametrize(("name", "shown"), [("Marc L.", "Marc L"), ("Alex", "Alex"), ("", "")])
def test_a_name_ending_a_sentence_loses_its_own_full_stop(name: str, shown: str) -> None:
    assert name_ending_sentence(name) == shown


COUNTED_BLOCK = re.compile(r"{% blocktranslate [^%]*count counter=[^%]*%}(.*?){% endblocktranslate %}", re.S)
# Counts that stay small (days left before a withdrawal, 1 to 5 stars); emails are written apart.
SMALL_COUNTS = {"desk/_days_left.html"}
STARS_BODY = "{{ counter }} star{% plural %}{{ counter }} stars"


def test_every_count_in_a_page_is_written_grouped_in_the_active_language() -> None:
    """``{{ counter }}`` writes "1000" in every language; pages write ``{{ n }}`` given as
    ``with n=value|number`` ("1 000" in French, "1,000" in English)."""
    found = []
    for path in _templates():
        relative = path.relative_to(ROOT).as_posix()
        if "/emails/" in relative or any(relative.endswith(small) for small in SMALL_COUNTS):
            continue
        found += [
            relative
            for body in COUNTED_BLOCK.findall(path.read_text())
            if "{{ counter }}" in body and body != STARS_BODY
        ]
    assert found == []
