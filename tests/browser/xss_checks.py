"""What the XSS corpus test checks on each page it loads in Chromium.

- ``MARKER_INIT`` runs before the page's own scripts and records every call of
  ``window.__xss(n)``: a payload that ran names itself (alert(n) is caught as a dialog).
- ``INJECTED`` lists what a payload could have added to the DOM: an element the app never
  writes (script without a same-origin src, iframe, object, embed, base, meta refresh,
  MathML, SVG animation, an unknown element...), any on* attribute (the CSP forbids inline
  handlers, so the app has none), a style attribute carrying code, a javascript:/data: URL.
- ``TEXT_FOUND`` says which payloads the page shows verbatim, as text or as a form
  field's value: what an escaped payload must render as. Whitespace is collapsed on both
  sides, in JavaScript, so both sides agree on what whitespace is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MARKER_INIT = """
window.__xssFired = [];
window.__xss = function (n) { window.__xssFired.push(String(n)); };
"""

INJECTED = r"""
() => {
  const found = [];
  const FORBIDDEN = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base',
    'math', 'mtext', 'maction', 'foreignobject', 'animate', 'set', 'image', 'video', 'audio',
    'source', 'picture', 'marquee', 'xmp', 'plaintext', 'isindex', 'template', 'style']);
  const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href',
    'background', 'poster', 'srcdoc', 'srcset', 'to']);
  const PAYLOAD_ONLY_ATTRS = new Set(['formaction', 'srcdoc', 'background', 'contenteditable',
    'attributename', 'accesskey', 'data-x']);
  const describe = (el) => el.outerHTML.slice(0, 160);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName.toLowerCase();
    if (FORBIDDEN.has(tag)) found.push('element ' + describe(el));
    else if (el instanceof HTMLUnknownElement) found.push('unknown element ' + describe(el));
    if (tag === 'script' && el.type !== 'application/ld+json') {
      const src = el.getAttribute('src');
      if (!src || new URL(src, location.href).origin !== location.origin) found.push('script ' + describe(el));
    }
    if (tag === 'meta' && el.hasAttribute('http-equiv')) found.push('meta ' + describe(el));
    if (tag === 'img' && ['x', ''].includes((el.getAttribute('src') || el.getAttribute('srcset') || '').trim()))
      found.push('img ' + describe(el));
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
      if (name.startsWith('on')) found.push('handler ' + describe(el));
      // The admin's scripts set styles through the DOM (allowed); a payload's carries code.
      else if (name === 'style' && /javascript|expression|__xss/.test(value)) found.push('style ' + describe(el));
      else if (PAYLOAD_ONLY_ATTRS.has(name)) found.push('attribute ' + name + ' ' + describe(el));
      if (URL_ATTRS.has(name) && /^(javascript|vbscript|data:text\/html)/.test(value))
        found.push('url ' + describe(el));
    }
  }
  return found;
}
"""

TEXT_FOUND = r"""
(payloads) => {
  const squash = (s) => s.replace(/\s+/g, ' ').trim();
  const parts = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement ? node.parentElement.localName : '';
    if (parent !== 'script' && parent !== 'style') parts.push(node.data);
  }
  for (const input of document.querySelectorAll('input, textarea')) parts.push(input.value);
  for (const el of document.querySelectorAll('[title], [alt], [aria-label]')) {
    parts.push(el.getAttribute('title') || '', el.getAttribute('alt') || '', el.getAttribute('aria-label') || '');
  }
  const text = squash(parts.join('\n'));
  const found = [];
  payloads.forEach((p, i) => { if (text.includes(squash(p))) found.push(i); });
  return found;
}
"""

CSP_SEEN = "() => window.__cspViolations || []"


@dataclass
class Findings:
    """What every page visited showed, by place (shopper, desk, admin...)."""

    pages: int = 0
    problems: list[str] = field(default_factory=list)
    shown: dict[str, set[int]] = field(default_factory=dict)
    fired: set[str] = field(default_factory=set)

    def page_check(self, page: Any, *, place: str, payloads: list[str], url: str) -> None:
        """Problems of the page now loaded; the payloads it shows are added to its place."""
        self.pages += 1
        page.mouse.move(300, 300)  # hover handlers, had any been injected
        page.mouse.move(700, 500)
        fired = page.evaluate("() => window.__xssFired || []")
        self.fired.update(fired)
        self.problems += [f"{url}: payload {n} ran" for n in fired]
        self.problems += [f"{url}: {what}" for what in page.evaluate(INJECTED)]
        self.problems += [f"{url}: CSP violation {what}" for what in page.evaluate(CSP_SEEN)]
        self.shown.setdefault(place, set()).update(page.evaluate(TEXT_FOUND, payloads))

    def missing(self, place: str, payloads: list[str]) -> list[int]:
        return [number for number in range(len(payloads)) if number not in self.shown.get(place, set())]
