"""The French catalogue: complete, compiled from the committed .po, and actually served.

A fresh machine has no gettext tools, so the compiled .mo is committed next to the .po; these
tests catch a .po edited (or re-extracted by makemessages) without recompiling, and entries
left untranslated or fuzzy.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

from tests.conftest import REPO_ROOT
from tests.factories import product_create, user_create

LC_MESSAGES = REPO_ROOT / "locale" / "fr" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

# Python's %-placeholders as Django uses them: %(name)s, %(count)d, and the literal %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields["msgid"]

    @property
    def msgstrs(self) -> dict[str, str]:
        return {k: v for k, v in self.fields.items() if k.startswith("msgstr")}

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """Just enough of the PO format for msgfmt's own output; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    last: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, last = None, None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and current.fields:
                current = None  # a comment after the strings starts the next entry
            if current is None:
                current = Entry(line=number)
                entries.append(current)
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        match = KEYWORD.match(line)
        if match:
            if current is None or (match.group(1) in ("msgctxt", "msgid") and "msgid" in current.fields):
                current = Entry(line=number)
                entries.append(current)
            last = match.group(1)
            current.fields[last] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and current is not None and last is not None:
            current.fields[last] += ast.literal_eval(line)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    return [entry for entry in entries if "msgid" in entry.fields]


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    assert PO.exists(), f"{PO} is missing: run makemessages -l fr"
    return parse_po(PO)


@pytest.fixture(scope="module")
def messages(entries: list[Entry]) -> list[Entry]:
    return [entry for entry in entries if entry.msgid]


def test_parser_reads_plurals_contexts_and_continuation_lines(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "button"\nmsgid ""\n"%(n)d "\n"thing"\nmsgid_plural "%(n)d things"\n'
        'msgstr[0] "%(n)d chose"\nmsgstr[1] ""\n\n#~ msgid "old"\n#~ msgstr "vieux"\n',
        encoding="utf-8",
    )
    header, entry = parse_po(po)
    assert header.msgid == "" and header.fields["msgstr"] == "Language: fr\n"
    assert entry.fields["msgctxt"] == "button" and entry.msgid == "%(n)d thing"
    assert entry.msgstrs == {"msgstr[0]": "%(n)d chose", "msgstr[1]": ""}
    assert entry.flags == {"fuzzy", "python-format"}


def test_catalogue_header_declares_french_and_its_plural_rule(entries: list[Entry]) -> None:
    header = entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: fr\n" in header.fields["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);\n" in header.fields["msgstr"]
    assert "charset=UTF-8" in header.fields["msgstr"]


def test_every_entry_is_translated_and_none_is_fuzzy(messages: list[Entry]) -> None:
    assert len(messages) > 500  # the whole site, not a stub
    fuzzy = [str(entry) for entry in messages if "fuzzy" in entry.flags]
    untranslated = [str(entry) for entry in messages if not all(entry.msgstrs.values()) or not entry.msgstrs]
    assert not fuzzy, f"fuzzy entries (check them, then remove the flag): {fuzzy}"
    assert not untranslated, f"untranslated entries: {untranslated}"


def test_plural_entries_have_both_french_forms(messages: list[Entry]) -> None:
    wrong = [
        str(entry)
        for entry in messages
        if "msgid_plural" in entry.fields and set(entry.msgstrs) != {"msgstr[0]", "msgstr[1]"}
    ]
    assert not wrong


def _edges(text: str) -> tuple[str, str]:
    """Leading and trailing whitespace: email templates and joined fragments depend on it."""
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def test_translations_keep_placeholders_and_surrounding_whitespace(messages: list[Entry]) -> None:
    problems = []
    for entry in messages:
        sources = [entry.msgid, entry.fields.get("msgid_plural", entry.msgid)]
        for key, text in entry.msgstrs.items():
            source = sources[1] if key == "msgstr[1]" else sources[0]
            if sorted(set(PLACEHOLDER.findall(text))) != sorted(set(PLACEHOLDER.findall(source))):
                problems.append(f"{entry} {key}: placeholders {PLACEHOLDER.findall(text)}")
            if _edges(text) != _edges(source):
                problems.append(f"{entry} {key}: leading or trailing whitespace differs")
    assert not problems


# French sets a no-break space before “:” and a narrow one before “;”, “?” and “!” (“Autre :”,
# “Pourquoi ?”); a plain space would let the sign wrap to the next line alone.
FRENCH_PUNCTUATION = re.compile(r"(?<![\u00a0\u202f])[:;!?](?=\s|$)")
# Code quoted in a sentence keeps its own punctuation (an HTTP header's colon).
QUOTED_CODE = re.compile(r"«\u00a0[^»]*\u00a0»")


def test_french_punctuation_has_its_no_break_space(messages: list[Entry]) -> None:
    problems = []
    for entry in messages:
        for key, text in entry.msgstrs.items():
            prose = QUOTED_CODE.sub("", text)
            for match in FRENCH_PUNCTUATION.finditer(prose):
                problems.append(f"{entry} {key}: {prose[max(0, match.start() - 20) : match.end()]!r}")
    assert not problems, "\n".join(problems)


def _po_catalog(entries: list[Entry]) -> dict[object, str]:
    """What a .mo compiled from these entries holds, keyed as gettext.GNUTranslations keys it."""
    catalog: dict[object, str] = {}
    for entry in entries:
        if "fuzzy" in entry.flags and entry.msgid:
            continue  # msgfmt leaves fuzzy entries out
        msgid = entry.msgid
        if "msgctxt" in entry.fields:
            msgid = f"{entry.fields['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry.fields:
            for key, text in entry.msgstrs.items():
                catalog[(msgid, int(key[len("msgstr[") : -1]))] = text
        elif not msgid:
            # msgfmt drops the extraction date from the compiled header.
            lines = entry.fields["msgstr"].splitlines(keepends=True)
            catalog[msgid] = "".join(line for line in lines if not line.startswith("POT-Creation-Date:"))
        else:
            catalog[msgid] = entry.fields["msgstr"]
    return catalog


def test_compiled_catalogue_holds_exactly_the_po_translations(entries: list[Entry]) -> None:
    assert MO.exists(), f"{MO} is missing: run compilemessages -l fr and commit it"
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    expected = _po_catalog(entries)
    actual = compiled._catalog  # type: ignore[attr-defined]
    stale = sorted(repr(key) for key in expected.keys() | actual.keys() if expected.get(key) != actual.get(key))
    assert not stale, f"django.mo does not match django.po (run compilemessages -l fr): {stale[:10]}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
def test_committed_mo_is_byte_identical_to_a_fresh_compile(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    # The flags compilemessages uses; --check also verifies placeholders and plural headers.
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh), str(PO)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert fresh.read_bytes() == MO.read_bytes(), "django.mo is older than django.po: run compilemessages -l fr"


@pytest.mark.django_db
def test_language_cookie_serves_the_home_page_in_french(client) -> None:
    product_create(name="Trail Runner 500")
    client.cookies["django_language"] = "fr"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in page
    assert "Fonctionnement des avis" in page  # "How reviews work" in the main navigation
    assert "Se connecter" in page and "How reviews work" not in page


@pytest.mark.django_db
def test_signed_in_user_with_french_gets_french_over_the_browser_language(client) -> None:
    product_create(name="Trail Runner 500")
    client.force_login(user_create("shopper", language="fr"))
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mes avis" in page and "My reviews" not in page


@pytest.mark.django_db
def test_english_stays_english(client) -> None:
    product_create(name="Trail Runner 500")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How reviews work" in page and "Fonctionnement des avis" not in page


def test_french_plural_rule_puts_zero_and_one_in_the_singular() -> None:
    with translation.override("fr"):
        forms = [
            translation.ngettext("%(n)d review approved.", "%(n)d reviews approved.", n) % {"n": n} for n in (0, 1, 2)
        ]
    assert forms == ["0 avis approuvé.", "1 avis approuvé.", "2 avis approuvés."]
