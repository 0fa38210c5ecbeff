// reviewgate: Django admin, accessibility (docs/accessibility.md). Django's own widgets leave
// two things unnamed or misnamed, fixed here after they are built (on the window's load):
// - a split date and time field (AdminSplitDateTime): its two inputs have no label, only the
//   words "Date:" and "Time:" beside them; each gets a name: the field's label and that word.
// - the filter boxes of a two-list selector (SelectFilter2): a help icon is a plain span with
//   an aria-label, which ARIA forbids on an element without a role: it is an image.
// - an autocomplete field (Select2, e.g. an API key's owner): its combobox is named by the
//   box showing the choice, empty until one is made; both get the field's label.
// - a tabular inline's inputs (the product images): their only label is the column's
//   heading; each gets it as its name, with the row's number.
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

  function nameTabularInlineFields() {
    document.querySelectorAll(".tabular table").forEach(function (table) {
      table.querySelectorAll("tbody tr").forEach(function (row, index) {
        row.querySelectorAll("td[class^='field-'], td[class*=' field-']").forEach(function (cell) {
          var field = Array.prototype.find.call(cell.classList, function (name) { return name.indexOf("field-") === 0; });
          var heading = table.querySelector("thead th.column-" + field.slice("field-".length));
          if (!heading) { return; }
          var name = heading.textContent.trim() + " " + (index + 1);
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
            var labelled = control.labels && control.labels.length;
            if (!labelled && !control.hasAttribute("aria-label")) { control.setAttribute("aria-label", name); }
          });
        });
      });
    });
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
      var label = document.querySelector("label[for='" + select.id + "']");
      var container = select.parentElement.querySelector(".select2-container");
      if (!label || !container || container.dataset.named) { return; }
      container.dataset.named = "1";
      if (!label.id) { label.id = select.id + "-label"; }
      var name = label.textContent.replace(/:\s*$/, "").trim();
      container.querySelectorAll("[role=textbox], .select2-selection__rendered").forEach(function (box) {
        box.setAttribute("aria-label", name);
      });
      container.querySelectorAll(".select2-selection[role=combobox]").forEach(function (combobox) {
        var shown = combobox.getAttribute("aria-labelledby") || "";
        combobox.setAttribute("aria-labelledby", (label.id + " " + shown).trim());
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
    nameTabularInlineFields();
    nameAutocompletes();
    // Select2 builds its boxes from jQuery's ready queue, which may run after this
    // listener: name each box when it appears too.
    new MutationObserver(nameAutocompletes).observe(document.body, { childList: true, subtree: true });
    roleForHelpIcons();
  });
})();
