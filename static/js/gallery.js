// reviewgate: the photo gallery (templates/products/_customer_photos.html). Progressive
// enhancement: every photo is a plain link to its larger size; with this file a link with
// data-gallery opens the <dialog> instead, with the other photos of its group (the strip,
// one review's photos, the product's pictures) a button or an arrow key away. The native
// dialog keeps focus inside, closes on Escape, and focus returns to the link that opened it.
// Captions are written with textContent only, never as HTML.
(function () {
  "use strict";

  var dialog = document.getElementById("photo-gallery");
  if (!dialog || typeof dialog.showModal !== "function") {
    return; // the links still open the photos
  }
  var script = document.currentScript || document.querySelector("script[data-position-template]");
  var positionTemplate = (script && script.dataset.positionTemplate) || "%(n)s / %(count)s";
  var image = dialog.querySelector(".photo-gallery-image");
  var caption = dialog.querySelector("figcaption");
  var position = dialog.querySelector(".photo-gallery-position");
  var previous = dialog.querySelector("[data-gallery-previous]");
  var next = dialog.querySelector("[data-gallery-next]");
  var close = dialog.querySelector("[data-gallery-close]");
  var report = dialog.querySelector("[data-gallery-report]");
  var group = [];
  var index = 0;
  var opener = null;

  function show(i) {
    index = (i + group.length) % group.length;
    var link = group[index];
    var thumb = link.querySelector("img");
    image.src = link.href;
    image.alt = thumb ? thumb.alt : "";
    caption.textContent = link.dataset.caption || "";
    position.textContent = positionTemplate.replace("%(n)s", String(index + 1)).replace("%(count)s", String(group.length));
    // One photo: nothing to go to, and "1 of 1" says nothing either.
    previous.hidden = next.hidden = position.hidden = group.length < 2;
    // Customers' photos can be reported (reviews.views.review_report); the product's own cannot.
    report.hidden = !link.dataset.reportUrl;
    report.href = link.dataset.reportUrl || "";
  }

  function open(link) {
    var name = link.dataset.gallery;
    group = Array.prototype.filter.call(document.querySelectorAll("a[data-gallery]"), function (a) {
      return a.dataset.gallery === name;
    });
    opener = link;
    show(group.indexOf(link));
    dialog.showModal();
    close.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-gallery]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
      return; // a new tab or window: the plain link
    }
    event.preventDefault();
    open(link);
  });
  previous.addEventListener("click", function () { show(index - 1); });
  next.addEventListener("click", function () { show(index + 1); });
  close.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("keydown", function (event) {
    if (group.length < 2) { return; }
    if (event.key === "ArrowLeft") { show(index - 1); event.preventDefault(); }
    if (event.key === "ArrowRight") { show(index + 1); event.preventDefault(); }
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) { dialog.close(); } // a click on the backdrop
  });
  dialog.addEventListener("close", function () {
    image.removeAttribute("src");
    if (opener) { opener.focus(); }
  });
})();
