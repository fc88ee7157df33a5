/* Course: small behaviours on every page.
 *
 * A display equation or printed output wider than the text column scrolls
 * inside its own box (assets/custom.css).  A scrolling box has to be reachable with the keyboard
 * (axe-core rule "scrollable-region-focusable"), so each one that overflows
 * gets a tab stop and a label, after MathJax has typeset the page and again
 * when the window is resized.
 *
 * On paper nothing can scroll: before printing, each display equation wider
 * than the column is scaled down to fit it (restored after printing).
 * tools/pdf.py calls the same function, window.courseFitEquations().
 */
(function () {
  "use strict";
  function tabStops() {
    document.querySelectorAll('mjx-container[display="true"], div.cell_output pre, div.output pre').forEach(function (m) {
      if (m.scrollWidth > m.clientWidth + 1) {
        if (!m.hasAttribute("tabindex")) {
          m.setAttribute("tabindex", "0");
          m.setAttribute("data-course-scroll", "true");
        }
      } else if (m.getAttribute("data-course-scroll") === "true") {
        m.removeAttribute("tabindex");
        m.removeAttribute("data-course-scroll");
      }
    });
  }
  function whenTypeset() {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(tabStops);
    } else {
      tabStops();
    }
  }
  function fitEquations() {
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (m) {
      m.style.fontSize = "";
      var box = m.parentElement.getBoundingClientRect().width, wide = m.scrollWidth;
      var inner = m.firstElementChild ? m.firstElementChild.getBoundingClientRect().width : wide;
      var need = Math.max(wide, inner);
      if (box > 0 && need > box + 1) {
        m.style.fontSize = Math.max(55, Math.floor(100 * box / need)) + "%";
        m.setAttribute("data-course-fit", "true");
      }
    });
  }
  function unfitEquations() {
    document.querySelectorAll('mjx-container[data-course-fit]').forEach(function (m) {
      m.style.fontSize = "";
      m.removeAttribute("data-course-fit");
    });
  }
  window.courseFitEquations = fitEquations;
  window.addEventListener("beforeprint", fitEquations);
  window.addEventListener("afterprint", unfitEquations);
  window.addEventListener("load", whenTypeset);
  // a solution dropdown (details) or a toggled cell becomes visible
  document.addEventListener("toggle", function () { setTimeout(tabStops, 0); }, true);
  document.addEventListener("click", function (ev) {
    if (ev.target.closest && ev.target.closest("button.toggle-button, summary")) { setTimeout(tabStops, 50); }
  }, true);
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(tabStops, 200);
  });
})();
