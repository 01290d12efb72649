// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Buttons with data-confirm ask before submitting their form.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // Buttons with data-print print the page (the receipt); print styles are in app.css.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
  // htmx sends the CSRF token from the meta-free cookie-less page: read it from the form field.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
  // A table wider than the screen scrolls sideways (see app.css): make it reachable by keyboard.
  function focusableScrollers() {
    document.querySelectorAll(".table, .table-scroll").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "0"); }
      } else if (el.getAttribute("tabindex") === "0" && !el.hasAttribute("data-keep-tabindex")) {
        el.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);
  document.addEventListener("htmx:afterSettle", focusableScrollers);
})();
// A form that autosaves (hx-post) and is also sent normally (save, submit): the normal send waits
// for an autosave in flight and stops any further autosave of the page, so the two never race
// (the application's sections, whose autosave answer carries the new version, and the scoring sheet).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("hx-post")) { return; }
    if (form.classList.contains("htmx-request")) {
      event.preventDefault();
      var submitter = event.submitter;
      form.addEventListener("htmx:afterSettle", function () { form.requestSubmit(submitter); }, { once: true });
      return;
    }
    form.setAttribute("data-submitting", "1");
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.getAttribute && form.getAttribute("data-submitting")) { event.preventDefault(); }
  });
})();
