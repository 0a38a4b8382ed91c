/* Loaded in <head> of every page, before the body: what used to be inline script, which the
   Content-Security-Policy (core/headers.py) no longer runs. The "js" class comes first so the
   collapsed menu never flashes open; the rest listens on the document, so it needs no DOM yet. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The menu button on phones.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".menu-toggle");
    if (!toggle) return;
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (menu) toggle.setAttribute("aria-expanded", String(menu.classList.toggle("open")));
  });

  // <form data-confirm="Xóa hộ này?">: asks before deleting; "Cancel" sends nothing.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // A table box that scrolls sideways takes keyboard focus, so it can be scrolled without a
  // pointer (WCAG 2.1.1; axe-core's scrollable-region-focusable), unless a link inside already can.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.querySelector("a[href], button, input, select")) {
        box.tabIndex = 0;
      }
    });
  });
})();
