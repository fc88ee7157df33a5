/* Course: small behaviours on every page.
 *
 * A display equation or printed output wider than the text column scrolls
 * inside its own box (assets/custom.css), which shows a shadow at each edge
 * where more is hidden (classes xe-more-left / xe-more-right).  A scrolling box has to be reachable with the keyboard
 * (axe-core rule "scrollable-region-focusable"), so each one that overflows
 * gets a tab stop and a label when the page has loaded (after MathJax has
 * typeset it, in a build without Node) and again when the window is resized.
 *
 * On paper nothing can scroll or be clicked: before printing, every folded
 * <details> (a claim box's source, translation and evidence; a solution) is
 * opened, and then each display equation wider than the column is scaled down
 * to fit it; after printing both are undone (only the folds opened here are
 * closed again).  tools/pdf.py opens every <details> itself and calls
 * window.courseFitEquations().
 */
(function () {
  "use strict";
  function tabStops() {
    document.querySelectorAll('mjx-container[display="true"], div.cell_output pre, div.output pre').forEach(function (m) {
      if (m.scrollWidth > m.clientWidth + 1) {
        // (the theme may have set -1 while the box was folded away and did not overflow)
        if (!m.hasAttribute("tabindex") || m.getAttribute("tabindex") === "-1") {
          m.setAttribute("tabindex", "0");
          m.setAttribute("data-course-scroll", "true");
        }
        if (!m.hasAttribute("data-course-edges")) {
          m.setAttribute("data-course-edges", "true");
          m.addEventListener("scroll", function () { edges(m); }, {passive: true});
        }
        edges(m);
      } else {
        if (m.getAttribute("data-course-scroll") === "true") {
          m.removeAttribute("tabindex");
          m.removeAttribute("data-course-scroll");
        }
        m.classList.remove("xe-more-left", "xe-more-right");
      }
    });
  }
  // A box that scrolls shows it: a shadow on each side where more is hidden
  // (assets/custom.css), since phones hide scroll bars.
  function edges(m) {
    var rest = m.scrollWidth - m.clientWidth - m.scrollLeft;
    m.classList.toggle("xe-more-left", m.scrollLeft > 1);
    m.classList.toggle("xe-more-right", rest > 1);
  }
  function whenTypeset() {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(tabStops);
    } else {
      tabStops();
    }
  }
  // The equation's own font size is kept in data-course-fit while it is
  // scaled (the built pages size the math in xent-math.css; the client-side
  // MathJax of a build without Node writes it into the style attribute).
  function fitEquations() {
    unfitEquations();
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (m) {
      var box = m.parentElement.getBoundingClientRect().width, wide = m.scrollWidth;
      var inner = m.firstElementChild ? m.firstElementChild.getBoundingClientRect().width : wide;
      var need = Math.max(wide, inner);
      if (box > 0 && need > box + 1) {
        var size = parseFloat(getComputedStyle(m).fontSize);
        m.setAttribute("data-course-fit", m.style.fontSize);
        m.style.fontSize = (size * Math.max(0.55, box / need)).toFixed(2) + "px";
      }
    });
  }
  function unfitEquations() {
    document.querySelectorAll('mjx-container[data-course-fit]').forEach(function (m) {
      m.style.fontSize = m.getAttribute("data-course-fit");
      m.removeAttribute("data-course-fit");
    });
  }
  function openFolds() {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("data-course-print-open", "true");
      d.open = true;
    });
  }
  function closeFolds() {
    document.querySelectorAll("details[data-course-print-open]").forEach(function (d) {
      d.open = false;
      d.removeAttribute("data-course-print-open");
    });
  }
  window.courseFitEquations = fitEquations;
  window.addEventListener("beforeprint", function () { openFolds(); fitEquations(); });
  window.addEventListener("afterprint", function () { unfitEquations(); closeFolds(); });
  window.addEventListener("load", whenTypeset);
  // a solution dropdown (details) or a toggled cell becomes visible
  document.addEventListener("toggle", function () { setTimeout(tabStops, 0); }, true);
  document.addEventListener("click", function (ev) {
    if (ev.target.closest && ev.target.closest("button.toggle-button, summary")) { setTimeout(tabStops, 50); }
  }, true);
  // A fold opened any way (keyboard, script, print): its boxes may overflow now.
  document.addEventListener("toggle", function () { setTimeout(tabStops, 50); }, true);
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(tabStops, 200);
  });
})();
