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
// After an autosave the server announces the application's new version (HX-Trigger: mqa:saved).
document.addEventListener("mqa:saved", function (event) {
  "use strict";
  var form = event.target.closest ? event.target.closest("form") : null;
  var input = form && form.querySelector("input[name=version]");
  if (input && event.detail && event.detail.version) { input.value = event.detail.version; }
});
