/* Self-checks (xentlib/course/selfcheck.py): feedback for an answer, without Python.
 * Each check is a <form class="xe-check"> holding every feedback text in a hidden
 * .xc-store; the one for the reader's answer is copied into the aria-live region.
 * A choice answers on "change" (mouse, or arrow keys in the radio group); a number
 * on submit (the Check button or Enter), judged as SelfCheck.judge does. */
(function () {
  "use strict";
  var NUM = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
  function judge(f) {
    var s = f.querySelector("input").value.trim().replace(/\u2212/g, "-").replace(",", ".");
    if (!NUM.test(s)) { return "nan"; }
    var x = parseFloat(s), a = +f.dataset.answer, t = +f.dataset.tol;
    if (Math.abs(x - a) <= t) { return "ok"; }
    var m = (f.dataset.mistakes || "").split(" ");
    for (var i = 0; i < m.length; i++) {
      if (m[i] !== "" && Math.abs(x - +m[i]) <= t) { return "m" + i; }
    }
    return x > a ? "high" : "low";
  }
  function show(f, key) {
    var src = f.querySelector('.xc-store [data-for="' + key + '"]'), live = f.querySelector(".xc-live");
    if (!src) { return; }
    live.innerHTML = src.innerHTML;
    live.setAttribute("data-ok", src.getAttribute("data-ok"));
    f.setAttribute("data-answered", key);
  }
  function init() {
    document.querySelectorAll("form.xe-check").forEach(function (f) {
      f.addEventListener("change", function (e) {
        if (e.target.type === "radio") { show(f, e.target.value); }
      });
      f.addEventListener("submit", function (e) {
        e.preventDefault();
        if (f.dataset.kind === "number") { show(f, judge(f)); }
      });
      f.setAttribute("data-ready", "true");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
