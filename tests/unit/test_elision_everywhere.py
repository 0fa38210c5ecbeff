"""Every French sentence that puts an eliding word (de, que, le...) right before an
interpolated name elides it (issue 18): each such message of the catalogue is used only
inside ``{% elide %}`` (templates) or through ``core.elision.elide_before`` (Python). A new
"de %(name)s" message shown without the rule fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.elision import ELIDED
from tests.integration.test_translations import PO, parse_po

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "node_modules", "tests", "locale", ".git", "staticfiles", "media"}

# Placeholders that hold numbers, dates, durations or codes, never a word: French does not
# elide before a digit ("de 11"; "le 1er" is a date), nor before a product code read as such.
NOT_WORDS = {
    "n", "count", "counter", "max", "min", "minimum", "mp", "scans", "hours", "days", "span",
    "late", "average", "start", "end", "low", "high", "threshold", "day", "date", "at", "first",
    "last", "since", "next", "today", "deadline", "earliest", "latest", "due", "when",
    "written", "decided", "previous", "age", "factor", "limit_value", "show_value", "sku",
    "title",
}  # fmt: skip
ELIDING_BEFORE_PLACEHOLDER = re.compile(rf"(?<![\w’'-])(?:{'|'.join(ELIDED)}) %\((\w+)\)[sd]", re.IGNORECASE)


def _elided_messages() -> list[str]:
    found = []
    for entry in parse_po(PO):
        for msgstr in entry.msgstrs.values():
            names = set(ELIDING_BEFORE_PLACEHOLDER.findall(msgstr)) - NOT_WORDS
            if names and entry.msgid not in found:
                found.append(entry.msgid)
    return found


ELIDED_MESSAGES = _elided_messages()


def _sources(suffixes: tuple[str, ...]) -> list[tuple[Path, str]]:
    files = []
    for path in ROOT.rglob("*"):
        if path.suffix in suffixes and not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
            files.append((path, path.read_text(encoding="utf-8")))
    return files


TEMPLATES = _sources((".html", ".txt"))
PYTHON = _sources((".py",))


def _template_form(msgid: str) -> str:
    return re.sub(r"%\((\w+)\)[sd]", r"{{ \1 }}", msgid)


def test_the_catalogue_has_such_messages() -> None:
    assert "Photos by %(name)s" in ELIDED_MESSAGES and "Reply from %(brand)s" in ELIDED_MESSAGES


@pytest.mark.parametrize("msgid", ELIDED_MESSAGES)
def test_each_use_of_the_message_is_elided(msgid: str) -> None:
    uses = 0
    text = _template_form(msgid)
    for path, source in TEMPLATES:
        for match in re.finditer(re.escape(text), source):
            uses += 1
            before = source[: match.start()]
            assert before.rfind("{% elide ") > before.rfind("{% endelide %}"), (
                f"{path}: {msgid!r} outside {{% elide %}}"
            )
    literal = re.compile(r"""(["'])""" + re.escape(msgid) + r"\1")
    for path, source in PYTHON:
        for line in source.splitlines():
            if literal.search(line):
                uses += 1
                assert "elide_before(" in line, f"{path}: {msgid!r} without elide_before"
    assert uses, f"{msgid!r} is in the catalogue but used nowhere"
