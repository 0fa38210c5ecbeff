"""axe-core on every page a browser test visits: WCAG 2.1 A and AA violations fail the test.

How it runs: an init script of the browser context (tests/browser/conftest.py `_context`)
brings axe-core into every document before the page's own scripts, and runs it on each
HTML document of the site once it has loaded; the results come back through a binding.
Init scripts and bindings go through the DevTools protocol, which the page's
Content-Security-Policy does not govern: no script tag is added, the policy is not relaxed
for the tests, and the site's own scripts run as they would for a visitor.

How no page escapes: each document announces itself when it starts. A context-wide route
sees every request; when one is the navigation of a page's main frame, it holds it until
the document being left has reported (Chromium keeps that document until the new response
commits, so its check finishes undisturbed). The last document of each page still open is
waited for when the context is torn down. A document that never reports (left before its
load event) is itself a failure, not a silent pass.

See docs/accessibility.md for what axe checks and what it cannot see.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.base import AXE_SCRIPT

# WCAG 2.0 and 2.1, levels A and AA: what the site promises (docs/accessibility.md).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# How long a navigation or a teardown waits for the check of the document it leaves. A
# navigation's own timeout grows by as much (conftest), since it includes that wait.
# ReDoc's page, the largest, took 24 s on a loaded 2-core machine.
AXE_WAIT_SECONDS = 60.0

# Only the site's HTML documents in a top-level window: not about:blank, data: or
# set_content scaffolding, not a JSON or image response that Chromium renders itself.
_RUNNER = """
(function () {
  if (window.top !== window || !/^https?:$/.test(location.protocol) || document.contentType !== "text/html") {
    return;
  }
  window.__axeStarted(location.href);
  window.__axeRun = function () {
    var url = location.href;
    var started = performance.now();
    // As axe starts: a page that grows after this point is checked again at teardown.
    window.__axeElements = document.getElementsByTagName("*").length;
    // preload off: axe would otherwise parse @import-ed stylesheets in a <style> element the
    // page's policy (rightly) refuses; it serves one rule, css-orientation-lock (see the docs).
    var options = {runOnly: {type: "tag", values: %(tags)s}, resultTypes: ["violations"], preload: false};
    return window.axe.run(document, options)
      .then(function (results) {
        window.__axeReport(url, results.violations.map(function (v) {
          return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) {
            return {target: n.target.join(" "), summary: n.failureSummary || ""};
          })};
        }), null, performance.now() - started);
      }, function (error) { window.__axeReport(url, [], String(error), performance.now() - started); });
  };
  // After every other load listener: scripts that build widgets on load (the admin's) are done.
  window.addEventListener("load", function () { setTimeout(window.__axeRun, 0); });
})();
"""
_CHANGED_SINCE_CHECKED = (
    "typeof window.__axeRun === 'function' && window.__axeElements !== document.getElementsByTagName('*').length"
)
AXE_INIT_SCRIPT = AXE_SCRIPT + "\n" + _RUNNER % {"tags": json.dumps(AXE_TAGS)}


@dataclass
class AxeFindings:
    """What axe found in one test, as readable lines, and which documents it checked."""

    violations: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    milliseconds: list[float] = field(default_factory=list)
    started: dict[Any, int] = field(default_factory=dict)
    reported: dict[Any, int] = field(default_factory=dict)

    def report(self) -> str:
        return "axe-core found WCAG 2.1 AA violations:\n" + "\n".join(self.violations)

    def on_started(self, source: dict[str, Any], url: str) -> None:
        page = source["page"]
        self.started[page] = self.started.get(page, 0) + 1

    def on_report(
        self, source: dict[str, Any], url: str, violations: list[dict[str, Any]], error: str | None, ms: float
    ) -> None:
        page = source["page"]
        self.reported[page] = self.reported.get(page, 0) + 1
        self.checked.append(url)
        self.milliseconds.append(ms)
        found = [f"- axe itself failed at {url}: {error}"] if error else []
        for violation in violations:
            for node in violation["nodes"]:
                summary = " ".join(node["summary"].split())
                found.append(
                    f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
                    f"    at {url}\n    element: {node['target']}\n    {summary}"
                )
        self.violations += [line for line in found if line not in self.violations]

    def wait_for(self, page: Any) -> None:
        """Until every document the page started has reported; a document that cannot is
        a failure (a page the check did not see)."""
        deadline = time.monotonic() + AXE_WAIT_SECONDS
        while self.reported.get(page, 0) < self.started.get(page, 0):
            if page.is_closed():
                return
            if time.monotonic() > deadline:
                self.violations.append(f"- axe could not check {page.url}: no result after {AXE_WAIT_SECONDS:.0f} s")
                self.reported[page] = self.started[page]
                return
            page.wait_for_timeout(25)


def axe_watch(context: Any, findings: AxeFindings) -> None:
    """Run axe on every document of the context's pages, and hold each main-frame navigation
    until the document it replaces has been checked."""
    context.expose_binding("__axeStarted", findings.on_started)
    context.expose_binding("__axeReport", findings.on_report)
    context.add_init_script(AXE_INIT_SCRIPT)

    def on_route(route: Any) -> None:
        request = route.request
        if request.is_navigation_request() and request.frame.parent_frame is None:
            findings.wait_for(request.frame.page)
        route.fallback()

    context.route("**/*", on_route)


def axe_finish(context: Any, findings: AxeFindings) -> None:
    """Wait for the check of the last document of each page still open, then, if scripts
    changed it since, check it once more as the test leaves it (Swagger UI draws after load)."""
    for page in context.pages:
        findings.wait_for(page)
        # Only if scripts changed the page since (a cheap sign: its number of elements).
        if page.evaluate(_CHANGED_SINCE_CHECKED):
            findings.started[page] = findings.started.get(page, 0) + 1
            page.evaluate("window.__axeRun()")
            findings.wait_for(page)
