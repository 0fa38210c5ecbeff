// reviewgate: progressive enhancement only. Every form works without this file;
// with it, helpful votes are sent without leaving the page and text areas show a counter.
// User text is only ever written with textContent, never as HTML.
(function () {
  "use strict";

  function enhanceVoteForm(form) {
    var status = form.querySelector(".vote-status");
    var buttons = form.querySelectorAll("button");
    var busy = false;
    // Never `disabled` while a vote is sent: a disabled button loses keyboard focus to the
    // page body. aria-disabled tells assistive technology; `busy` refuses a second press.
    function setBusy(value) {
      busy = value;
      buttons.forEach(function (b) {
        if (value) { b.setAttribute("aria-disabled", "true"); } else { b.removeAttribute("aria-disabled"); }
      });
    }
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (!submitter || !window.fetch || !window.FormData || form.dataset.fallback === "1") {
        return; // the plain form post
      }
      event.preventDefault();
      if (busy) { return; }
      var data = new FormData(form);
      data.set(submitter.name, submitter.value);
      setBusy(true);
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || type.indexOf("application/json") === -1) {
          throw new Error("fallback"); // e.g. signed out: let the browser follow the normal flow
        }
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        setBusy(false);
        if (!result.ok) {
          status.textContent = (result.body.error && result.body.error.message) || "";
          status.classList.add("error");
          return;
        }
        status.classList.remove("error");
        ["yes", "no"].forEach(function (key) {
          var count = form.querySelector('[data-count="' + key + '"]');
          if (count) { count.textContent = String(result.body["helpful_" + key]); }
        });
        buttons.forEach(function (b) {
          b.setAttribute("aria-pressed", b.value === result.body.my_vote ? "true" : "false");
        });
        status.textContent = result.body.message || "";
        // The focus stays where it was; should anything have moved it, give it back.
        if (document.activeElement === document.body) { submitter.focus(); }
      }).catch(function () {
        form.dataset.fallback = "1";
        setBusy(false);
        if (form.requestSubmit) { form.requestSubmit(submitter); } else { submitter.click(); }
      });
    });
  }

  function enhanceCounter(textarea) {
    var max = parseInt(textarea.getAttribute("maxlength"), 10);
    if (!max) { return; }
    var counter = document.createElement("p");
    counter.className = "help char-counter";
    counter.id = textarea.id + "_counter";
    // Not a live region: announcing every keystroke would drown the writer; the
    // counter is read with the field's description when it gets focus.
    textarea.insertAdjacentElement("afterend", counter);
    var describedBy = textarea.getAttribute("aria-describedby");
    textarea.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + counter.id);
    var template = textarea.dataset.counterTemplate || "%(count)s / %(max)s";
    // Numbers as the page's language writes them ("5,000"; "5 000" in French), as the
    // server's core.local_formats does.
    var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
    function update() {
      counter.textContent = template
        .replace("%(count)s", numbers.format(textarea.value.length))
        .replace("%(max)s", numbers.format(max));
    }
    textarea.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-vote]").forEach(enhanceVoteForm);
    document.querySelectorAll("textarea[maxlength]").forEach(enhanceCounter);
    var errors = document.getElementById("form-errors");
    if (errors) {
      // Take keyboard and screen-reader users straight to what needs correcting.
      errors.setAttribute("tabindex", "-1");
      errors.focus();
    } else {
      showMessagesAtTarget();
    }
  });

  // An action that redirects to a part of a long page (a notice's "#comments") is confirmed
  // at the top of the page, out of view where the browser lands: show the confirmation at
  // the start of that part instead, and take the focus there so a screen reader reads it.
  function showMessagesAtTarget() {
    var messages = document.querySelector(".messages");
    var id = window.location.hash.slice(1);
    var target = id ? document.getElementById(decodeURIComponent(id)) : null;
    if (!messages || !target || !document.getElementById("main").contains(target)) {
      return;
    }
    messages.classList.add("messages-at-target");
    target.insertBefore(messages, target.firstChild);
    messages.setAttribute("tabindex", "-1");
    messages.focus({ preventScroll: true });
    target.scrollIntoView();
  }
})();
