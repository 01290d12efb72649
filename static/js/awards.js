// The application's sections: live character counters and a submit button that sends only once.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "";
  var zh = lang.indexOf("zh") === 0;
  function label(n, area) {
    var min = +area.getAttribute("data-min"), low = +area.getAttribute("data-low"),
        high = +area.getAttribute("data-high"), max = +area.getAttribute("maxlength");
    var hint;
    if (n < min) { hint = zh ? "（至少 " + min + " 字）" : " (at least " + min + ")"; }
    else if (n < low) { hint = zh ? "（建议 " + low + "–" + high + " 字）" : " (" + low + "–" + high + " recommended)"; }
    else if (n <= high) { hint = zh ? "（篇幅合适）" : " (good length)"; }
    else { hint = zh ? "（较长，上限 " + max + " 字）" : " (long; limit " + max + ")"; }
    return (zh ? n + " / " + max + " 字" : n + " / " + max + " characters") + hint;
  }
  function update(area) {
    var out = document.querySelector('[data-counter-for="' + area.id + '"]');
    if (!out) { return; }
    var n = area.value.length;
    out.textContent = label(n, area);
    out.classList.toggle("counter-short", n < +area.getAttribute("data-min"));
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-counter]")) { update(event.target); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-counter]").forEach(update);
  });
  // A double click on submit sends one request (the server refuses a second one anyway).
  document.addEventListener("submit", function (event) {
    var btn = event.target.querySelector("button[data-once]");
    if (!btn) { return; }
    if (btn.getAttribute("data-sent")) { event.preventDefault(); return; }
    btn.setAttribute("data-sent", "1");
  });
})();
// Explicit save and autosave share the form's version: an explicit save waits for an autosave in
// flight (whose answer carries the new version) and stops any further autosave of the page.
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
// After an autosave the server announces the application's new version (HX-Trigger: mqa:saved).
document.addEventListener("mqa:saved", function (event) {
  "use strict";
  var form = event.target.closest ? event.target.closest("form") : null;
  var input = form && form.querySelector("input[name=version]");
  if (input && event.detail && event.detail.version) { input.value = event.detail.version; }
});
