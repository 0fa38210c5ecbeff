// reviewgate: Django admin, accessibility (docs/accessibility.md). Django's own widgets leave
// two things unnamed or misnamed, fixed here after they are built (on the window's load):
// - a split date and time field (AdminSplitDateTime): its two inputs have no label, only the
//   words "Date:" and "Time:" beside them; each gets a name: the field's label and that word.
// - the filter boxes of a two-list selector (SelectFilter2): a help icon is a plain span with
//   an aria-label, which ARIA forbids on an element without a role: it is an image.
(function () {
  "use strict";

  function nameSplitDateTimes() {
    document.querySelectorAll("p.datetime").forEach(function (paragraph) {
      var row = paragraph.closest(".form-row, .fieldBox, td");
      var fieldLabel = row ? row.querySelector("label") : null;
      var prefix = fieldLabel ? fieldLabel.textContent.replace(/:\s*$/, "").trim() + " " : "";
      var word = "";
      paragraph.childNodes.forEach(function (node) {
        if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
          word = node.textContent.replace(/:\s*$/, "").trim();
        } else if (node.nodeType === Node.ELEMENT_NODE && node.matches("input") && !node.hasAttribute("aria-label")) {
          node.setAttribute("aria-label", (prefix + word).trim());
        }
      });
    });
  }

  function roleForHelpIcons() {
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // A deferred script: this listener comes after those of Django's widget scripts (in the
  // page's head), so the selectors are built when it runs.
  window.addEventListener("load", function () {
    nameSplitDateTimes();
    roleForHelpIcons();
  });
})();
