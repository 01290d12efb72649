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
  // htmx sends the CSRF token from the meta-free cookie-less page: read it from the form field.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
})();
